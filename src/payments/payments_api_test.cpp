// Payments over real HTTP on both backends: a shop's payout account and
// methods, a VietQR checkout and its payment object (payload and SVG read
// back by tools we did not write), signed bank notifications applied once —
// exact, short, over, late, unmatched, forged, raced — the payment deadline,
// and the ledger's books checked after every test.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "accounts/audit_log.hpp"
#include "orders/orders_test_support.hpp"
#include "payments/payments_module.hpp"
#include "payments/payments_test_support.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::payments {
namespace {

using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using orders::testing::CheckoutBody;
using orders::testing::kTnCommuneA;
using orders::testing::Person;
using orders::testing::PostCheckout;
using orders::testing::Shop;

constexpr const char* kSecret = "bi-mat-webhook-ngan-hang";
constexpr const char* kShopAccount = "0011002233445";

class PaymentsApi : public orders::testing::OrdersApiTest {
 protected:
  app::Config MakeConfig() override {
    app::Config config;
    config.bank_webhook_secret = kSecret;
    return config;
  }
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (HasFatalFailure()) return;
    shop_ = NewShop("Chè Tân Cương Hảo Đạt", kTnCommuneA);
    tea_ = NewProduct(shop_, {"Chè búp Tân Cương", 100'000, 20, 500});
    buyer_ = NewPerson("Nguyễn Thị Hoa");
  }
  void TearDown() override {
    if (app_) testing::ExpectLedgerHolds(app_->app().db());
    OrdersApiTest::TearDown();
  }

  PaymentService& Payments() { return services().payments->payments; }
  std::string ShopPath(const std::string& tail) const {
    return "/api/v1/sellers/" + std::to_string(shop_.id) + tail;
  }
  static std::string OrderPath(std::int64_t id, const std::string& tail) {
    return "/api/v1/orders/" + std::to_string(id) + tail;
  }

  ClientResponse PutAccount(const Person& who, nlohmann::json body) {
    HttpClient client = Client();
    return client.Put(ShopPath("/payout-account"), body, who.auth);
  }
  nlohmann::json AccountBody(const std::string& number = kShopAccount) {
    return {{"bank_bin", "970436"},
            {"account_number", number},
            {"account_name", "NGUYEN VAN HAO"},
            {"password", "mat-khau-123"}};
  }
  // The shop takes VietQR to its Vietcombank account.
  void AcceptVietQr() {
    ASSERT_EQ(PutAccount(shop_.owner, AccountBody()).status, 200);
    HttpClient client = Client();
    auto methods = client.Put(ShopPath("/payment-methods"), nlohmann::json{{"methods", {"cod", "vietqr"}}},
                              shop_.owner.auth);
    ASSERT_EQ(methods.status, 200) << methods.body;
  }
  // A VietQR order of `quantity` tea; its payment JSON.
  nlohmann::json PlaceVietQr(std::int64_t quantity = 2) {
    HttpClient client = Client();
    nlohmann::json body = CheckoutBody({{tea_, quantity}});
    body["payment_method"] = "vietqr";
    auto placed = PostCheckout(client, buyer_, "vietqr-" + std::to_string(++placed_), body);
    EXPECT_EQ(placed.status, 201) << placed.body;
    if (placed.status != 201) return {};
    const std::int64_t id = placed.Json()["orders"][0]["id"];
    auto payment = client.Get(OrderPath(id, "/payment"), buyer_.auth);
    EXPECT_EQ(payment.status, 200) << payment.body;
    return payment.Json();
  }
  ClientResponse Notify(const nlohmann::json& body, const std::string& secret = kSecret) {
    const std::string raw = body.dump();
    HttpClient client = Client();
    return client.Post("/api/v1/payments/bank-transfers", raw,
                       {{"X-Signature", testing::OpensslHmacSha256(secret, raw)}});
  }
  nlohmann::json Transfer(const std::string& id, std::int64_t amount, const std::string& description,
                          const std::string& account = kShopAccount) {
    return {{"id", id},
            {"account_number", account},
            {"amount_vnd", amount},
            {"description", description},
            {"transferred_at", "2026-11-29T10:05:00+07:00"}};
  }
  std::int64_t AuditCount(const std::string& action) {
    auto n = app_->app().db().Read([&](db::Connection& c) {
      return c.QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
    });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  Shop shop_;
  std::int64_t tea_ = 0;
  Person buyer_;
  int placed_ = 0;
};

TEST_P(PaymentsApi, ThePayoutAccountNeedsTheOwnersPasswordAndIsAudited) {
  auto wrong = PutAccount(shop_.owner, {{"bank_bin", "970436"},
                                        {"account_number", kShopAccount},
                                        {"account_name", "NGUYEN VAN HAO"},
                                        {"password", "sai-mat-khau"}});
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.Json()["errors"][0]["field"], "password");
  auto letters = PutAccount(shop_.owner, AccountBody("00110O2233445"));
  EXPECT_EQ(letters.status, 400);
  EXPECT_EQ(letters.Json()["errors"][0]["field"], "account_number");
  auto bank = PutAccount(shop_.owner, {{"bank_bin", "999999"},
                                       {"account_number", kShopAccount},
                                       {"account_name", "NGUYEN VAN HAO"},
                                       {"password", "mat-khau-123"}});
  EXPECT_EQ(bank.status, 400);
  EXPECT_EQ(bank.Json()["errors"][0]["field"], "bank_bin");
  EXPECT_EQ(CountRows("payments_payout_accounts"), 0);

  auto set = PutAccount(shop_.owner, AccountBody());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.Json()["bank_name"], "Vietcombank");
  EXPECT_EQ(set.Json()["account_number"], kShopAccount);
  EXPECT_EQ(set.body.find("mat-khau"), std::string::npos);
  ASSERT_EQ(PutAccount(shop_.owner, AccountBody("9988776655")).status, 200);
  EXPECT_EQ(AuditCount("payments.payout_account.set"), 1);
  EXPECT_EQ(AuditCount("payments.payout_account.change"), 1);

