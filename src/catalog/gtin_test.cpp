// GTIN check digits (GS1: weights 3,1,3,… from the right) and product field
// validation shared by every write path.
#include "catalog/gtin.hpp"

#include <gtest/gtest.h>

#include <set>

#include "catalog/categories.hpp"
#include "catalog/product.hpp"

namespace nongsan::catalog {
namespace {

TEST(CatalogGtin, ComputesTheCheckDigit) {
  EXPECT_EQ(gtin::CheckDigit("893604512345"), 4);   // a Vietnamese GTIN-13 body: 893 prefix
  EXPECT_EQ(gtin::CheckDigit("400638133393"), 1);   // 4006381333931, a published example
  EXPECT_EQ(gtin::CheckDigit("9638507"), 4);        // GTIN-8 96385074
  EXPECT_EQ(gtin::CheckDigit("03600029145"), 2);    // GTIN-12 036000291452
  EXPECT_EQ(gtin::CheckDigit("1089360451234"), 8);  // GTIN-14 with indicator 1
  EXPECT_EQ(gtin::CheckDigit(""), -1);
  EXPECT_EQ(gtin::CheckDigit("12a4"), -1);
}

TEST(CatalogGtin, ValidatesLengthsDigitsAndCheckDigit) {
  EXPECT_TRUE(gtin::IsValid("8936045123454"));
  EXPECT_TRUE(gtin::IsValid("4006381333931"));
  EXPECT_TRUE(gtin::IsValid("96385074"));
  EXPECT_TRUE(gtin::IsValid("036000291452"));
  EXPECT_TRUE(gtin::IsValid("10893604512348"));
  EXPECT_FALSE(gtin::IsValid("8936045123450"));
  EXPECT_EQ(*gtin::Problem("8936045123450"), "check digit should be 4");
  EXPECT_EQ(*gtin::Problem("893604512345"),
            "check digit should be 1");  // 12 digits: a GTIN-12 whose body is the first 11
  EXPECT_EQ(*gtin::Problem("89360451234"), "must be 8, 12, 13 or 14 digits");
  EXPECT_EQ(*gtin::Problem("893604512345X"), "must contain digits only");
  EXPECT_EQ(*gtin::Problem(""), "must be 8, 12, 13 or 14 digits");
}

Product ValidTea() {
  Product p;
  p.sku = "CHE-01";
  p.name = "  Chè móc câu Tân Cương  ";
  p.description = "Búp chè một tôm hai lá.";
  p.category_code = "Chè búp, chè móc câu";
  p.unit = "goi";
  p.price_vnd = 180000;
  p.stock = 10;
  p.weight_grams = 500;
  p.gtin = "8936045123454";
  return p;
}

TEST(CatalogProduct, NormalizesNameSlugUnitAndCategory) {
  Product p = ValidTea();
  std::vector<FieldError> errors;
  ValidateFields(p, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(p.name, "Chè móc câu Tân Cương");
  EXPECT_EQ(p.slug, "che-moc-cau-tan-cuong");
  EXPECT_EQ(p.unit, "gói");
  EXPECT_EQ(p.category_code, "tea-bud");
}

TEST(CatalogProduct, ReportsEveryBadField) {
  Product p = ValidTea();
  p.sku = "bad sku!";
  p.name = "x";
  p.category_code = "no-such-category";
  p.unit = "bo";  // bó or bộ: ambiguous without tone marks
  p.price_vnd = -5;
  p.stock = kMaxStock + 1;
  p.weight_grams = 0;
  p.gtin = "8936045123450";
  std::vector<FieldError> errors;
  ValidateFields(p, errors);
  std::set<std::string> fields;
  for (const auto& e : errors) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"sku", "name", "category", "unit", "price_vnd", "stock",
                                           "weight_grams", "gtin"}));
  for (const auto& e : errors) {
    if (e.field == "unit") {
      EXPECT_NE(e.message.find("bó"), std::string::npos);
    }
  }
}

TEST(CatalogProduct, RefusesAbsurdPrices) {
  Product p = ValidTea();
  p.price_vnd = kMaxPriceVnd + 1;
  std::vector<FieldError> errors;
  ValidateFields(p, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "price_vnd");
}

TEST(CatalogCategories, ResolveCodesAndNamesAsOfficersTypeThem) {
  auto code = [](std::string_view input) {
    const Category* c = ResolveCategory(input);
    return c ? c->code : std::string("-");
  };
  EXPECT_EQ(code("tea-bud"), "tea-bud");
  EXPECT_EQ(code("Chè búp, chè móc câu"), "tea-bud");
  EXPECT_EQ(code("che bup"), "tea-bud");
  EXPECT_EQ(code("  CHÈ MÓC CÂU "), "tea-bud");
  EXPECT_EQ(code("Trà ô long"), "tea-oolong");
  EXPECT_EQ(code("Oolong tea"), "tea-oolong");
  EXPECT_EQ(code("ổi"), "fruit-tropical");
  EXPECT_EQ(code("Mật ong rừng"), "honey-forest");
  EXPECT_EQ(code("mat-ong-rung"), "honey-forest");
  EXPECT_EQ(code("Mật ong"), "honey");
  EXPECT_EQ(code("không có"), "-");
  EXPECT_EQ(code(""), "-");
  // Every category has a unique slug and a parent that exists.
  std::set<std::string> slugs;
  for (const Category& c : AllCategories()) {
    EXPECT_TRUE(slugs.insert(c.slug).second) << c.slug;
    if (!c.parent_code.empty()) {
      EXPECT_NE(FindCategory(c.parent_code), nullptr) << c.code;
    }
  }
}

}  // namespace
}  // namespace nongsan::catalog
