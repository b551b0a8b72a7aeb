// A cooperative's member households and their share, over real HTTP on both
// backends: two member shops paid through a gateway (one refunded in part),
// the cooperative's table equal to each member's own ledger, shops that are
// not (or no longer) members left out, bad ranges refused naming the field,
// the CSV read back by Python's csv module.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/money.hpp"
#include "orders/orders_test_support.hpp"
#include "payments/payments_module.hpp"
#include "payments/payments_test_support.hpp"

namespace nongsan::payments {
namespace {

using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using orders::testing::CheckoutBody;
using orders::testing::kTnCommuneA;
using orders::testing::Person;
using orders::testing::PostCheckout;
using orders::testing::Shop;

constexpr int kCommissionPercent = 10;
constexpr const char* kSecret = "bi-mat-webhook-htx";

// Refunds go through; pay_url is not needed here.
class AcceptingGateway final : public Gateway {
 public:
  Result<std::string> PayUrl(const GatewayOrder& order) override {
    return "https://sandbox.example.vn/" + order.reference;
  }
  Result<std::string> Refund(const GatewayRefundOrder& refund) override {
    return "RF-" + std::to_string(refund.order_id) + "-" + std::to_string(refund.amount_vnd);
  }
};

class MemberShares : public orders::testing::OrdersApiTest {
 protected:
  app::Config MakeConfig() override {
    app::Config config;
    config.commission_percent = kCommissionPercent;
    config.bank_webhook_secret = kSecret;
    return config;
  }
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (HasFatalFailure()) return;
    services().payments->payments.SetGateway("vnpay", &gateway_);
    coop_owner_ = NewPerson("Chủ nhiệm HTX Chè La Bằng");
    sellers::SellerInput input;
    input.name = "HTX Chè La Bằng";
    input.type = "cooperative";
    input.commune_code = kTnCommuneA;
    input.address_line = "Xóm Đồng Kiệm";
    auto coop = services().sellers->Create(PrincipalOf(coop_owner_), input,
                                           accounts::ClientInfo{"127.0.0.1", "test"});
    ASSERT_TRUE(coop.ok()) << coop.error().detail;
    coop_ = coop->id;
    buyer_ = NewPerson("Nguyễn Thị Hoa");
  }
  void TearDown() override {
    if (app_) {
      testing::ExpectLedgerHolds(app_->app().db());
      services().payments->payments.SetGateway("vnpay", nullptr);
    }
    OrdersApiTest::TearDown();
  }

  std::string CoopPath(const std::string& tail) const {
    return "/api/v1/sellers/" + std::to_string(coop_) + tail;
  }
  static std::string ShopPath(const Shop& shop, const std::string& tail) {
    return "/api/v1/sellers/" + std::to_string(shop.id) + tail;
  }

  // A household shop that takes VNPay; a member of the cooperative when asked.
  Shop Household(const std::string& name, bool member) {
    Shop shop = NewShop(name, kTnCommuneA);
    HttpClient client = Client();
    EXPECT_EQ(
        client
            .Put(ShopPath(shop, "/payment-methods"), nlohmann::json{{"methods", {"vnpay"}}}, shop.owner.auth)
            .status,
        200);
    if (member) Join(shop);
    return shop;
  }
  // Invited by the cooperative, accepted by the household.
  void Join(const Shop& shop) {
    const accounts::ClientInfo client{"127.0.0.1", "test"};
    auto invited = services().sellers->AddMember(PrincipalOf(coop_owner_), coop_, shop.id, client);
    ASSERT_TRUE(invited.ok()) << invited.error().detail;
    auto accepted = services().sellers->AcceptMember(PrincipalOf(shop.owner), coop_, shop.id, client);
    ASSERT_TRUE(accepted.ok()) << accepted.error().detail;
  }
  // An order of `quantity` of the shop's product, paid in full through VNPay; its id and amount.
  std::pair<std::int64_t, std::int64_t> PaidOrder(const Shop& shop, std::int64_t price,
                                                  std::int64_t quantity) {
    const std::int64_t product = NewProduct(shop, {"Chè búp", price, 20, 500});
    HttpClient client = Client();
    nlohmann::json body = CheckoutBody({{product, quantity}});
    body["payment_method"] = "vnpay";
    auto placed = PostCheckout(client, buyer_, "share-" + std::to_string(++placed_), body);
    EXPECT_EQ(placed.status, 201) << placed.body;
    if (placed.status != 201) return {0, 0};
    const std::int64_t id = placed.Json()["orders"][0]["id"];
    auto payment = client.Get("/api/v1/orders/" + std::to_string(id) + "/payment", buyer_.auth).Json();
    const std::int64_t amount = payment["amount_vnd"];
    auto applied = services().payments->payments.ApplyGatewayPayment(
        "vnpay", payment["reference"], amount, "VNP" + std::to_string(id), nongsan::testing::kTestNowMs);
    EXPECT_TRUE(applied.ok() && applied->outcome == ReceiptOutcome::kApplied);
    return {id, amount};
  }
  static std::string Today() { return timefmt::IsoDate(timefmt::LocalDay(nongsan::testing::kTestNowMs)); }
  ClientResponse Shares(const Person& who, const std::string& query, const std::string& suffix = "") {
    HttpClient client = Client();
    return client.Get(CoopPath("/ledger/members" + suffix + query), who.auth);
  }