  HttpClient client = Client();
  EXPECT_EQ(client.Get(ShopPath("/payout-account"), shop_.owner.auth).Json()["account_number"], "9988776655");
  EXPECT_EQ(client.Get(ShopPath("/payout-account"), buyer_.auth).status, 404);
}

TEST_P(PaymentsApi, CheckoutRefusesMethodsTheShopDoesNotTake) {
  HttpClient client = Client();
  nlohmann::json body = CheckoutBody({{tea_, 1}});
  body["payment_method"] = "vietqr";
  auto refused = PostCheckout(client, buyer_, "no-vietqr", body);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json()["errors"][0]["field"], "payment_method");
  body["payment_method"] = "vnpay";  // the operator configured no gateway
  EXPECT_EQ(PostCheckout(client, buyer_, "no-vnpay", body).status, 400);
  body["payment_method"] = "bitcoin";
  EXPECT_EQ(PostCheckout(client, buyer_, "no-bitcoin", body).status, 400);
  EXPECT_EQ(CountRows("orders_orders"), 0);
  // Without a payout account the shop cannot switch VietQR on.
  auto methods =
      client.Put(ShopPath("/payment-methods"), nlohmann::json{{"methods", {"vietqr"}}}, shop_.owner.auth);
  EXPECT_EQ(methods.status, 400) << methods.body;
  auto gateway =
      client.Put(ShopPath("/payment-methods"), nlohmann::json{{"methods", {"momo"}}}, shop_.owner.auth);
  EXPECT_EQ(gateway.status, 400);
  EXPECT_EQ(client.Get(ShopPath("/payment-methods")).Json()["methods"], nlohmann::json::array({"cod"}));
}

TEST_P(PaymentsApi, AVietQrOrderShowsAPayloadAndCodeThatIndependentDecodersRead) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(2);
  ASSERT_TRUE(payment.is_object());
  EXPECT_EQ(payment["method"], "vietqr");
  EXPECT_EQ(payment["status"], "pending");
  const std::int64_t amount = payment["amount_vnd"];
  EXPECT_GT(amount, 200'000);  // two kilos and the shipping fee
  EXPECT_EQ(payment["paid_vnd"], 0);
  EXPECT_EQ(payment["expires_at"], "2026-11-29T10:30:00+07:00");
  const std::string reference = payment["vietqr"]["reference"];
  EXPECT_EQ(reference, "NS" + payment["order_code"].get<std::string>());
  const std::string payload = payment["vietqr"]["payload"];
  const auto decoded = testing::DecodeVietQr(payload);
  EXPECT_EQ(decoded["isValid"], true);
  EXPECT_EQ(decoded["bankBin"], "970436");
  EXPECT_EQ(decoded["bankNumber"], kShopAccount);
  EXPECT_EQ(decoded["amount"], std::to_string(amount));
  EXPECT_EQ(decoded["purpose"], reference);
  EXPECT_EQ(testing::PythonCrc(payload), payload.substr(payload.size() - 4));

  HttpClient client = Client();
  const std::int64_t id = payment["order_id"];
  auto svg = client.Get(OrderPath(id, "/vietqr.svg"), buyer_.auth);
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.headers["content-type"], "image/svg+xml");
  EXPECT_EQ(trace::testing::DecodeWithZbar(svg.body, true), payload);
  // The shop and the province's operator see it; another buyer does not.
  EXPECT_EQ(client.Get(OrderPath(id, "/payment"), shop_.owner.auth).status, 200);
  const Person admin = NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, "19"}});
  EXPECT_EQ(client.Get(OrderPath(id, "/payment"), admin.auth).status, 200);
  const Person stranger = NewPerson("Người lạ");
  EXPECT_EQ(client.Get(OrderPath(id, "/payment"), stranger.auth).status, 404);
  EXPECT_EQ(client.Get(OrderPath(id, "/vietqr.svg"), stranger.auth).status, 404);
}

