// VNPay and MoMo end to end on the real App (SQLite file and PostgreSQL), with
// the payments module's real service behind the gateways and the fake VNPay
// and MoMo servers of tests/support as the gateways: checkout by vnpay/momo,
// pay_url in the payment object, IPNs over HTTP marking the order paid once
// (racing duplicates included), forged/replayed/wrong-amount callbacks
// refused and audited, the return page that only shows, refunds of a paid
// order cancelled, and the operator's secrets never in logs or responses.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <thread>

#include "orders/orders_test_support.hpp"
#include "payments/gateways/gateways_module.hpp"
#include "payments/ledger.hpp"
#include "payments/payments_module.hpp"
#include "support/fake_gateways.hpp"

namespace nongsan::payments::gateways {
namespace {

using orders::testing::Person;
using orders::testing::Shop;
using testing::ClientResponse;
using testing::FakeMomo;
using testing::FakeVnpay;

class GatewaysApiTest : public orders::testing::OrdersApiTest {
 protected:
  app::Config MakeConfig() override {
    app::Config config;
    config.vnpay_tmn_code = testing::kFakeVnpayTmnCode;
    config.vnpay_hash_secret = testing::kFakeVnpaySecret;
    config.vnpay_url = vnpay_.PayUrl();
    config.vnpay_api_url = vnpay_.ApiUrl();
    config.momo_partner_code = testing::kFakeMomoPartnerCode;
    config.momo_access_key = testing::kFakeMomoAccessKey;
    config.momo_secret_key = testing::kFakeMomoSecretKey;
    config.momo_endpoint = momo_.Endpoint();
    config.base_url = "https://cho.example.vn";
    config.commission_percent = 10;
    return config;
  }

  void TearDown() override {
    // The ledger's books hold (payments/payments_test_support.hpp says how).
    if (app_) {
      auto check = app_->app().db().Read([](db::Connection& c) { return CheckLedger(c); });
      if (!check.ok())
        ADD_FAILURE() << check.error().detail;
      else
        EXPECT_TRUE(check->Holds()) << check->unbalanced_txns << " unbalanced, " << check->orders_mismatched
                                    << " paid orders posted wrongly, " << check->money_mismatched
                                    << " payments whose money does not add up";
    }
    OrdersApiTest::TearDown();
  }

  // What the platform owes the shop, as its ledger says.
  std::int64_t Balance() {
    auto client = Client();
    auto ledger = client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/ledger", shop_.owner.auth);
    EXPECT_EQ(ledger.status, 200) << ledger.body;
    return ledger.Json().value("balance_vnd", std::int64_t{-1});
  }

  ClientResponse Refund(const Person& who, std::int64_t order_id, std::int64_t amount) {
    auto client = Client();
    return client.Post("/api/v1/orders/" + std::to_string(order_id) + "/refunds",
                       nlohmann::json{{"amount_vnd", amount}, {"note", "Hàng giao thiếu"}}.dump(), who.auth);
  }