  AcceptingGateway gateway_;
  Person coop_owner_;
  Person buyer_;
  std::int64_t coop_ = 0;
  int placed_ = 0;
};

// The rows of a CSV file as Python's csv module reads them.
nlohmann::json CsvRows(const std::string& bytes) {
  const auto file =
      std::filesystem::temp_directory_path() / ("nongsan-shares-" + std::to_string(::getpid()) + ".csv");
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string out = testing::CommandOutput(
      "/usr/bin/python3 -c \"import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], "
      "encoding='utf-8-sig', newline='')))))\" " +
      testing::Quoted(file.string()) + " 2>&1");
  std::filesystem::remove(file);
  auto parsed = nlohmann::json::parse(out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "python csv: " << out;
  return parsed;
}

TEST_P(MemberShares, TheCooperativeSeesEachMembersShareAsEachMembersOwnLedgerSaysIt) {
  const Shop tea = Household("Chè Hảo Đạt, \"xóm 1\"", true);
  const Shop honey = Household("Mật ong Ba Vì", true);
  const Shop stranger = Household("Chè Tân Cương ngoài HTX", false);
  const Shop leaving = Household("Hộ đã rời HTX", true);
  const auto [tea_order, tea_amount] = PaidOrder(tea, 100'000, 2);
  const auto [honey_order, honey_amount] = PaidOrder(honey, 120'000, 1);
  PaidOrder(stranger, 80'000, 1);
  PaidOrder(leaving, 90'000, 1);
  ASSERT_GT(tea_amount, 0);
  ASSERT_GT(honey_amount, 0);
  ASSERT_TRUE(services()
                  .sellers
                  ->RemoveMember(PrincipalOf(coop_owner_), coop_, leaving.id,
                                 accounts::ClientInfo{"127.0.0.1", "test"})
                  .ok());
  // Part of the tea order goes back to the buyer.
  HttpClient client = Client();
  auto refund =
      client.Post("/api/v1/orders/" + std::to_string(tea_order) + "/refunds",
                  nlohmann::json{{"amount_vnd", 50'000}, {"note", "Thiếu hàng"}}.dump(), tea.owner.auth);
  ASSERT_EQ(refund.status, 201) << refund.body;
  const std::int64_t commission_back = refund.Json()["commission_vnd"];

  auto shares = Shares(coop_owner_, "?from=" + Today() + "&to=" + Today());
  ASSERT_EQ(shares.status, 200) << shares.body;
  const nlohmann::json members = shares.Json()["members"];
  ASSERT_EQ(members.size(), 2u) << "neither the stranger nor the household that left: " << shares.body;
  EXPECT_EQ(members[0]["member_id"], tea.id);
  EXPECT_EQ(members[0]["name"], "Chè Hảo Đạt, \"xóm 1\"");
  EXPECT_EQ(members[1]["member_id"], honey.id);

  const std::int64_t tea_commission = tea_amount * kCommissionPercent / 100 - commission_back;
  EXPECT_EQ(members[0]["sales_vnd"], tea_amount);
  EXPECT_EQ(members[0]["refunds_vnd"], 50'000);
  EXPECT_EQ(members[0]["commission_vnd"], tea_commission);
  EXPECT_EQ(members[0]["net_vnd"], tea_amount - 50'000 - tea_commission);
  EXPECT_EQ(members[1]["sales_vnd"], honey_amount);
  EXPECT_EQ(members[1]["refunds_vnd"], 0);
  EXPECT_EQ(members[1]["commission_vnd"], honey_amount * kCommissionPercent / 100);

  // Each member, signed in as itself, reads its own ledger: its entries sum
  // to the cooperative's net and its balance is the one shown.
  std::int64_t total_net = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    const Shop& shop = i == 0 ? tea : honey;
    auto own = client.Get(ShopPath(shop, "/ledger"), shop.owner.auth);
    ASSERT_EQ(own.status, 200) << own.body;
    const nlohmann::json ledger = own.Json();
    std::int64_t sum = 0;
    for (const auto& e : ledger["entries"]) sum += e["amount_vnd"].get<std::int64_t>();
    EXPECT_GT(sum, 0);
    EXPECT_EQ(members[i]["net_vnd"], sum) << shop.id;
    EXPECT_EQ(members[i]["balance_vnd"], ledger["balance_vnd"]) << shop.id;
    total_net += sum;
  }
  EXPECT_EQ(shares.Json()["totals"]["net_vnd"], total_net);
  EXPECT_EQ(shares.Json()["totals"]["sales_vnd"], tea_amount + honey_amount);

  // A member household sees its own ledger, not the cooperative's table.
  EXPECT_EQ(Shares(tea.owner, "").status, 404);
  EXPECT_EQ(Shares(stranger.owner, "").status, 404);
  EXPECT_EQ(client.Get(ShopPath(tea, "/ledger"), honey.owner.auth).status, 404);

  // Before the sales: nothing sold, nothing owed.
  auto before = Shares(coop_owner_, "?from=2026-01-01&to=2026-01-31");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.Json()["totals"]["sales_vnd"], 0);
  EXPECT_EQ(before.Json()["totals"]["balance_vnd"], 0);

  // The CSV says the same, read by a parser we did not write.
  auto csv = Shares(coop_owner_, "?from=" + Today() + "&to=" + Today(), ".csv");
  ASSERT_EQ(csv.status, 200);
  const auto rows = CsvRows(csv.body);
  ASSERT_EQ(rows.size(), 4u) << rows.dump();
  EXPECT_EQ(rows[0], nlohmann::json({"member_id", "name", "sales_vnd", "commission_vnd", "refunds_vnd",
                                     "net_vnd", "balance_vnd"}));
  EXPECT_EQ(rows[1][0], std::to_string(tea.id));
  EXPECT_EQ(rows[1][1], "Chè Hảo Đạt, \"xóm 1\"");
  EXPECT_EQ(rows[1][5], std::to_string(members[0]["net_vnd"].get<std::int64_t>()));
  EXPECT_EQ(rows[3][1], "total");
  EXPECT_EQ(rows[3][2], std::to_string(tea_amount + honey_amount));
}

TEST_P(MemberShares, BadRangesAreRefusedNamingTheField) {
  struct Case {
    std::string query;
    std::string field;
  };
  const Case cases[] = {{"?from=2026-13-01", "from"},
                        {"?to=30/11/2026", "to"},
                        {"?from=2026-11-30&to=2026-11-01", "from"},
                        {"?from=2025-01-01&to=2026-11-30", "to"}};
  for (const Case& c : cases) {
    for (const std::string suffix : {"", ".csv"}) {
      auto refused = Shares(coop_owner_, c.query, suffix);
      EXPECT_EQ(refused.status, 422) << c.query << suffix << ": " << refused.body;
      EXPECT_EQ(refused.Json()["errors"][0]["field"], c.field) << c.query << suffix;
    }
  }
  // A whole year is allowed.
  EXPECT_EQ(Shares(coop_owner_, "?from=2026-01-01&to=2026-12-31").status, 200);
  // A household shop has no members to show.
  const Shop household = Household("Chè một hộ", false);
  HttpClient client = Client();
  EXPECT_EQ(client.Get(ShopPath(household, "/ledger/members"), household.owner.auth).status, 404);
}

TEST_P(MemberShares, TheCooperativesPaymentsPageShowsTheMembersTable) {
  const Shop tea = Household("Chè Hảo Đạt", true);
  const auto [order, amount] = PaidOrder(tea, 100'000, 1);
  ASSERT_GT(order, 0);
  HttpClient client = Client();
  const std::string page = "/kenh-ban/cua-hang/" + std::to_string(coop_) + "/thanh-toan";
  auto shown = client.Get(page + "?tu=" + Today() + "&den=" + Today(), coop_owner_.auth);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find("Phần của các hộ thành viên"), std::string::npos);
  EXPECT_NE(shown.body.find("Chè Hảo Đạt"), std::string::npos);
  EXPECT_NE(shown.body.find(money::FormatVnd(amount)), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("/ledger/members.csv?from=" + Today() + "&amp;to=" + Today()), std::string::npos);
  // Each name links to the member's own statement, which the cooperative's
  // owner and managers may open (they manage their members' shops).
  const std::string link = "href=\"/kenh-ban/cua-hang/" + std::to_string(tea.id) + "/thanh-toan\"";
  EXPECT_NE(shown.body.find(link), std::string::npos);
  EXPECT_EQ(
      client.Get("/kenh-ban/cua-hang/" + std::to_string(tea.id) + "/thanh-toan", coop_owner_.auth).status,
      200);
  const Person manager = NewPerson("Quản lý HTX", {{Role::kCoopManager, std::to_string(coop_)}});
  auto managed = client.Get(page, manager.auth);
  ASSERT_EQ(managed.status, 200) << managed.body;
  EXPECT_NE(managed.body.find(link), std::string::npos);
  // A stranger to the cooperative sees no table and no page.
  EXPECT_EQ(client.Get(page, tea.owner.auth).status, 404);

  // A bad date is said beside its field, in Vietnamese.
  auto bad = client.Get(page + "?tu=2026-11-30&den=2026-11-01", coop_owner_.auth);
  ASSERT_EQ(bad.status, 200);
  EXPECT_NE(bad.body.find("id=\"tu-err\">Ngày bắt đầu không được sau ngày kết thúc."), std::string::npos)
      << bad.body;
  // A household's own page has no members' table.
  auto own = client.Get("/kenh-ban/cua-hang/" + std::to_string(tea.id) + "/thanh-toan", tea.owner.auth);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.body.find("Phần của các hộ thành viên"), std::string::npos);
}

// A VietQR sale lands in the member's own account: its refund moves no
// clearing money, yet the table still shows the part refunded, and the
// balance (the commission the member owes) is its own ledger's.
TEST_P(MemberShares, AVietQrMembersRefundIsCountedAndItsBalanceIsItsOwn) {
  const Shop rice = NewShop("Gạo nếp cái hoa vàng", kTnCommuneA);
  Join(rice);
  HttpClient client = Client();
  ASSERT_EQ(client
                .Put(ShopPath(rice, "/payout-account"),
                     nlohmann::json{{"bank_bin", "970436"},
                                    {"account_number", "0022003344556"},
                                    {"account_name", "TRAN VAN BINH"},
                                    {"password", "mat-khau-123"}},
                     rice.owner.auth)
                .status,
            200);
  ASSERT_EQ(
      client.Put(ShopPath(rice, "/payment-methods"), nlohmann::json{{"methods", {"vietqr"}}}, rice.owner.auth)
          .status,
      200);
  const std::int64_t product = NewProduct(rice, {"Gạo nếp", 60'000, 20, 1000});
  nlohmann::json body = CheckoutBody({{product, 2}});
  body["payment_method"] = "vietqr";
  auto placed = PostCheckout(client, buyer_, "share-qr", body);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::int64_t id = placed.Json()["orders"][0]["id"];
  const nlohmann::json payment =
      client.Get("/api/v1/orders/" + std::to_string(id) + "/payment", buyer_.auth).Json();
  const std::int64_t amount = payment["amount_vnd"];
  const std::string raw = nlohmann::json{{"id", "FT-HTX-1"},
                                         {"account_number", "0022003344556"},
                                         {"amount_vnd", amount},
                                         {"description", payment["reference"]},
                                         {"transferred_at", "2026-11-29T10:05:00+07:00"}}
                              .dump();
  auto paid = client.Post("/api/v1/payments/bank-transfers", raw,
                          {{"X-Signature", testing::OpensslHmacSha256(kSecret, raw)}});
  ASSERT_EQ(paid.status, 200) << paid.body;
  ASSERT_EQ(paid.Json()["payment_status"], "paid");
  auto refund =
      client.Post("/api/v1/orders/" + std::to_string(id) + "/refunds",
                  nlohmann::json{{"amount_vnd", 20'000}, {"note", "FT hoàn 1 phần"}}.dump(), rice.owner.auth);
  ASSERT_EQ(refund.status, 201) << refund.body;

  auto shares = Shares(coop_owner_, "?from=" + Today() + "&to=" + Today());
  ASSERT_EQ(shares.status, 200) << shares.body;
  const nlohmann::json row = shares.Json()["members"][0];
  const std::int64_t commission =
      amount * kCommissionPercent / 100 - refund.Json()["commission_vnd"].get<std::int64_t>();
  EXPECT_EQ(row["member_id"], rice.id);
  EXPECT_EQ(row["sales_vnd"], amount);
  EXPECT_EQ(row["refunds_vnd"], 20'000);
  EXPECT_EQ(row["commission_vnd"], commission);
  EXPECT_EQ(row["net_vnd"], amount - 20'000 - commission);
  auto own = client.Get(ShopPath(rice, "/ledger"), rice.owner.auth);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(row["balance_vnd"], own.Json()["balance_vnd"]);
  EXPECT_EQ(row["balance_vnd"], -commission) << "the member owes the commission on money it collected itself";
}

INSTANTIATE_TEST_SUITE_P(Payments, MemberShares, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::payments