TEST_P(PaymentsApi, AnExactTransferMarksTheOrderPaidOnceAndCreditsTheLedger) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const std::int64_t id = payment["order_id"];
  const std::int64_t amount = payment["amount_vnd"];
  const std::string code = payment["order_code"];
  // The bank dropped the spaces and dash and added its own text.
  const auto body = Transfer("FT2633301", amount, "MBVCB.99.NGUYEN THI HOA chuyen tien.NS" + code + ".CT");
  auto first = Notify(body);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json()["outcome"], "applied");
  EXPECT_EQ(first.Json()["payment_status"], "paid");
  auto again = Notify(body);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.Json()["outcome"], "duplicate");

  HttpClient client = Client();
  auto after = client.Get(OrderPath(id, "/payment"), buyer_.auth).Json();
  EXPECT_EQ(after["status"], "paid");
  EXPECT_EQ(after["paid_vnd"], amount);
  EXPECT_EQ(client.Get(OrderPath(id, ""), buyer_.auth).Json()["paid_at"], "2026-11-29T10:00:00+07:00");
  auto ledger = client.Get(ShopPath("/ledger"), shop_.owner.auth);
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  // Credited the order, then debited what the shop collected into its own
  // account: with no commission the platform owes it nothing.
  ASSERT_EQ(ledger.Json()["entries"].size(), 2u);
  EXPECT_EQ(ledger.Json()["entries"][0]["amount_vnd"], amount);
  EXPECT_EQ(ledger.Json()["entries"][1]["amount_vnd"], -amount);
  EXPECT_EQ(ledger.Json()["balance_vnd"], 0);
  EXPECT_EQ(client.Get(ShopPath("/ledger"), buyer_.auth).status, 404);

  // The exports say the same, read by a spreadsheet library we did not write.
  auto xlsx = client.Get(ShopPath("/ledger.xlsx"), shop_.owner.auth);
  ASSERT_EQ(xlsx.status, 200);
  const auto rows = testing::XlsxRows(xlsx.body);
  ASSERT_EQ(rows.size(), 3u) << rows.dump();
  EXPECT_EQ(rows[0][5], "amount_vnd");
  EXPECT_EQ(rows[1][2], "order_paid");
  EXPECT_EQ(rows[1][3], id);
  EXPECT_EQ(rows[1][5], amount);
  EXPECT_EQ(rows[2][5], -amount);
  EXPECT_EQ(rows[2][6], 0);
  auto csv = client.Get(ShopPath("/ledger.csv"), shop_.owner.auth);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find(",order_paid," + std::to_string(id) + ",," + std::to_string(amount) + "," +
                          std::to_string(amount) + "\r\n"),
            std::string::npos)
      << csv.body;
}

