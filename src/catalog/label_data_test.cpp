// Label data on products: the rules per category (unit), and the API, the
// CSV import's optional columns and refusals on each backend.
#include "catalog/label_data.hpp"

#include <algorithm>

#include "catalog/catalog_test_support.hpp"

namespace nongsan::testing {
namespace {

using catalog::LabelData;
using catalog::LabelFacts;

LabelFacts CompleteFacts(const std::string& category) {
  LabelFacts facts;
  facts.category_code = category;
  facts.has_name = facts.has_responsible_name = facts.has_responsible_address = facts.has_origin = true;
  return facts;
}

TEST(LabelRules, ProcessedFoodNeedsIngredientsStorageAndExpiry) {
  LabelFacts facts = CompleteFacts("proc-dried-meat");
  EXPECT_EQ(catalog::MissingLabelFields(facts),
            (std::vector<std::string>{"net_quantity", "expiry_or_shelf_life_days", "ingredients",
                                      "storage_instructions"}));
  facts.label.net_quantity = "300 g";
  facts.label.ingredients = "Thịt trâu, mắc khén, gừng";
  facts.label.storage_instructions = "Nơi khô ráo";
  facts.label.shelf_life_days = 180;
  EXPECT_TRUE(catalog::MissingLabelFields(facts).empty());
  // A lot's expiry date stands in for the shelf life.
  facts.label.shelf_life_days.reset();
  facts.has_expiry_date = true;
  EXPECT_TRUE(catalog::MissingLabelFields(facts).empty());
}

TEST(LabelRules, PerishablesNeedExpiryHerbsUsageHandicraftsOnlyTheBasics) {
  EXPECT_EQ(catalog::LabelClassOf("veg-leafy"), catalog::LabelClass::kFreshFood);
  EXPECT_EQ(catalog::LabelClassOf("fruit-dried"), catalog::LabelClass::kPackagedFood);
  EXPECT_EQ(catalog::LabelClassOf("tea-bud"), catalog::LabelClass::kPackagedFood);
  EXPECT_EQ(catalog::LabelClassOf("herb-roots"), catalog::LabelClass::kHerbal);
  EXPECT_EQ(catalog::LabelClassOf("craft-bamboo"), catalog::LabelClass::kNonFood);
  auto fresh = catalog::MissingLabelFields(CompleteFacts("fruit-citrus"));
  EXPECT_NE(std::find(fresh.begin(), fresh.end(), "expiry_or_shelf_life_days"), fresh.end());
  auto herbs = catalog::MissingLabelFields(CompleteFacts("herb-roots"));
  EXPECT_NE(std::find(herbs.begin(), herbs.end(), "usage_instructions"), herbs.end());
  EXPECT_TRUE(catalog::MissingLabelFields(CompleteFacts("craft-bamboo")).empty());
  LabelFacts no_shop = CompleteFacts("craft-bamboo");
  no_shop.has_responsible_address = false;
  no_shop.has_origin = false;
  EXPECT_EQ(catalog::MissingLabelFields(no_shop), (std::vector<std::string>{"shop.address", "origin"}));
}

TEST(LabelRules, TextIsPlainOneLineAndNfc) {
  LabelData label;
  label.brand = "  Cha\xCC\x80 Ta\xCC\x82n Cu\xCC\x9Bo\xCC\x9Bng  ";  // decomposed
  label.net_quantity = "";
  label.warnings = "Không dùng cho trẻ < 1 tuổi";  // a lone "<" is text
  std::vector<FieldError> errors;
  catalog::ValidateLabel(label, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(label.brand, "Chà Tân Cương");
  EXPECT_FALSE(label.net_quantity.has_value());  // "" is "not given"

  for (const std::string bad : {"<b>Ngon</b>", "Dòng 1\nDòng 2", "Tab\there", "<script>", "x\xC2\x85y"}) {
    LabelData l;
    l.ingredients = bad;
    std::vector<FieldError> e;
    catalog::ValidateLabel(l, e);
    ASSERT_EQ(e.size(), 1u) << bad;
    EXPECT_EQ(e[0].field, "ingredients");
  }
  LabelData days;
  days.shelf_life_days = 0;
  std::vector<FieldError> e;
  catalog::ValidateLabel(days, e);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "shelf_life_days");
}

class LabelDataApi : public CatalogFixture {};

std::string ProductPath(std::int64_t id) { return "/api/v1/products/" + std::to_string(id); }

TEST_P(LabelDataApi, CreateReadPatchAndClear) {
  TestShop shop = MakeShop();
  const std::int64_t id =
      CreateProduct(shop, ProductBody("THIT-TRAU", "Thịt trâu gác bếp",
                                      {{"category", "proc-dried-meat"},
                                       {"brand", "Bếp Tày Định Hóa"},
                                       {"net_quantity", "300 g"},
                                       {"ingredients", "Thịt trâu 95%, muối, mắc khén, gừng"},
                                       {"storage_instructions", "Bảo quản nơi khô ráo"},
                                       {"shelf_life_days", 180}}));
  ASSERT_GT(id, 0);
  nlohmann::json read = client_.Get(ProductPath(id)).Json();
  EXPECT_EQ(read["brand"], "Bếp Tày Định Hóa");
  EXPECT_EQ(read["net_quantity"], "300 g");
  EXPECT_EQ(read["ingredients"], "Thịt trâu 95%, muối, mắc khén, gừng");
  EXPECT_EQ(read["storage_instructions"], "Bảo quản nơi khô ráo");
  EXPECT_TRUE(read["usage_instructions"].is_null());
  EXPECT_TRUE(read["warnings"].is_null());
  EXPECT_EQ(read["shelf_life_days"], 180);

  ClientResponse patched = client_.Patch(ProductPath(id),
                                         nlohmann::json{{"warnings", "Không dùng cho người dị ứng mắc khén"},
                                                        {"brand", nullptr},
                                                        {"shelf_life_days", nullptr}},
                                         As(shop.owner));
  ASSERT_EQ(patched.status, 200) << patched.body;
  read = client_.Get(ProductPath(id)).Json();
  EXPECT_EQ(read["warnings"], "Không dùng cho người dị ứng mắc khén");
  EXPECT_TRUE(read["brand"].is_null());
  EXPECT_TRUE(read["shelf_life_days"].is_null());
  EXPECT_EQ(read["net_quantity"], "300 g");  // untouched by the patch

  // A product made before label data existed reads as nulls.
  const std::int64_t plain = CreateProduct(shop, ProductBody("CHE-1", "Chè búp"));
  nlohmann::json plain_json = client_.Get(ProductPath(plain)).Json();
  for (const char* f : {"brand", "net_quantity", "ingredients", "usage_instructions", "storage_instructions",
                        "warnings", "shelf_life_days"}) {
    EXPECT_TRUE(plain_json.contains(f) && plain_json[f].is_null()) << f;
  }
}

TEST_P(LabelDataApi, HtmlOrControlCharactersAre422NamingTheFieldAndWriteNothing) {
  TestShop shop = MakeShop();
  const std::string path = "/api/v1/sellers/" + std::to_string(shop.id) + "/products";
  ClientResponse html =
      client_.Post(path, ProductBody("X-1", "Chè xanh", {{"ingredients", "<b>chè</b>"}}), As(shop.owner));
  ASSERT_EQ(html.status, 422) << html.body;
  EXPECT_EQ(html.Header("content-type"), "application/problem+json");
  EXPECT_EQ(html.Json()["errors"][0]["field"], "ingredients");
  EXPECT_TRUE(Search("q=che%20xanh").empty());

  const std::int64_t id = CreateProduct(shop, ProductBody("X-2", "Chè xanh", {{"brand", "Tân Cương"}}));
  ClientResponse control = client_.Patch(
      ProductPath(id), nlohmann::json{{"brand", "Tân\u0007Cương"}, {"price_vnd", 99000}}, As(shop.owner));
  ASSERT_EQ(control.status, 422) << control.body;
  EXPECT_EQ(control.Json()["errors"][0]["field"], "brand");
  nlohmann::json read = client_.Get(ProductPath(id)).Json();
  EXPECT_EQ(read["brand"], "Tân Cương");  // nothing half-written
  EXPECT_EQ(read["price_vnd"], 180000);

  ClientResponse too_long = client_.Patch(
      ProductPath(id), nlohmann::json{{"net_quantity", std::string(catalog::kMaxNetQuantityChars + 1, 'g')}},
      As(shop.owner));
  EXPECT_EQ(too_long.status, 422);
  ClientResponse days = client_.Patch(
      ProductPath(id), nlohmann::json{{"shelf_life_days", catalog::kMaxShelfLifeDays + 1}}, As(shop.owner));
  ASSERT_EQ(days.status, 422);
  EXPECT_EQ(days.Json()["errors"][0]["field"], "shelf_life_days");
  // Not a number at all: malformed, a 400 like any other field of the wrong type.
  EXPECT_EQ(
      client_.Patch(ProductPath(id), nlohmann::json{{"shelf_life_days", "nửa năm"}}, As(shop.owner)).status,
      400);
}

constexpr const char* kHeader =
    "seller_phone,seller_name,seller_type,commune_code,sku,product_name,description,category,unit,price_vnd,"
    "stock,weight_grams";

TEST_P(LabelDataApi, ImportTakesOptionalLabelColumnsInAnyOrder) {
  const std::string csv =
      std::string(kHeader) + ",net_quantity,shelf_life_days,ingredients\n" +
      "0912345678,Hộ Hoàng Văn Dũng,household,05503,GIO-1,Giò lụa Phú Lương,,proc-sausage,"
      "kg,220000,10,1000,1 kg,7,\"Thịt lợn, nước mắm, tiêu\"\n";
  auto report = catalog().importer.Import(csv, {});
  ASSERT_TRUE(report.ok()) << report.error().detail;
  ASSERT_EQ(report->created, 1u) << (report->errors.empty() ? "" : report->errors[0].reason);
  auto ids = Search("q=gio%20lua");
  ASSERT_EQ(ids.size(), 1u);
  nlohmann::json p = client_.Get(ProductPath(ids[0])).Json();
  EXPECT_EQ(p["net_quantity"], "1 kg");
  EXPECT_EQ(p["shelf_life_days"], 7);
  EXPECT_EQ(p["ingredients"], "Thịt lợn, nước mắm, tiêu");

  // The old 12-column file still imports and leaves the label data alone.
  const std::string old_file = std::string(kHeader) + "\n" +
                               "0912345678,Hộ Hoàng Văn Dũng,household,05503,GIO-1,Giò lụa Phú Lương,,"
                               "proc-sausage,kg,230000,10,1000\n";
  report = catalog().importer.Import(old_file, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->updated, 1u);
  p = client_.Get(ProductPath(ids[0])).Json();
  EXPECT_EQ(p["price_vnd"], 230000);
  EXPECT_EQ(p["net_quantity"], "1 kg");

  // An empty cell clears; a bad cell is a row error naming the column.
  const std::string clear = std::string(kHeader) + ",ingredients,brand\n" +
                            "0912345678,Hộ Hoàng Văn Dũng,household,05503,GIO-1,Giò lụa Phú Lương,,"
                            "proc-sausage,kg,230000,10,1000,,\n" +
                            "0912345678,Hộ Hoàng Văn Dũng,household,05503,GIO-2,Chả quế,,"
                            "proc-sausage,kg,230000,10,1000,,<i>Ngon</i>\n";
  report = catalog().importer.Import(clear, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->updated, 1u);
  ASSERT_EQ(report->bad_rows, 1u);
  EXPECT_EQ(report->errors[0].line, 3u);
  EXPECT_NE(report->errors[0].reason.find("brand"), std::string::npos) << report->errors[0].reason;
  EXPECT_TRUE(client_.Get(ProductPath(ids[0])).Json()["ingredients"].is_null());

  // An unknown extra column is refused as a whole.
  auto unknown = catalog().importer.Import(std::string(kHeader) + ",colour\n", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().detail.find("colour"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Catalog, LabelDataApi, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