  void SetUp() override {
    OrdersApiTest::SetUp();
    shop_ = NewShop("Chè Tân Cương", orders::testing::kTnCommuneA);
    product_ = NewProduct(shop_, {.price_vnd = 120'000});
    buyer_ = NewPerson("Người mua");
    auto client = Client();
    auto set = client.Put("/api/v1/sellers/" + std::to_string(shop_.id) + "/payment-methods",
                          nlohmann::json{{"methods", {"vnpay", "momo"}}}, shop_.owner.auth);
    ASSERT_EQ(set.status, 200) << set.body;
  }

  // A checkout of one product paid by `method`; the order's id.
  std::int64_t Order(const std::string& method) {
    auto client = Client();
    auto body = orders::testing::CheckoutBody({{product_, 1}});
    body["payment_method"] = method;
    auto placed = orders::testing::PostCheckout(client, buyer_, "gw-" + std::to_string(++checkouts_), body);
    EXPECT_EQ(placed.status, 201) << placed.body;
    if (placed.status != 201) return 0;
    return placed.Json()["orders"][0]["id"].get<std::int64_t>();
  }

  nlohmann::json Payment(std::int64_t order_id) {
    auto client = Client();
    auto got = client.Get("/api/v1/orders/" + std::to_string(order_id) + "/payment", buyer_.auth);
    EXPECT_EQ(got.status, 200) << got.body;
    return got.Json();
  }

  // The vnp_TxnRef and amount in the order's pay_url.
  std::pair<std::string, std::int64_t> VnpayRefOf(std::int64_t order_id) {
    const std::string url = Payment(order_id)["pay_url"];
    std::string ref;
    std::int64_t amount = 0;
    for (auto& [k, v] : http::ParseUrlEncoded(url.substr(url.find('?') + 1))) {
      if (k == "vnp_TxnRef") ref = v;
      if (k == "vnp_Amount") amount = std::stoll(v) / 100;
    }
    return {ref, amount};
  }

  std::string VnpayIpn(const std::string& query) {
    auto client = Client();
    auto answer = client.Get("/api/v1/payments/vnpay/ipn?" + query);
    EXPECT_EQ(answer.status, 200);
    return answer.Json().value("RspCode", "");
  }

  std::int64_t Count(const std::string& sql, const db::Params& params = {}) {
    return app_->app().db().Read([&](db::Connection& c) { return c.QueryInt(sql, params); }).value();
  }

  FakeVnpay vnpay_;
  FakeMomo momo_;
  int checkouts_ = 0;
  Shop shop_;
  std::int64_t product_ = 0;
  Person buyer_;
};

TEST_P(GatewaysApiTest, VnpayOrderIsPaidByItsIpnOnce) {
  const std::int64_t order_id = Order("vnpay");
  const auto payment = Payment(order_id);
  EXPECT_EQ(payment["method"], "vnpay");
  EXPECT_EQ(payment["status"], "pending");
  const std::string pay_url = payment["pay_url"];
  EXPECT_TRUE(pay_url.starts_with(vnpay_.PayUrl() + "?")) << pay_url;
  const auto [ref, amount] = VnpayRefOf(order_id);
  EXPECT_EQ(ref, payment["reference"]);
  EXPECT_EQ(amount, payment["amount_vnd"].get<std::int64_t>());

  // The return page alone changes nothing.
  auto client = Client();
  auto page = client.Get("/thanh-toan/vnpay/ket-qua?" + FakeVnpay::CallbackQuery(ref, amount));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("đang chờ"), std::string::npos) << page.body;
  EXPECT_EQ(Payment(order_id)["status"], "pending");

  EXPECT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount, "00", "1", "forged")), "97");
  EXPECT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount - 1'000)), "04");
  EXPECT_EQ(VnpayIpn(FakeVnpay::CallbackQuery("NOSUCHREF", amount)), "01");
  EXPECT_EQ(Payment(order_id)["status"], "pending");
  EXPECT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount)), "00");
  EXPECT_EQ(Payment(order_id)["status"], "paid");
  EXPECT_EQ(Payment(order_id)["paid_vnd"], amount);
  EXPECT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount)), "02");
  EXPECT_EQ(Payment(order_id)["paid_vnd"], amount);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.vnpay_callback_refused'"), 4);
  auto confirmed = client.Get("/thanh-toan/vnpay/ket-qua?" + FakeVnpay::CallbackQuery(ref, amount));
  EXPECT_NE(confirmed.body.find("đã được thanh toán"), std::string::npos);
}

TEST_P(GatewaysApiTest, DuplicateIpnsRacingApplyOnce) {
  const std::int64_t vnpay_order = Order("vnpay");
  const std::int64_t momo_order = Order("momo");
  const auto [ref, amount] = VnpayRefOf(vnpay_order);
  const auto momo = Payment(momo_order);
  const std::string vnpay_query = FakeVnpay::CallbackQuery(ref, amount);
  const std::string momo_body =
      FakeMomo::IpnBody(momo["reference"], momo["amount_vnd"].get<std::int64_t>()).dump();
  std::mutex mutex;
  std::vector<std::string> codes;
  std::vector<int> statuses;
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto client = Client();
      if (i % 2 == 0) {
        auto answer = client.Get("/api/v1/payments/vnpay/ipn?" + vnpay_query);
        std::lock_guard lock(mutex);
        codes.push_back(answer.Json().value("RspCode", ""));
      } else {
        auto answer = client.Post("/api/v1/payments/momo/ipn", momo_body);
        std::lock_guard lock(mutex);
        statuses.push_back(answer.status);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "00"), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "02"), 7);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 204), 8);
  EXPECT_EQ(Payment(vnpay_order)["paid_vnd"], amount);
  EXPECT_EQ(Payment(momo_order)["paid_vnd"], momo["amount_vnd"]);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM payments_receipts WHERE order_id IN (?, ?)", {vnpay_order, momo_order}), 2);
}