TEST_P(PaymentsApi, ShortAndExtraMoneyAreShownAsSuch) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const std::int64_t amount = payment["amount_vnd"];
  const std::string ref = payment["reference"];
  auto part = Notify(Transfer("T-1", amount - 50'000, ref));
  EXPECT_EQ(part.Json()["payment_status"], "partially_paid");
  auto rest = Notify(Transfer("T-2", 50'000, ref));
  EXPECT_EQ(rest.Json()["payment_status"], "paid");
  auto extra = Notify(Transfer("T-3", 10'000, ref));
  EXPECT_EQ(extra.Json()["payment_status"], "overpaid");
  HttpClient client = Client();
  auto after = client.Get(OrderPath(payment["order_id"], "/payment"), buyer_.auth).Json();
  EXPECT_EQ(after["paid_vnd"], amount + 10'000);
}

TEST_P(PaymentsApi, ForgedAndMalformedNotificationsAreRefusedAuditedAndChangeNothing) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const auto body = Transfer("FORGED-1", payment["amount_vnd"], payment["reference"]);
  auto forged = Notify(body, "not-the-secret");
  EXPECT_EQ(forged.status, 401) << forged.body;
  HttpClient client = Client();
  auto unsigned_post = client.Post("/api/v1/payments/bank-transfers", body.dump());
  EXPECT_EQ(unsigned_post.status, 401);
  EXPECT_EQ(AuditCount("payments.bank_notification.forged"), 2);
  auto letters = Notify(Transfer("BAD-1", 1000, "x", "00110O2233445"));
  EXPECT_EQ(letters.status, 400);
  EXPECT_EQ(letters.Json()["errors"][0]["field"], "account_number");
  auto negative = Notify(Transfer("BAD-2", -5, "x"));
  EXPECT_EQ(negative.status, 400);
  EXPECT_EQ(negative.Json()["errors"][0]["field"], "amount_vnd");
  EXPECT_EQ(AuditCount("payments.bank_notification.invalid"), 2);
  EXPECT_EQ(CountRows("payments_receipts"), 0);
  EXPECT_EQ(client.Get(OrderPath(payment["order_id"], "/payment"), buyer_.auth).Json()["status"], "pending");
}

TEST_P(PaymentsApi, ForgedNotificationsPastTheLimitAre429AndWriteNothing) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  for (int i = 0; i < static_cast<int>(kRefusedCallbackBurst); ++i) {
    ASSERT_EQ(Notify(Transfer("F-" + std::to_string(i), 1'000, "x"), "not-the-secret").status, 401) << i;
  }
  auto limited = Notify(Transfer("F-last", 1'000, "x"), "not-the-secret");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(AuditCount("payments.bank_notification.forged"),
            static_cast<std::int64_t>(kRefusedCallbackBurst));
  // The bank's own notifications are never limited.
  EXPECT_EQ(Notify(Transfer("G-1", payment["amount_vnd"], payment["reference"])).Json()["payment_status"],
            "paid");
}

TEST_P(PaymentsApi, TransfersMatchingNothingAreListedForTheShopAndTheOperator) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  // No reference; and the right reference into another account.
  EXPECT_EQ(Notify(Transfer("U-1", 120'000, "tien che thang 11")).Json()["outcome"], "unmatched");
  EXPECT_EQ(Notify(Transfer("U-2", 120'000, payment["reference"], "5566778899")).Json()["outcome"],
            "unmatched");
  HttpClient client = Client();
  auto shop = client.Get(ShopPath("/unmatched-transfers"), shop_.owner.auth);
  ASSERT_EQ(shop.status, 200);
  ASSERT_EQ(shop.Json()["items"].size(), 1u);  // only the one into its own account
  EXPECT_EQ(shop.Json()["items"][0]["external_id"], "U-1");
  const Person admin = NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, "19"}});
  EXPECT_EQ(client.Get("/api/v1/payments/unmatched-transfers", admin.auth).Json()["items"].size(), 2u);
  EXPECT_EQ(client.Get("/api/v1/payments/unmatched-transfers", shop_.owner.auth).status, 403);
  EXPECT_EQ(client.Get(ShopPath("/unmatched-transfers"), buyer_.auth).status, 404);

  // The operator gives each to its order by hand: only into the account the money reached.
  const std::int64_t order_id = payment["order_id"];
  std::int64_t u1 = 0, u2 = 0;
  const nlohmann::json listed = client.Get("/api/v1/payments/unmatched-transfers", admin.auth).Json();
  for (const auto& item : listed["items"]) {
    (item["external_id"] == "U-1" ? u1 : u2) = item["id"].get<std::int64_t>();
  }
  auto assign = [&](const Person& who, std::int64_t receipt) {
    return client.Post("/api/v1/payments/unmatched-transfers/" + std::to_string(receipt) + "/assign",
                       nlohmann::json{{"order_id", order_id}}.dump(), who.auth);
  };
  EXPECT_EQ(assign(shop_.owner, u1).status, 403);
  auto elsewhere = assign(admin, u2);
  EXPECT_EQ(elsewhere.status, 422) << elsewhere.body;
  EXPECT_EQ(elsewhere.Json()["errors"][0]["field"], "order_id");
  auto given = assign(admin, u1);
  ASSERT_EQ(given.status, 200) << given.body;
  EXPECT_EQ(given.Json()["outcome"], "applied");
  EXPECT_EQ(given.Json()["payment_status"], payment["amount_vnd"] == 120'000 ? "paid" : "overpaid");
  EXPECT_EQ(assign(admin, u1).status, 422) << "given once";
  EXPECT_EQ(client.Get("/api/v1/payments/unmatched-transfers", admin.auth).Json()["items"].size(), 1u);
  EXPECT_EQ(AuditCount("payments.unmatched.assign"), 1);
  auto page = client.Get("/can-bo/thanh-toan", admin.auth);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("5566778899"), std::string::npos) << "the transfer still unmatched is listed";
}

TEST_P(PaymentsApi, ARaceOfDuplicateNotificationsAppliesOnce) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const auto body = Transfer("RACE-1", payment["amount_vnd"], payment["reference"]);
  const std::string raw = body.dump();
  const std::string signature = testing::OpensslHmacSha256(kSecret, raw);
  constexpr int kSenders = 8;
  std::atomic<int> applied{0}, duplicate{0}, other{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < kSenders; ++i) {
    senders.emplace_back([&] {
      HttpClient client = Client();
      auto r = client.Post("/api/v1/payments/bank-transfers", raw, {{"X-Signature", signature}});
      const std::string outcome = r.status == 200 ? r.Json().value("outcome", "") : "";
      if (outcome == "applied")
        ++applied;
      else if (outcome == "duplicate")
        ++duplicate;
      else
        ++other;
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(applied.load(), 1);
  EXPECT_EQ(duplicate.load(), kSenders - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(CountRows("payments_receipts"), 1);
  HttpClient client = Client();
  EXPECT_EQ(client.Get(OrderPath(payment["order_id"], "/payment"), buyer_.auth).Json()["paid_vnd"],
            payment["amount_vnd"]);
}

TEST_P(PaymentsApi, AnUnpaidOrderIsCancelledAtItsDeadlineAndLateMoneyIsFlagged) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(3);
  const std::int64_t id = payment["order_id"];
  EXPECT_EQ(ExpectStockHolds(tea_).held_by_orders, 3);
  app_->clock().Advance(29 * 60'000);
  EXPECT_EQ(*Payments().ExpireOverdue(), 0);
  app_->clock().Advance(60'000);
  auto swept = Payments().ExpireOverdue();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  HttpClient client = Client();
  auto order = client.Get(OrderPath(id, ""), buyer_.auth).Json();
  EXPECT_EQ(order["status"], "cancelled");
  EXPECT_EQ(order["history"].back()["by"], "platform");
  EXPECT_EQ(ExpectStockHolds(tea_).held_by_orders, 0);
  EXPECT_EQ(client.Get(OrderPath(id, "/payment"), buyer_.auth).Json()["status"], "expired");

  auto late = Notify(Transfer("LATE-1", payment["amount_vnd"], payment["reference"]));
  ASSERT_EQ(late.status, 200);
  EXPECT_EQ(late.Json()["outcome"], "late");
  EXPECT_EQ(late.Json()["payment_status"], "refund_due");
  order = client.Get(OrderPath(id, ""), buyer_.auth).Json();
  EXPECT_EQ(order["status"], "cancelled");
  EXPECT_TRUE(order["paid_at"].is_null());
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["entries"].size(), 0u);
}

TEST_P(PaymentsApi, CashOnDeliveryHasAPaymentWithoutADeadline) {
  HttpClient client = Client();
  auto placed = PostCheckout(client, buyer_, "cod-1", CheckoutBody({{tea_, 1}}));
  ASSERT_EQ(placed.status, 201);
  const std::int64_t id = placed.Json()["orders"][0]["id"];
  auto payment = client.Get(OrderPath(id, "/payment"), buyer_.auth);
  ASSERT_EQ(payment.status, 200);
  EXPECT_EQ(payment.Json()["method"], "cod");
  EXPECT_TRUE(payment.Json()["expires_at"].is_null());
  EXPECT_TRUE(payment.Json()["vietqr"].is_null());
  app_->clock().Advance(24 * 3'600'000LL);
  EXPECT_EQ(*Payments().ExpireOverdue(), 0);
  EXPECT_EQ(client.Get(OrderPath(id, "/vietqr.svg"), buyer_.auth).status, 404);
}

TEST_P(PaymentsApi, AStatementWithBrokenLinesIsRefusedWholeNamingEachLine) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const std::string good = "ST-1," + std::to_string(payment["amount_vnd"].get<std::int64_t>()) + ",CT " +
                           payment["reference"].get<std::string>() + " mua che,29/11/2026 10:05:00\n";
  const std::string csv = "id,amount_vnd,description,transferred_at\n" + good +
                          "ST-2,abc,tien hang,29/11/2026 10:06:00\n"
                          "ST-3,50000,tien hang,hom qua\n"
                          "ST-1,1000,lap lai,29/11/2026 10:07:00\n";
  auto refused = Payments().ImportStatement(kShopAccount, csv);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "statement_invalid");
  EXPECT_EQ(refused.error().detail, "3 broken lines; nothing was applied.");
  ASSERT_EQ(refused.error().fields.size(), 3u);
  EXPECT_EQ(refused.error().fields[0].field, "line 3");
  EXPECT_EQ(refused.error().fields[1].field, "line 4");
  EXPECT_EQ(refused.error().fields[2].field, "line 5");
  EXPECT_EQ(CountRows("payments_receipts"), 0);
  EXPECT_EQ(Payments().ImportStatement("00110O2233445", csv).error().fields[0].field, "account");

  // The good line alone pays the order; imported again, or after its
  // notification, it is a duplicate.
  auto applied =
      Payments().ImportStatement(kShopAccount, "id,amount_vnd,description,transferred_at\n" + good +
                                                   "ST-9,70.000,tien hang,29/11/2026 11:00\n");
  ASSERT_TRUE(applied.ok()) << applied.error().detail;
  EXPECT_EQ(applied->lines, 2u);
  EXPECT_EQ(applied->applied, 1u);
  EXPECT_EQ(applied->unmatched, 1u);
  auto again = Payments().ImportStatement(kShopAccount, "id,amount_vnd,description,transferred_at\n" + good);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->duplicate, 1u);
  const auto same_by_webhook = Notify(Transfer("ST-1", payment["amount_vnd"], payment["reference"]));
  EXPECT_EQ(same_by_webhook.Json()["outcome"], "duplicate");
  HttpClient client = Client();
  auto after = client.Get(OrderPath(payment["order_id"], "/payment"), buyer_.auth).Json();
  EXPECT_EQ(after["status"], "paid");
  EXPECT_EQ(after["paid_vnd"], payment["amount_vnd"]);
}

TEST_P(PaymentsApi, CancellingAPaidOrderFlagsItsMoneyForARefund) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  ASSERT_EQ(Notify(Transfer("PAID-1", payment["amount_vnd"], payment["reference"])).Json()["payment_status"],
            "paid");
  HttpClient client = Client();
  const std::int64_t id = payment["order_id"];
  auto cancelled = client.Post(OrderPath(id, "/transitions"),
                               nlohmann::json{{"to", "cancelled"}, {"reason", "Đổi ý"}}.dump(), buyer_.auth);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(client.Get(OrderPath(id, "/payment"), buyer_.auth).Json()["status"], "refund_due");
  // An unpaid order cancelled by its buyer closes its payment, and the
  // deadline then has nothing to do.
  const nlohmann::json second = PlaceVietQr(1);
  ASSERT_EQ(client
                .Post(OrderPath(second["order_id"], "/transitions"),
                      nlohmann::json{{"to", "cancelled"}, {"reason", "Đổi ý"}}.dump(), buyer_.auth)
                .status,
            200);
  EXPECT_EQ(client.Get(OrderPath(second["order_id"], "/payment"), buyer_.auth).Json()["status"], "cancelled");
  app_->clock().Advance(3'600'000);
  EXPECT_EQ(*Payments().ExpireOverdue(), 0);
}

ClientResponse PostRefund(HttpClient& client, const Person& who, std::int64_t order_id, std::int64_t amount,
                          const std::string& note = "") {
  return client.Post("/api/v1/orders/" + std::to_string(order_id) + "/refunds",
                     nlohmann::json{{"amount_vnd", amount}, {"note", note}}.dump(), who.auth);
}

TEST_P(PaymentsApi, MoneyBeyondTheAmountIsHeldAndTheShopsRefundOfItIsRecorded) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const std::int64_t id = payment["order_id"];
  const std::int64_t amount = payment["amount_vnd"];
  auto over = Notify(Transfer("OVER-1", amount + 50'000, "CK " + payment["reference"].get<std::string>()));
  ASSERT_EQ(over.Json()["payment_status"], "overpaid");
  HttpClient client = Client();
  auto ledger = client.Get(ShopPath("/ledger"), shop_.owner.auth).Json();
  EXPECT_EQ(ledger["refunds_payable_vnd"], 50'000);
  EXPECT_EQ(ledger["balance_vnd"], 0);

  // The buyer sees the payment but does not refund it; a stranger sees nothing.
  EXPECT_EQ(PostRefund(client, buyer_, id, 50'000).status, 403);
  EXPECT_EQ(PostRefund(client, NewPerson("Người lạ"), id, 50'000).status, 404);
  auto bad = PostRefund(client, shop_.owner, id, 0, "dòng 1\ndòng 2");
  EXPECT_EQ(bad.status, 400) << bad.body;
  ASSERT_EQ(bad.Json()["errors"].size(), 2u);
  EXPECT_EQ(bad.Json()["errors"][0]["field"], "amount_vnd");
  EXPECT_EQ(bad.Json()["errors"][1]["field"], "note");

  auto refund = PostRefund(client, shop_.owner, id, 50'000, "FT26113 hoàn tiền thừa");
  ASSERT_EQ(refund.status, 201) << refund.body;
  EXPECT_EQ(refund.Json()["channel"], "shop_transfer");
  EXPECT_EQ(refund.Json()["held_vnd"], 50'000);
  EXPECT_EQ(refund.Json()["posted_vnd"], 0);
  EXPECT_EQ(refund.Json()["payment"]["status"], "overpaid");
  EXPECT_EQ(refund.Json()["payment"]["refunded_vnd"], 50'000);
  ledger = client.Get(ShopPath("/ledger"), shop_.owner.auth).Json();
  EXPECT_EQ(ledger["refunds_payable_vnd"], 0);
  EXPECT_EQ(ledger["balance_vnd"], 0) << "the shop's sale stands";

  // What is left to refund is the sale itself: one đồng more is refused.
  auto too_much = PostRefund(client, shop_.owner, id, amount + 1);
  EXPECT_EQ(too_much.status, 422) << too_much.body;
  EXPECT_EQ(too_much.Json()["errors"][0]["field"], "amount_vnd");
  EXPECT_EQ(client.Get(OrderPath(id, "/payment"), buyer_.auth).Json()["refunded_vnd"], 50'000);
  EXPECT_EQ(AuditCount("payments.refund.recorded"), 1);
}

TEST_P(PaymentsApi, LateMoneyIsMarkedRefundedByTheOperator) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const std::int64_t id = payment["order_id"];
  const std::int64_t amount = payment["amount_vnd"];
  app_->clock().Advance(31 * 60'000);
  ASSERT_EQ(*Payments().ExpireOverdue(), 1);
  ASSERT_EQ(Notify(Transfer("LATE-2", amount, payment["reference"])).Json()["payment_status"], "refund_due");
  HttpClient client = Client();
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["refunds_payable_vnd"], amount);
  const Person admin = NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, "19"}});
  auto refund = PostRefund(client, admin, id, amount, "Đã chuyển trả người mua");
  ASSERT_EQ(refund.status, 201) << refund.body;
  EXPECT_EQ(refund.Json()["payment"]["status"], "refunded");
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["refunds_payable_vnd"], 0);
  auto again = PostRefund(client, admin, id, 1);
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(again.Json()["errors"][0]["field"], "order");
}

TEST_P(PaymentsApi, ACarriersCodRemittanceMarksOrdersPaidOnceAndFlagsTheDifferences) {
  HttpClient client = Client();
  // A cash-on-delivery order of one tea, shipped under `tracking`.
  auto ship = [&](const std::string& tracking) -> std::int64_t {
    auto placed = PostCheckout(client, buyer_, "cod-" + tracking, CheckoutBody({{tea_, 1}}));
    EXPECT_EQ(placed.status, 201) << placed.body;
    const std::int64_t id = placed.Json()["orders"][0]["id"];
    for (const char* to : {"confirmed", "packed"})
      EXPECT_EQ(orders::testing::Move(client, shop_.owner, id, to).status, 200);
    EXPECT_EQ(orders::testing::Move(client, shop_.owner, id, "shipped", "", tracking).status, 200);
    return id;
  };
  const std::int64_t first = ship("VTP100001");
  const std::int64_t second = ship("VTP100002");
  const std::int64_t amount = client.Get(OrderPath(first, "/payment"), buyer_.auth).Json()["amount_vnd"];
  const std::string amount_text = std::to_string(amount);
  const std::string header = "tracking_code,amount_vnd,remitted_at\n";
  const Person admin = NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, "19"}});
  auto post = [&](const Person& who, const std::string& csv) {
    return client.Post("/api/v1/payments/cod-remittances", csv, [&] {
      ClientHeaders h = who.auth;
      h["Content-Type"] = "text/csv";
      return h;
    }());
  };

  auto broken = post(admin, header + "VTP100001," + amount_text +
                                ",30/11/2026\nVTP100002,abc,30/11/2026\n"
                                "VTP 3,1000,hôm qua\nVTP100001,1000,30/11/2026\n");
  ASSERT_EQ(broken.status, 400) << broken.body;
  ASSERT_EQ(broken.Json()["errors"].size(), 3u);
  EXPECT_EQ(broken.Json()["errors"][0]["field"], "line 3");
  EXPECT_EQ(broken.Json()["errors"][1]["field"], "line 4");
  EXPECT_EQ(broken.Json()["errors"][2]["field"], "line 5");
  EXPECT_EQ(client.Get(OrderPath(first, "/payment"), buyer_.auth).Json()["status"], "pending")
      << "refused whole";
  EXPECT_EQ(post(shop_.owner, header).status, 403);

  const std::string csv = header + "VTP100001," + amount_text +
                          ",30/11/2026\nVTP100002,1000,2026-11-30\n"
                          "GHN999,50.000,30/11/2026\n";
  auto imported = post(admin, csv);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.Json()["applied"], 1);
  const auto differences = imported.Json()["differences"];
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0]["outcome"], "amount_differs");
  EXPECT_EQ(differences[0]["order_id"], second);
  EXPECT_EQ(differences[0]["expected_vnd"], amount);
  EXPECT_EQ(differences[1]["outcome"], "unknown_tracking");
  EXPECT_EQ(differences[1]["line"], 4);
  EXPECT_EQ(client.Get(OrderPath(first, "/payment"), buyer_.auth).Json()["status"], "paid");
  EXPECT_FALSE(client.Get(OrderPath(first, ""), buyer_.auth).Json()["paid_at"].is_null());
  EXPECT_EQ(client.Get(OrderPath(second, "/payment"), buyer_.auth).Json()["status"], "pending");
  auto ledger = client.Get(ShopPath("/ledger"), shop_.owner.auth).Json();
  EXPECT_EQ(ledger["balance_vnd"], amount) << "the carrier paid the platform: it owes the shop";
  EXPECT_EQ(ledger["entries"].back()["memo"], "cod");

  // The same statement again changes nothing.
  auto again = post(admin, csv);
  EXPECT_EQ(again.Json()["applied"], 0);
  EXPECT_EQ(again.Json()["duplicate"], 3);
  EXPECT_EQ(again.Json()["differences"].size(), 0u);
  // A corrected line pays the second; money for the first again is flagged.
  auto corrected =
      post(admin, header + "VTP100002," + amount_text + ",01/12/2026\nVTP100001,1000,01/12/2026\n");
  EXPECT_EQ(corrected.Json()["applied"], 1);
  ASSERT_EQ(corrected.Json()["differences"].size(), 1u);
  EXPECT_EQ(corrected.Json()["differences"][0]["outcome"], "already_remitted");
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["balance_vnd"], 2 * amount);
  EXPECT_EQ(AuditCount("payments.cod_remittance.import"), 3);
}

// The platform takes 10 % of each sale.
class PaymentsApiWithCommission : public PaymentsApi {
 protected:
  app::Config MakeConfig() override {
    app::Config config = PaymentsApi::MakeConfig();
    config.commission_percent = 10;
    return config;
  }
};

TEST_P(PaymentsApiWithCommission, APaidVietQrOrderRefundedGivesTheCommissionBack) {
  AcceptVietQr();
  const nlohmann::json payment = PlaceVietQr(1);
  const std::int64_t id = payment["order_id"];
  const std::int64_t amount = payment["amount_vnd"];
  ASSERT_EQ(Notify(Transfer("PAID-R", amount, payment["reference"])).Json()["payment_status"], "paid");
  HttpClient client = Client();
  auto cancelled =
      client.Post(OrderPath(id, "/transitions"),
                  nlohmann::json{{"to", "cancelled"}, {"reason", "Hết hàng"}}.dump(), shop_.owner.auth);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  // The shop holds the buyer's money and owes the platform its commission.
  const std::int64_t commission = amount * 10 / 100;
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["balance_vnd"], -commission);
  auto part = PostRefund(client, shop_.owner, id, 40'000);
  ASSERT_EQ(part.status, 201) << part.body;
  EXPECT_EQ(part.Json()["posted_vnd"], 40'000);
  EXPECT_EQ(part.Json()["commission_vnd"], commission * 40'000 / amount);
  EXPECT_EQ(part.Json()["payment"]["status"], "refund_due");
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["balance_vnd"],
            -commission + commission * 40'000 / amount);
  auto rest = PostRefund(client, shop_.owner, id, amount - 40'000);
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(rest.Json()["payment"]["status"], "refunded");
  auto ledger = client.Get(ShopPath("/ledger"), shop_.owner.auth).Json();
  EXPECT_EQ(ledger["balance_vnd"], 0) << "the whole commission came back with the whole sale";
  EXPECT_EQ(ledger["entries"].back()["kind"], "refund");
}

// A gateway as the gw branch's adapters will be: here only its pay_url.
class FakeGateway final : public Gateway {
 public:
  Result<std::string> PayUrl(const GatewayOrder& order) override {
    return "https://sandbox.example.vn/pay?ref=" + order.reference +
           "&amount=" + std::to_string(order.amount_vnd);
  }
  Result<std::string> Refund(const GatewayRefundOrder&) override {
    return Error::Unavailable("not in this test");
  }
};

TEST_P(PaymentsApi, GatewayMoneyIsAppliedOnceAndPaidOutNeverBeyondTheBalance) {
  FakeGateway gateway;
  Payments().SetGateway("vnpay", &gateway);  // before any request uses it
  HttpClient client = Client();
  ASSERT_EQ(client.Put(ShopPath("/payment-methods"), nlohmann::json{{"methods", {"vnpay"}}}, shop_.owner.auth)
                .status,
            200);
  ASSERT_EQ(PutAccount(shop_.owner, AccountBody()).status, 200);
  nlohmann::json body = CheckoutBody({{tea_, 1}});
  body["payment_method"] = "vnpay";
  auto placed = PostCheckout(client, buyer_, "vnpay-1", body);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::int64_t id = placed.Json()["orders"][0]["id"];
  auto payment = client.Get(OrderPath(id, "/payment"), buyer_.auth).Json();
  const std::int64_t amount = payment["amount_vnd"];
  const std::string reference = payment["reference"];
  EXPECT_EQ(payment["pay_url"],
            "https://sandbox.example.vn/pay?ref=" + reference + "&amount=" + std::to_string(amount));

  auto first =
      Payments().ApplyGatewayPayment("vnpay", reference, amount, "VNP14226112", nongsan::testing::kTestNowMs);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->outcome, ReceiptOutcome::kApplied);
  auto replay =
      Payments().ApplyGatewayPayment("vnpay", reference, amount, "VNP14226112", nongsan::testing::kTestNowMs);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->outcome, ReceiptOutcome::kDuplicate);
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["balance_vnd"], amount);

  const Person admin = NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, "19"}});
  auto too_much = client.Post(
      "/api/v1/payouts",
      nlohmann::json{{"items", {{{"seller_id", shop_.id}, {"amount_vnd", amount + 1}}}}}.dump(), admin.auth);
  EXPECT_EQ(too_much.status, 400) << too_much.body;
  EXPECT_EQ(too_much.Json()["errors"][0]["field"], "items[0].amount_vnd");
  EXPECT_EQ(AuditCount("payments.payout.refused"), 1);
  EXPECT_EQ(CountRows("payments_payout_batches"), 0);
  EXPECT_EQ(client
                .Post("/api/v1/payouts",
                      nlohmann::json{{"items", {{{"seller_id", shop_.id}, {"amount_vnd", 1}}}}}.dump(),
                      shop_.owner.auth)
                .status,
            403);

  auto sent = client.Post(
      "/api/v1/payouts",
      nlohmann::json{{"items", {{{"seller_id", shop_.id}, {"amount_vnd", amount}}}}}.dump(), admin.auth);
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.Json()["total_vnd"], amount);
  auto file = client.Get(sent.Json()["file_url"].get<std::string>(), admin.auth);
  ASSERT_EQ(file.status, 200);
  EXPECT_NE(file.body.find(std::string("970436,") + kShopAccount + ",\"NGUYEN VAN HAO\"," +
                           std::to_string(amount) + ",NONGSAN PAYOUT "),
            std::string::npos)
      << file.body;
  EXPECT_EQ(client.Get(sent.Json()["file_url"].get<std::string>(), shop_.owner.auth).status, 404);
  EXPECT_EQ(client.Get(ShopPath("/ledger"), shop_.owner.auth).Json()["balance_vnd"], 0);
  auto again = client.Post("/api/v1/payouts",
                           nlohmann::json{{"items", {{{"seller_id", shop_.id}, {"amount_vnd", 1}}}}}.dump(),
                           admin.auth);
  EXPECT_EQ(again.status, 400);
  Payments().SetGateway("vnpay", nullptr);
}

INSTANTIATE_TEST_SUITE_P(Payments, PaymentsApi, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Payments, PaymentsApiWithCommission,
                         ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::payments
