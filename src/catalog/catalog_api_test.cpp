// The catalogue API over real HTTP on each backend: product CRUD and who may
// do it, validation, listings, ETags, categories, administrative units, stock
// movements for the orders module and suspension by the quality module.
#include <map>

#include "catalog/catalog_test_support.hpp"
#include "catalog/product_store.hpp"

namespace nongsan::testing {
namespace {

class CatalogApi : public CatalogFixture {};

std::string ProductPath(std::int64_t id) { return "/api/v1/products/" + std::to_string(id); }

TEST_P(CatalogApi, CreateReadUpdateDelete) {
  TestShop shop = MakeShop();
  nlohmann::json body = ProductBody("CHE-01", "Chè móc câu Tân Cương", {{"status", nullptr}});
  body["gtin"] = "8936045123454";
  ClientResponse created =
      client_.Post("/api/v1/sellers/" + std::to_string(shop.id) + "/products", body, As(shop.owner));
  ASSERT_EQ(created.status, 201) << created.body;
  auto product = created.Json();
  const std::int64_t id = product["id"];
  EXPECT_EQ(created.Header("location"), ProductPath(id));
  EXPECT_EQ(product["slug"], "che-moc-cau-tan-cuong");
  EXPECT_EQ(product["status"], "draft");  // the default
  EXPECT_EQ(product["price_display"], "180.000\u00a0₫");
  EXPECT_EQ(product["category"]["code"], "tea-bud");
  EXPECT_EQ(product["origin"]["commune_code"], kCommuneIn);  // the shop's commune by default
  EXPECT_EQ(product["origin"]["province_code"], kProvince);

  // A draft is the shop's business only.
  EXPECT_EQ(client_.Get(ProductPath(id)).status, 404);
  EXPECT_EQ(client_.Get(ProductPath(id), As(shop.owner)).status, 200);

  ClientResponse activated =
      client_.Patch(ProductPath(id), nlohmann::json{{"status", "active"}}, As(shop.owner));
  ASSERT_EQ(activated.status, 200) << activated.body;
  ClientResponse read = client_.Get(ProductPath(id));
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.Json()["name"], "Chè móc câu Tân Cương");
  EXPECT_FALSE(read.Json().contains("suspended_reason"));  // manager-only field
  const std::string etag = read.Header("etag");
  ASSERT_FALSE(etag.empty());
  ClientResponse cached = client_.Get(ProductPath(id), {{"If-None-Match", etag}});
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());

  ClientResponse repriced =
      client_.Patch(ProductPath(id), nlohmann::json{{"price_vnd", 200000}, {"stock", 35}, {"gtin", nullptr}},
                    As(shop.owner));
  ASSERT_EQ(repriced.status, 200) << repriced.body;
  EXPECT_EQ(repriced.Json()["stock"], 35);
  EXPECT_TRUE(repriced.Json()["gtin"].is_null());
  EXPECT_EQ(client_.Get(ProductPath(id), {{"If-None-Match", etag}}).status, 200);  // changed, so no 304

  EXPECT_EQ(client_.Delete(ProductPath(id), As(shop.owner)).status, 204);
  EXPECT_EQ(client_.Get(ProductPath(id)).status, 404);
  EXPECT_EQ(client_.Get(ProductPath(id), As(shop.owner)).status, 404);
  // The SKU of a deleted product is free again.
  EXPECT_GT(CreateProduct(shop, ProductBody("CHE-01", "Chè móc câu Tân Cương loại 1")), 0);
}