TEST_P(GatewaysApiTest, MomoOrderPaysThroughMomo) {
  const std::int64_t order_id = Order("momo");
  const auto payment = Payment(order_id);
  EXPECT_EQ(payment["pay_url"],
            momo_.BaseUrl() + "/v2/gateway/pay?t=" + payment["reference"].get<std::string>());
  EXPECT_EQ(momo_.ValidCreates(), 1);
  const std::string ref = payment["reference"];
  const std::int64_t amount = payment["amount_vnd"];
  auto client = Client();
  EXPECT_EQ(client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody(ref, amount, 0, 9, "forged")).status,
            400);
  EXPECT_EQ(client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody(ref, amount + 1)).status, 422);
  EXPECT_EQ(Payment(order_id)["status"], "pending");
  EXPECT_EQ(client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody(ref, amount)).status, 204);
  EXPECT_EQ(Payment(order_id)["status"], "paid");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.momo_callback_refused'"), 2);
}

TEST_P(GatewaysApiTest, APaidOrderCancelledIsRefundedThroughItsGateway) {
  const std::int64_t order_id = Order("vnpay");
  const auto [ref, amount] = VnpayRefOf(order_id);
  ASSERT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount, "00", "7001")), "00");
  auto client = Client();
  auto cancelled = orders::testing::Move(client, buyer_, order_id, "cancelled", "Đổi ý");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Payment(order_id)["status"], "refund_due");
  EXPECT_EQ(Balance(), amount - amount / 10) << "credited less the commission";
  auto refunded = services().gateways->service.RefundDue();
  ASSERT_TRUE(refunded.ok()) << refunded.error().detail;
  EXPECT_EQ(*refunded, 1);
  ASSERT_EQ(vnpay_.ValidRefunds(), 1);
  const auto request = vnpay_.Requests().back();
  EXPECT_EQ(request["vnp_TxnRef"], ref);
  EXPECT_EQ(request["vnp_TransactionNo"], "7001");
  EXPECT_EQ(request["vnp_Amount"], amount * 100);
  EXPECT_EQ(request["vnp_TransactionType"], "02");
  EXPECT_EQ(Payment(order_id)["status"], "refunded");
  EXPECT_EQ(Balance(), 0) << "the refund debited the shop";
  EXPECT_EQ(services().gateways->service.RefundDue().value(), 0) << "refunded once";
  EXPECT_EQ(vnpay_.ValidRefunds(), 1);
}

