// The product-by-id body is written directly (ProductJsonText); it must be
// the very text the nlohmann tree (ProductJson) dumps, for every shape a
// product can take.
#include "catalog/catalog_json.hpp"

#include <gtest/gtest.h>

#include "db/migrations.hpp"
#include "places/places.hpp"
#include "support/test_db.hpp"

namespace nongsan::catalog {
namespace {

class ProductJsonTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = nongsan::testing::OpenFreshTestDatabase("sqlite");
    ASSERT_TRUE(db_);
    ASSERT_TRUE(db::Migrate(*db_, {places::Migrations()}).ok());
    ASSERT_TRUE(places::Seed(*db_, places::DefaultAdminUnitsDir()).ok());
    places_ = std::make_unique<places::PlaceService>(*db_);
    ASSERT_TRUE(places_->Load().ok());
  }

  void ExpectSameText(const Product& p, bool manager, const std::vector<CertificationBadge>* badges) {
    const std::string tree = ProductJson(p, *places_, manager, badges)
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    EXPECT_EQ(ProductJsonText(p, *places_, manager, badges), tree);
  }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<places::PlaceService> places_;
};

Product Plain() {
  Product p;
  p.id = 42;
  p.seller_id = 7;
  p.sku = "SP-01";
  p.name = "Chè móc câu Tân Cương";
  p.slug = "che-moc-cau-tan-cuong";
  p.description = "Búp chè \"đặc biệt\"\nhái tay\t\\ sao khô \x01 cuối";
  p.category_code = "tea-bud";
  p.unit = "hộp";
  p.price_vnd = 185000;
  p.stock = 12;
  p.weight_grams = 200;
  p.status = ProductStatus::kActive;
  p.origin_commune = "05503";
  p.origin_province = "19";
  p.created_at = 1764460800000;
  p.updated_at = 1764464400123;
  return p;
}

TEST_F(ProductJsonTextTest, SameTextAsTheTreeForEveryShape) {
  Product p = Plain();
  ExpectSameText(p, false, nullptr);
  ExpectSameText(p, true, nullptr);

  std::vector<CertificationBadge> none;
  ExpectSameText(p, false, &none);
  std::vector<CertificationBadge> badges(2);
  badges[0].kind = "ocop";
  badges[0].ocop_stars = 4;
  badges[0].number = "OCOP-2025/19-0042";
  badges[0].issuer = "UBND tỉnh Thái Nguyên";
  badges[0].expires_on = "2028-06-30";
  badges[0].verify_url = "/c/abc";
  badges[1].kind = "vietgap";
  badges[1].number = "VG 01";
  badges[1].issuer = "Trung tâm";
  badges[1].expires_on = "2027-01-01";
  badges[1].verify_url = "/c/def";
  ExpectSameText(p, false, &badges);

  p.gtin = "8938505970012";
  p.cover_photo = "k1";
  p.photos = {Photo{1, "k1", 1200, 900, 0}, Photo{2, "k2", 800, 1000, 1}};
  p.suspended_reason = "Kiểm tra chất lượng";
  p.seller_visible = false;
  p.status = ProductStatus::kSuspended;
  ExpectSameText(p, true, &badges);
  ExpectSameText(p, false, nullptr);

  // An unknown category, no origin, an empty description.
  p.category_code = "no-such";
  p.origin_commune.clear();
  p.origin_province.clear();
  p.description.clear();
  ExpectSameText(p, false, nullptr);

  // A subcategory's parent, and a top-level category (parent null).
  p.category_code = "processed";
  ExpectSameText(p, false, nullptr);

  // Bytes that are not UTF-8 are replaced the same way.
  p.name = std::string("Ch\xC3") + "\xA8 \xFF\xFE h\xE1\xBB";
  ExpectSameText(p, false, nullptr);
}

}  // namespace
}  // namespace nongsan::catalog