TEST_P(CatalogApi, AGtinIsCarriedByOneProductOfAShop) {
  TestShop shop = MakeShop();
  const std::string shop_path = "/api/v1/sellers/" + std::to_string(shop.id) + "/products";
  nlohmann::json first = ProductBody("CHE-G1", "Chè búp Tân Cương");
  first["gtin"] = "8936045123454";
  ASSERT_EQ(client_.Post(shop_path, first, As(shop.owner)).status, 201);

  nlohmann::json second = ProductBody("CHE-G2", "Chè móc câu");
  second["gtin"] = "8936045123454";
  ClientResponse taken = client_.Post(shop_path, second, As(shop.owner));
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_NE(taken.body.find("8936045123454"), std::string::npos);

  second.erase("gtin");
  ClientResponse created = client_.Post(shop_path, second, As(shop.owner));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.Json()["id"];
  ClientResponse patched =
      client_.Patch(ProductPath(id), nlohmann::json{{"gtin", "8936045123454"}}, As(shop.owner));
  EXPECT_EQ(patched.status, 409) << patched.body;
  EXPECT_TRUE(client_.Get(ProductPath(id), As(shop.owner)).Json()["gtin"].is_null()) << "nothing written";

  // Another shop may sell the same trade item under its maker's GTIN.
  TestShop other = MakeShop();
  nlohmann::json resold = ProductBody("CHE-G1", "Chè búp Tân Cương");
  resold["gtin"] = "8936045123454";
  EXPECT_EQ(client_.Post("/api/v1/sellers/" + std::to_string(other.id) + "/products", resold, As(other.owner))
                .status,
            201);
}

TEST_P(CatalogApi, OnlyTheShopsPeopleMayWrite) {
  TestShop shop = MakeShop();
  TestShop other = MakeShop(kCommuneOut, "Miến dong Na Rì");
  TestUser staff = world_.CreateUser("Lộc Văn Thắng");
  world_.AddStaff(shop.owner.id, shop.id, staff.phone);
  const std::int64_t id = CreateProduct(shop, ProductBody("GAO-5KG", "Gạo Bao Thai Định Hóa"));
  const std::string create_path = "/api/v1/sellers/" + std::to_string(shop.id) + "/products";

  // Anonymous: 401 for writes.
  EXPECT_EQ(client_.Post(create_path, ProductBody("X1", "Gạo nếp")).status, 401);
  EXPECT_EQ(client_.Patch(ProductPath(id), nlohmann::json{{"price_vnd", 1000}}).status, 401);
  EXPECT_EQ(client_.Delete(ProductPath(id)).status, 401);
  // Another shop's owner: the product and the shop do not exist for them.
  EXPECT_EQ(client_.Post(create_path, ProductBody("X1", "Gạo nếp"), As(other.owner)).status, 404);
  EXPECT_EQ(client_.Patch(ProductPath(id), nlohmann::json{{"price_vnd", 1000}}, As(other.owner)).status, 404);
  EXPECT_EQ(client_.Delete(ProductPath(id), As(other.owner)).status, 404);
  // The shop's staff may manage products.
  EXPECT_EQ(client_.Patch(ProductPath(id), nlohmann::json{{"price_vnd", 26000}}, As(staff)).status, 200);
  EXPECT_EQ(client_.Post(create_path, ProductBody("X2", "Gạo nếp vải"), As(staff)).status, 201);
  EXPECT_EQ(client_.Get(ProductPath(id)).Json()["price_vnd"], 26000);
}

