// The shops an import creates, on each backend: a shop created among
// hundreds of others in one batch transaction is the same shop — its row,
// its owner's account and grants, its audit entry, its change-log entries,
// its claim code and its place in the programme's counts — as one created by
// a file naming it alone; a shop the sellers module refuses inside a batch
// leaves nothing of itself behind while the batch's other shops are written.
#include <sstream>

#include "catalog/catalog_test_support.hpp"
#include "catalog/product_import.hpp"
#include "sellers/shop_counts.hpp"

namespace nongsan::testing {
namespace {

constexpr const char* kHeader =
    "seller_phone,seller_name,seller_type,commune_code,sku,product_name,description,category,unit,price_vnd,"
    "stock,weight_grams";

std::string Row(const std::string& phone, const std::string& shop_name, const std::string& sku) {
  return phone + "," + shop_name + ",household," + kCommuneIn + "," + sku + ",Chè búp " + sku +
         ",Chè ngon,tea-bud,gói,180000,10,500";
}

ClientHeaders CsvAs(World& world, const TestUser& user) {
  return {{"Authorization", "Bearer " + world.Token(user.id)}, {"Content-Type", "text/csv"}};
}

// Everything the sellers and accounts modules, the catalogue's change log and
// the SMS outbox hold about the shop of `phone`, with ids replaced by what
// they name (the shop, its owner, the importing admin), so that two
// databases can be compared.
std::string ShopTrace(db::Database& db, const std::string& phone, std::int64_t admin_id) {
  std::ostringstream out;
  auto status = db.ReadWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto shop, c.QueryOne("SELECT id, owner_user_id FROM sellers WHERE phone = ?", {phone}));
    if (!shop) {
      out << "no shop";
      return Ok{};
    }
    const std::int64_t shop_id = shop->Int(0);
    const std::int64_t owner_id = shop->Int(1);
    auto name = [&](std::optional<std::int64_t> id) -> std::string {
      if (!id) return "null";
      if (*id == owner_id) return "owner";
      if (*id == admin_id) return "admin";
      return "user " + std::to_string(*id);
    };
    TRY_ASSIGN(auto s,
               c.QueryOne("SELECT slug, name, type, commune_code, province_code, address_line, "
                          "description, status, status_reason, verified_at, officer_assist, created_by, "
                          "CASE WHEN created_at = updated_at THEN 1 ELSE 0 END FROM sellers WHERE id = ?",
                          {shop_id}));
    out << "shop " << s->Text(0) << '|' << s->Text(1) << '|' << s->Text(2) << '|' << s->Text(3) << '|'
        << s->Text(4) << '|' << s->Text(5) << '|' << s->Text(6) << '|' << s->Text(7) << '|' << s->Text(8)
        << '|' << (s->IsNull(9) ? "unverified" : "verified") << '|' << s->Int(10) << '|' << name(s->Int(11))
        << '|' << s->Int(12) << '\n';
    TRY_ASSIGN(auto u, c.QueryOne("SELECT phone, full_name, email, password_hash, status, phone_verified_at, "
                                  "created_by FROM users WHERE id = ?",
                                  {owner_id}));
    if (!u) return Error::Internal("no owner");
    out << "owner " << u->Text(0) << '|' << u->Text(1) << '|' << u->IsNull(2) << u->IsNull(3) << '|'
        << u->Text(4) << '|' << u->IsNull(5) << '|' << name(u->OptInt(6)) << '\n';
    TRY_ASSIGN(
        db::Rows grants,
        c.Query("SELECT role, scope, created_by FROM user_grants WHERE user_id = ? ORDER BY role, scope",
                {owner_id}));
    for (const auto& g : grants) {
      const std::string scope = g.Text(1) == std::to_string(shop_id) ? "shop" : g.Text(1);
      out << "grant " << g.Text(0) << '|' << scope << '|' << name(g.OptInt(2)) << '\n';
    }
    TRY_ASSIGN(db::Rows audit, c.Query("SELECT actor_user_id, on_behalf_of_user_id, action, before_json, "
                                       "after_json, province_code, request_ip FROM audit_log "
                                       "WHERE object_type = 'seller' AND object_id = ? ORDER BY id",
                                       {std::to_string(shop_id)}));
    for (const auto& a : audit) {
      out << "audit " << name(a.OptInt(0)) << '|' << name(a.OptInt(1)) << '|' << a.Text(2) << '|'
          << (a.IsNull(3) ? "null" : a.Text(3)) << '|' << a.Text(4) << '|' << a.Text(5) << '|' << a.Text(6)
          << '\n';
    }
    TRY_ASSIGN(std::int64_t shop_changes,
               c.QueryInt("SELECT COUNT(*) FROM catalog_changes WHERE seller_id = ?", {shop_id}));
    TRY_ASSIGN(std::int64_t product_changes,
               c.QueryInt("SELECT COUNT(*) FROM catalog_changes WHERE product_id IN "
                          "(SELECT id FROM catalog_products WHERE seller_id = ?)",
                          {shop_id}));
    TRY_ASSIGN(std::int64_t products,
               c.QueryInt("SELECT COUNT(*) FROM catalog_products WHERE seller_id = ?", {shop_id}));
    TRY_ASSIGN(std::int64_t sms, c.QueryInt("SELECT COUNT(*) FROM sms_outbox WHERE to_phone = ?", {phone}));
    out << "changes " << shop_changes << " shop, " << product_changes << " product; products " << products
        << "; claim codes " << sms << '\n';
    return Ok{};
  });
  if (!status.ok()) return "failed: " + status.error().detail;
  return out.str();
}