TEST_P(GatewaysApiTest, AShopRefundsPartOfAVnpayPaymentAndTheRestFollowsACancellation) {
  const std::int64_t order_id = Order("vnpay");
  const auto [ref, amount] = VnpayRefOf(order_id);
  ASSERT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount, "00", "7002")), "00");
  const std::int64_t commission = amount / 10;
  EXPECT_EQ(Refund(buyer_, order_id, 1'000).status, 403);
  EXPECT_EQ(Refund(NewPerson("Người lạ"), order_id, 1'000).status, 404);
  auto too_much = Refund(shop_.owner, order_id, amount + 1);
  EXPECT_EQ(too_much.status, 422) << too_much.body;
  EXPECT_EQ(too_much.Json()["errors"][0]["field"], "amount_vnd");
  EXPECT_EQ(vnpay_.ValidRefunds(), 0) << "refused before the gateway was asked";

  auto part = Refund(shop_.owner, order_id, 30'000);
  ASSERT_EQ(part.status, 201) << part.body;
  ASSERT_EQ(vnpay_.ValidRefunds(), 1);
  auto request = vnpay_.Requests().back();
  EXPECT_EQ(request["vnp_TransactionType"], "03") << "part of the payment";
  EXPECT_EQ(request["vnp_Amount"], 3'000'000);
  EXPECT_EQ(request["vnp_TransactionNo"], "7002");
  EXPECT_EQ(part.Json()["commission_vnd"], commission * 30'000 / amount);
  EXPECT_EQ(part.Json()["payment"]["status"], "paid");
  EXPECT_EQ(Balance(), amount - commission - (30'000 - commission * 30'000 / amount));

  // Cancelled afterwards: the sweep sends back what is left, again as a part.
  auto client = Client();
  ASSERT_EQ(orders::testing::Move(client, buyer_, order_id, "cancelled", "Đổi ý").status, 200);
  EXPECT_EQ(Refund(shop_.owner, order_id, 1'000).status, 422) << "the sweep's now";
  ASSERT_EQ(services().gateways->service.RefundDue().value(), 1);
  request = vnpay_.Requests().back();
  EXPECT_EQ(request["vnp_TransactionType"], "03");
  EXPECT_EQ(request["vnp_Amount"], (amount - 30'000) * 100);
  EXPECT_EQ(Payment(order_id)["status"], "refunded");
  EXPECT_EQ(Payment(order_id)["refunded_vnd"], amount);
  EXPECT_EQ(Balance(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'payments.refund.sent'"), 1);
}

TEST_P(GatewaysApiTest, AMomoPaymentRefundedWholeAndARefusedRefundChangesNothing) {
  const std::int64_t order_id = Order("momo");
  const auto payment = Payment(order_id);
  const std::string ref = payment["reference"];
  const std::int64_t amount = payment["amount_vnd"];
  auto client = Client();
  ASSERT_EQ(client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody(ref, amount)).status, 204);
  const std::int64_t vnpay_order = Order("vnpay");
  const auto [vnpay_ref, vnpay_amount] = VnpayRefOf(vnpay_order);
  ASSERT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(vnpay_ref, vnpay_amount, "00", "7003")), "00");
  const std::int64_t before = Balance();

  vnpay_.SetRefundAnswer("94");
  auto refused = Refund(shop_.owner, vnpay_order, 10'000);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(Payment(vnpay_order)["refunded_vnd"], 0) << "the reservation was released";
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'payments.refund.refused'"), 1);

  auto whole = Refund(shop_.owner, order_id, amount);
  ASSERT_EQ(whole.status, 201) << whole.body;
  ASSERT_EQ(momo_.ValidRefunds(), 1);
  EXPECT_EQ(momo_.Requests().back()["amount"], amount);
  EXPECT_EQ(Payment(order_id)["status"], "refunded");
  EXPECT_EQ(Balance(), before - (amount - amount / 10));
}

TEST_P(GatewaysApiTest, ForgedCallbacksPastTheLimitAre429AndWriteNothing) {
  const std::int64_t order_id = Order("vnpay");
  const auto [ref, amount] = VnpayRefOf(order_id);
  const std::string forged = FakeVnpay::CallbackQuery(ref, amount, "00", "1", "forged");
  for (int i = 0; i < static_cast<int>(kRefusedCallbackBurst); ++i) ASSERT_EQ(VnpayIpn(forged), "97") << i;
  auto client = Client();
  auto limited = client.Get("/api/v1/payments/vnpay/ipn?" + forged);
  EXPECT_EQ(limited.status, 429) << limited.body;
  const std::string momo_forged = FakeMomo::IpnBody(ref, amount, 0, 9, "forged").dump();
  for (int i = 0; i < static_cast<int>(kRefusedCallbackBurst); ++i) {
    ASSERT_EQ(client.Post("/api/v1/payments/momo/ipn", momo_forged).status, 400) << i;
  }
  EXPECT_EQ(client.Post("/api/v1/payments/momo/ipn", momo_forged).status, 429);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.vnpay_callback_refused'"),
            static_cast<std::int64_t>(kRefusedCallbackBurst));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'payment.momo_callback_refused'"),
            static_cast<std::int64_t>(kRefusedCallbackBurst));
  // The gateway's own calls are never limited.
  EXPECT_EQ(VnpayIpn(FakeVnpay::CallbackQuery(ref, amount, "00", "7009")), "00");
  EXPECT_EQ(Payment(order_id)["status"], "paid");
}

TEST_P(GatewaysApiTest, SecretsAreNeverLoggedOrShown) {
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  spdlog::default_logger()->sinks().push_back(sink);
  // Taken off again however the test ends (the stream dies with it).
  struct SinkGuard {
    ~SinkGuard() { spdlog::default_logger()->sinks().pop_back(); }
  } guard;
  const std::int64_t order_id = Order("vnpay");
  const auto [ref, amount] = VnpayRefOf(order_id);
  std::string seen = Payment(order_id).dump();
  auto client = Client();
  for (const std::string& query : {FakeVnpay::CallbackQuery(ref, amount, "00", "1", "forged"),
                                   FakeVnpay::CallbackQuery(ref, 1), FakeVnpay::CallbackQuery(ref, amount)}) {
    seen += client.Get("/api/v1/payments/vnpay/ipn?" + query).body;
  }
  seen += client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody("X", 1, 0, 1, "forged")).body;
  seen += client.Get("/metrics").body;
  seen += client.Get("/thanh-toan/vnpay/ket-qua?" + FakeVnpay::CallbackQuery(ref, amount)).body;
  seen += log.str();
  seen += Count("SELECT COUNT(*) FROM audit_log") > 0 ? "" : "no audit";
  auto audit =
      app_->app().db().Read([&](db::Connection& c) { return c.Query("SELECT after_json FROM audit_log"); });
  if (audit.ok()) {
    for (const auto& row : *audit) seen += row.Text(0);
  }
  EXPECT_NE(log.str().find("callback refused"), std::string::npos) << "the refusals were logged";
  for (const char* secret : {testing::kFakeVnpaySecret, testing::kFakeMomoSecretKey}) {
    EXPECT_EQ(seen.find(secret), std::string::npos) << secret << " leaked";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, GatewaysApiTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::payments::gateways