TEST_P(CatalogApi, RefusesBadInputWithEveryField) {
  TestShop shop = MakeShop();
  const std::string path = "/api/v1/sellers/" + std::to_string(shop.id) + "/products";
  ClientResponse bad = client_.Post(path,
                                    ProductBody("bad sku", "x",
                                                {{"price_vnd", -1},
                                                 {"unit", "thùng phi"},
                                                 {"category", "nope"},
                                                 {"weight_grams", 0},
                                                 {"gtin", "8936045123450"},
                                                 {"origin_commune", "99999"}}),
                                    As(shop.owner));
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> fields;
  const nlohmann::json bad_errors = bad.Json()["errors"];
  for (const auto& e : bad_errors) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"sku", "name", "price_vnd", "unit", "category", "weight_grams",
                                           "gtin", "origin_commune"}));
  EXPECT_EQ(client_.Post(path, ProductBody("A", "Chè", {{"price_vnd", "180000"}}), As(shop.owner)).status,
            400);
  EXPECT_EQ(client_.Post(path, ProductBody("A", "Chè xanh", {{"price_vnd", 1.5}}), As(shop.owner)).status,
            400);
  EXPECT_EQ(client_.Post(path, ProductBody("A", "Chè xanh", {{"colour", "green"}}), As(shop.owner)).status,
            400);
  EXPECT_EQ(
      client_.Post(path, ProductBody("A", "Chè xanh", {{"status", "suspended"}}), As(shop.owner)).status,
      400);
  EXPECT_EQ(client_.Post(path, std::string("{not json"), As(shop.owner)).status, 400);
  EXPECT_EQ(
      client_
          .Post(path, ProductBody("A", "Chè xanh", {{"price_vnd", 1'000'000'000'000'000LL}}), As(shop.owner))
          .status,
      400);

  ASSERT_GT(CreateProduct(shop, ProductBody("DUP", "Chè xanh")), 0);
  ClientResponse dup = client_.Post(path, ProductBody("DUP", "Chè đen"), As(shop.owner));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.Json()["code"], "duplicate_sku");
  EXPECT_EQ(client_.Get("/api/v1/products/abc").status, 404);
  EXPECT_EQ(client_.Get("/api/v1/products/999999").status, 404);
}

// The product bodies are read by the one validator, http::JsonInput: its
// messages, unknown members refused on create and edit alike.
TEST_P(CatalogApi, ProductBodiesSayWhatIsWrongAsEveryJsonBodyDoes) {
  TestShop shop = MakeShop();
  const std::string path = "/api/v1/sellers/" + std::to_string(shop.id) + "/products";
  nlohmann::json body = ProductBody("A", "Chè xanh", {{"colour", "green"}, {"unit", 5}});
  body.erase("name");
  ClientResponse bad = client_.Post(path, body, As(shop.owner));
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::map<std::string, std::string> messages;
  // Held in a variable: a range-for over a member of a temporary dangles.
  const nlohmann::json bad_json = bad.Json();
  for (const auto& e : bad_json["errors"])
    messages[e["field"].get<std::string>()] = e["message"].get<std::string>();
  EXPECT_EQ(messages["colour"], "Unknown field.");
  EXPECT_EQ(messages["name"], "This field is required.");
  EXPECT_EQ(messages["unit"], "Must be a string.");
  ClientResponse huge = client_.Post(
      path, ProductBody("A", "Chè xanh", {{"price_vnd", 18'000'000'000'000'000'000ULL}}), As(shop.owner));
  ASSERT_EQ(huge.status, 400);
  EXPECT_EQ(huge.Json()["errors"][0]["message"], "Out of range.");
  const std::int64_t id = CreateProduct(shop, ProductBody("B", "Chè đen"));
  ASSERT_GT(id, 0);
  ClientResponse patch =
      client_.Patch(ProductPath(id), nlohmann::json{{"nme", "Chè"}, {"status", "gone"}}, As(shop.owner));
  ASSERT_EQ(patch.status, 400) << patch.body;
  messages.clear();
  const nlohmann::json patch_json = patch.Json();
  for (const auto& e : patch_json["errors"])
    messages[e["field"].get<std::string>()] = e["message"].get<std::string>();
  EXPECT_EQ(messages["nme"], "Unknown field.");
  EXPECT_EQ(messages["status"], "Must be draft, active or hidden.");
}

TEST_P(CatalogApi, ShopListingShowsThePublicOnlyActiveProducts) {
  TestShop shop = MakeShop();
  const std::int64_t a = CreateProduct(shop, ProductBody("A", "Na dai Võ Nhai"));
  const std::int64_t b = CreateProduct(shop, ProductBody("B", "Ổi Linh Sơn", {{"status", "hidden"}}));
  const std::int64_t c = CreateProduct(shop, ProductBody("C", "Hồng không hạt", {{"status", "draft"}}));
  const std::string path = "/api/v1/sellers/" + std::to_string(shop.id) + "/products";
  auto ids = [](const ClientResponse& r) {
    std::vector<std::int64_t> out;
    const nlohmann::json r_items = r.Json()["items"];
    for (const auto& item : r_items) out.push_back(item["id"]);
    return out;
  };
  EXPECT_EQ(ids(client_.Get(path)), (std::vector<std::int64_t>{a}));
  EXPECT_EQ(ids(client_.Get(path, As(shop.owner))), (std::vector<std::int64_t>{c, b, a}));
  EXPECT_EQ(ids(client_.Get(path + "?status=hidden", As(shop.owner))), (std::vector<std::int64_t>{b}));
  ClientResponse first = client_.Get(path + "?limit=2", As(shop.owner));
  EXPECT_EQ(ids(first), (std::vector<std::int64_t>{c, b}));
  const std::string cursor = first.Json()["next_cursor"];
  ClientResponse second = client_.Get(path + "?limit=2&cursor=" + cursor, As(shop.owner));
  EXPECT_EQ(ids(second), (std::vector<std::int64_t>{a}));
  EXPECT_TRUE(second.Json()["next_cursor"].is_null());
  EXPECT_EQ(client_.Get(path + "?limit=0").status, 400);
  EXPECT_EQ(client_.Get(path + "?cursor=zz").status, 400);
  EXPECT_EQ(client_.Get("/api/v1/sellers/999999/products").status, 404);
}

TEST_P(CatalogApi, CategoriesAreATwoLevelTree) {
  ClientResponse r = client_.Get("/api/v1/categories");
  ASSERT_EQ(r.status, 200);
  auto items = r.Json()["items"];
  ASSERT_GE(items.size(), 11u);
  EXPECT_EQ(items[0]["code"], "tea");
  EXPECT_EQ(items[0]["name_en"], "Tea");
  bool honey = false;
  for (const auto& top : items) {
    if (top["code"] == "honey") {
      honey = true;
      EXPECT_EQ(top["name"], "Mật ong");
      EXPECT_GE(top["children"].size(), 2u);
    }
  }
  EXPECT_TRUE(honey);
  EXPECT_EQ(client_.Get("/api/v1/categories", {{"If-None-Match", r.Header("etag")}}).status, 304);
  EXPECT_NE(r.Header("cache-control").find("max-age"), std::string::npos);
}

TEST_P(CatalogApi, AdministrativeUnits) {
  ClientResponse provinces = client_.Get("/api/v1/admin-units");
  ASSERT_EQ(provinces.status, 200);
  EXPECT_EQ(provinces.Json()["items"].size(), 34u);

  ClientResponse communes = client_.Get("/api/v1/admin-units?parent=19");
  ASSERT_EQ(communes.status, 200);
  EXPECT_EQ(communes.Json()["items"].size(), 92u);
  bool tan_cuong = false;
  const nlohmann::json communes_items = communes.Json()["items"];
  for (const auto& u : communes_items) tan_cuong = tan_cuong || u["code"] == "05503";
  EXPECT_TRUE(tan_cuong);

  ClientResponse one = client_.Get("/api/v1/admin-units/05503");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.Json()["name"], "Xã Tân Cương");
  EXPECT_EQ(one.Json()["province_code"], "19");

  // Searching without tone marks, đ → d.
  ClientResponse found = client_.Get("/api/v1/admin-units?q=dai%20tu");
  ASSERT_EQ(found.status, 200);
  bool dai_tu = false;
  const nlohmann::json found_items = found.Json()["items"];
  for (const auto& u : found_items) dai_tu = dai_tu || u["name"] == "Xã Đại Từ";
  EXPECT_TRUE(dai_tu) << found.body;

  ClientResponse old = client_.Get("/api/v1/admin-units/164?scheme=pre2025");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.Json()["level"], "district");

  EXPECT_EQ(client_.Get("/api/v1/admin-units/77777").status, 404);
  EXPECT_EQ(client_.Get("/api/v1/admin-units?parent=77777").status, 404);
  EXPECT_EQ(client_.Get("/api/v1/admin-units?q=%FF").status, 400);
  EXPECT_EQ(client_.Get("/api/v1/admin-units?limit=1000").status, 400);
  EXPECT_EQ(client_.Get("/api/v1/admin-units/05503?scheme=1990").status, 400);
}