// Shops the programme counts as created in the province (all time).
std::int64_t CountedShops(db::Database& db) {
  auto counts = sellers::CountShopsCreated(db, kProvince, "household", {0, 1}, std::int64_t{1} << 60);
  if (!counts.ok()) return -1;
  std::int64_t total = 0;
  for (const auto& c : *counts) total += c.shops;
  return total;
}

class ImportShops : public CatalogFixture {
 protected:
  std::int64_t Count(TestApp& app, const std::string& sql, const db::Params& params = {}) {
    auto n = app.app().db().Read([&](db::Connection& c) { return c.QueryInt(sql, params); });
    return n.ok() ? *n : -1;
  }
};

TEST_P(ImportShops, AShopCreatedInABatchIsTheShopAFileOfItsOwnCreates) {
  const std::string phone = "0913999999";  // last in phone order: in the second batch
  const std::string name = "Hộ Hoàng Văn Thụ";

  // Alone: a file of one shop, through the API.
  TestUser admin = world_.CreateUser("Sở Nông nghiệp", {{Role::kProvinceAdmin, kProvince}});
  std::string alone = std::string(kHeader) + "\n";
  for (int k = 0; k < 3; ++k) alone += Row(phone, name, "X-" + std::to_string(k)) + "\n";
  ClientResponse first = client_.Post("/api/v1/imports/products", alone, CsvAs(world_, admin));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json()["sellers_created"], 1);
  const std::string expected = ShopTrace(app_.app().db(), phone, admin.id);
  // What the sellers module makes of an imported shop, spelled out.
  EXPECT_NE(expected.find("shop ho-hoang-van-thu|" + name + "|household|" + kCommuneIn + "|" + kProvince),
            std::string::npos)
      << expected;
  EXPECT_NE(expected.find("|pending||unverified|1|admin|1\n"), std::string::npos) << expected;
  EXPECT_NE(expected.find("owner " + phone + "|" + name + "|11|unclaimed|1|admin\n"), std::string::npos)
      << expected;
  EXPECT_NE(expected.find("grant buyer||admin\ngrant shop_owner|shop|admin\n"), std::string::npos)
      << expected;
  EXPECT_NE(expected.find("audit admin|owner|seller.onboard|null|"), std::string::npos) << expected;
  EXPECT_NE(expected.find("changes 1 shop, 0 product; products 3; claim codes 1"), std::string::npos)
      << expected;
  EXPECT_EQ(CountedShops(app_.app().db()), 1);

  // Among 400 shops whose rows interleave (two batches, the shop in the
  // second), with two shops the sellers module refuses in the same batches.
  TestApp big(GetParam());
  World big_world(big);
  HttpClient big_client = big.Client();
  TestUser big_admin = big_world.CreateUser("Sở Nông nghiệp", {{Role::kProvinceAdmin, kProvince}});
  TestUser registered = big_world.CreateUser("Người đã có tài khoản");  // an active account
  const std::string long_name(150, 'a');  // the import takes 200 characters, a shop 120
  const std::string long_phone = "0913000150";
  constexpr int kShops = 400;
  constexpr int kRowsPerShop = 6;
  static_assert((kShops + 2) * kRowsPerShop > catalog::kImportBatchRows);
  const std::int64_t sms_before = Count(big, "SELECT COUNT(*) FROM sms_outbox");
  std::string file = std::string(kHeader) + "\n";
  for (int k = 0; k < kRowsPerShop; ++k) {
    const std::string sku = "X-" + std::to_string(k);
    for (int shop = 0; shop < kShops - 1; ++shop) {
      file += Row("0913" + std::to_string(100000 + shop), "Hộ số " + std::to_string(shop), sku) + "\n";
    }
    file += Row(registered.phone, "Hộ đã đăng ký", sku) + "\n";
    file += Row(long_phone, long_name, sku) + "\n";
    if (k < 3) file += Row(phone, name, sku) + "\n";
  }
  ClientResponse batch = big_client.Post("/api/v1/imports/products", file, CsvAs(big_world, big_admin));
  ASSERT_EQ(batch.status, 200) << batch.body;
  const nlohmann::json report = batch.Json();
  EXPECT_EQ(report["sellers_created"], kShops);
  EXPECT_EQ(report["created"], (kShops - 1) * kRowsPerShop + 3);
  EXPECT_EQ(report["bad_rows"], 2 * kRowsPerShop);
  EXPECT_EQ(ShopTrace(big.app().db(), phone, big_admin.id), expected);
  EXPECT_EQ(CountedShops(big.app().db()), kShops);

  // The refused shops: every row reported, nothing of them written.
  int registered_errors = 0, long_name_errors = 0;
  for (const auto& e : report["errors"]) {
    const std::string reason = e["reason"];
    registered_errors += reason.find("already has an account") != std::string::npos;
    long_name_errors += reason.find("seller: ") == 0 && reason.find("already") == std::string::npos;
  }
  EXPECT_EQ(registered_errors, kRowsPerShop) << report["errors"].dump();
  EXPECT_EQ(long_name_errors, kRowsPerShop) << report["errors"].dump();
  EXPECT_EQ(ShopTrace(big.app().db(), registered.phone, big_admin.id), "no shop");
  EXPECT_EQ(ShopTrace(big.app().db(), long_phone, big_admin.id), "no shop");
  EXPECT_EQ(Count(big, "SELECT COUNT(*) FROM users WHERE phone = ?", {long_phone}), 0);
  EXPECT_EQ(
      Count(big, "SELECT COUNT(*) FROM user_grants WHERE user_id = ? AND role <> 'buyer'", {registered.id}),
      0);
  EXPECT_EQ(Count(big, "SELECT COUNT(*) FROM audit_log WHERE on_behalf_of_user_id = ?", {registered.id}), 0);
  EXPECT_EQ(Count(big, "SELECT COUNT(*) FROM sms_outbox"),
            sms_before + kShops);  // one claim code per new shop
  EXPECT_EQ(Count(big, "SELECT COUNT(*) FROM sellers"), kShops);
  EXPECT_EQ(Count(big, "SELECT COUNT(*) FROM audit_log WHERE action = 'seller.onboard'"), kShops);
  // Search hears of every new shop (once per batch holding its rows).
  EXPECT_EQ(Count(big, "SELECT COUNT(DISTINCT seller_id) FROM catalog_changes WHERE seller_id IS NOT NULL"),
            kShops);

  // The same file again changes nothing and creates no shop.
  ClientResponse again = big_client.Post("/api/v1/imports/products", file, CsvAs(big_world, big_admin));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["sellers_created"], 0);
  EXPECT_EQ(again.Json()["unchanged"], (kShops - 1) * kRowsPerShop + 3);
  EXPECT_EQ(again.Json()["bad_rows"], 2 * kRowsPerShop);
  EXPECT_EQ(ShopTrace(big.app().db(), phone, big_admin.id), expected);
}

INSTANTIATE_TEST_SUITE_P(Import, ImportShops, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