TEST_P(CatalogApi, StockMovesThroughTheLedger) {
  TestShop shop = MakeShop();
  const std::int64_t id = CreateProduct(shop, ProductBody("MAT-ONG", "Mật ong rừng Ba Bể", {{"stock", 10}}));
  catalog::InventoryService& inventory = *app_.app().services().inventory;
  db::Database& db = app_.app().db();

  auto left = db.Write([&](db::Connection& c) { return inventory.Reserve(c, id, 4, "order-1"); });
  ASSERT_TRUE(left.ok()) << left.error().detail;
  EXPECT_EQ(*left, 6);
  auto short_of = db.Write([&](db::Connection& c) { return inventory.Reserve(c, id, 7, "order-2"); });
  ASSERT_FALSE(short_of.ok());
  EXPECT_EQ(short_of.error().type, "out_of_stock");
  EXPECT_EQ(short_of.error().extra["available"], 6);

  ASSERT_TRUE(db.Write([&](db::Connection& c) { return inventory.Reserve(c, id, 6, "order-2"); }).ok());
  ASSERT_TRUE(
      db.WriteWith([&](db::Connection& c) { return inventory.ConfirmSale(c, id, 4, "order-1"); }).ok());
  ASSERT_TRUE(db.Write([&](db::Connection& c) { return inventory.Release(c, id, 2, "order-2"); }).ok());
  // order-2 now holds 4; releasing 5 would create stock from nothing.
  auto too_much = db.Write([&](db::Connection& c) { return inventory.Release(c, id, 5, "order-2"); });
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().type, "not_held");

  // The seller restocks by setting a new stock figure.
  ASSERT_EQ(client_.Patch(ProductPath(id), nlohmann::json{{"stock", 12}}, As(shop.owner)).status, 200);
  auto account = db.Read([&](db::Connection& c) { return inventory.Account(c, id); });
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->initial, 10);
  EXPECT_EQ(account->restocked, 10);  // 2 → 12
  EXPECT_EQ(account->available, 12);
  EXPECT_EQ(account->held, 4);
  EXPECT_EQ(account->sold, 4);
  EXPECT_TRUE(account->Balanced());

  auto snapshot = db.Read([&](db::Connection& c) { return inventory.GetForOrder(c, id); });
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->name, "Mật ong rừng Ba Bể");
  EXPECT_EQ(snapshot->price_vnd, 180000);
  EXPECT_TRUE(snapshot->Orderable());

  // A suspended product cannot be ordered, but held stock can still go back.
  ASSERT_TRUE(catalog().catalog.SetSuspended(id, true, "Nhãn sai xuất xứ").ok());
  auto unavailable = db.Write([&](db::Connection& c) { return inventory.Reserve(c, id, 1, "order-3"); });
  ASSERT_FALSE(unavailable.ok());
  EXPECT_EQ(unavailable.error().type, "product_unavailable");
  EXPECT_TRUE(db.Write([&](db::Connection& c) { return inventory.Release(c, id, 4, "order-2"); }).ok());
  EXPECT_EQ(db.Write([&](db::Connection& c) { return inventory.Reserve(c, id, 0, "order-4"); }).error().code,
            ErrorCode::kInvalid);
}

TEST_P(CatalogApi, SuspensionByAnOfficialHidesTheProduct) {
  TestShop shop = MakeShop();
  const std::int64_t id = CreateProduct(shop, ProductBody("HONG", "Hồng không hạt Bắc Kạn"));
  ASSERT_EQ(client_.Get(ProductPath(id)).status, 200);
  ASSERT_TRUE(catalog().catalog.SetSuspended(id, true, "Khiếu nại về chất lượng").ok());
  EXPECT_EQ(client_.Get(ProductPath(id)).status, 404);
  ClientResponse seen = client_.Get(ProductPath(id), As(shop.owner));
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.Json()["status"], "suspended");
  EXPECT_EQ(seen.Json()["suspended_reason"], "Khiếu nại về chất lượng");
  ClientResponse blocked =
      client_.Patch(ProductPath(id), nlohmann::json{{"status", "active"}}, As(shop.owner));
  EXPECT_EQ(blocked.status, 409);
  EXPECT_EQ(blocked.Json()["code"], "invalid_transition");
  // Editing other fields stays possible while suspended.
  EXPECT_EQ(
      client_.Patch(ProductPath(id), nlohmann::json{{"description", "Đã sửa nhãn."}}, As(shop.owner)).status,
      200);
  ASSERT_TRUE(catalog().catalog.SetSuspended(id, false, "").ok());
  EXPECT_EQ(client_.Get(ProductPath(id)).Json()["status"], "active");
  EXPECT_FALSE(catalog().catalog.SetSuspended(id, true, "").ok());  // a reason is required
  EXPECT_EQ(catalog().catalog.SetSuspended(999999, true, "x").error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Catalog, CatalogApi, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
