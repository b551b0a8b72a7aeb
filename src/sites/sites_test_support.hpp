// Test support for the sites suites: a real App on each backend (base_url
// kBaseUrl) with a shop that has a product with a photo, another shop with
// its own photo, the shop's commune officer, the province's admin and a
// buyer. Test-only; one per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vips/vips8>

#include "catalog/catalog_module.hpp"
#include "catalog/photo_service.hpp"
#include "orders/orders_test_support.hpp"

namespace nongsan::sites::testing {

inline constexpr const char* kShopCommune = "01840";   // Phường Đức Xuân, Thái Nguyên
inline constexpr const char* kOtherCommune = "01849";  // Xã Phong Quang, Thái Nguyên
inline constexpr const char* kProvince = "19";
inline constexpr const char* kBaseUrl = "https://nongsan.example.vn";

inline bool HasField(const nlohmann::json& problem, const std::string& field) {
  if (!problem.contains("errors")) return false;
  for (const auto& e : problem["errors"]) {
    if (e.value("field", "") == field) return true;
  }
  return false;
}

// A small solid-colour JPEG made with libvips.
inline std::string SmallJpeg() {
  vips::VImage image =
      vips::VImage::black(640, 400).new_from_image(std::vector<double>{40, 120, 60}).cast(VIPS_FORMAT_UCHAR);
  VipsBlob* blob = image.jpegsave_buffer();
  std::size_t n = 0;
  const void* data = vips_blob_get(blob, &n);
  std::string out(static_cast<const char*>(data), n);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

class SitesWorld : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    app::Config config;
    config.base_url = kBaseUrl;
    app_ = std::make_unique<nongsan::testing::TestApp>(GetParam(), config);
    ASSERT_NE(app_->port(), 0);
    seeder_ = std::make_unique<orders::testing::Seeder>(app_->app());
    shop_ = seeder_->NewShop("HTX Chè Đức Xuân", kShopCommune);
    other_shop_ = seeder_->NewShop("Gạo Phong Quang", kOtherCommune);
    orders::testing::ProductSpec tea;
    tea.name = "Chè búp Đức Xuân";
    tea_ = seeder_->NewProduct(shop_, tea);
    orders::testing::ProductSpec rice;
    rice.name = "Gạo nếp Phong Quang";
    rice_ = seeder_->NewProduct(other_shop_, rice);
    tea_photo_ = AddPhoto(shop_, tea_);
    rice_photo_ = AddPhoto(other_shop_, rice_);
    officer_ = seeder_->NewPerson("Cán bộ Đức Xuân", {{Role::kCommuneOfficer, kShopCommune}});
    admin_ = seeder_->NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, kProvince}});
    buyer_ = seeder_->NewPerson("Trần Thị Hoa");
  }
  void TearDown() override {
    seeder_.reset();
    app_.reset();
  }

  std::int64_t AddPhoto(const orders::testing::Shop& shop, std::int64_t product) {
    const Principal owner = seeder_->PrincipalOf(shop.owner);
    auto photo = app_->app().services().catalog->photos.Add(&owner, product, SmallJpeg());
    EXPECT_TRUE(photo.ok()) << (photo.ok() ? "" : photo.error().detail);
    return photo.ok() ? photo->id : 0;
  }

  std::string SitePath(const orders::testing::Shop& shop) const {
    return "/api/v1/sellers/" + std::to_string(shop.id) + "/site";
  }
  std::int64_t CountRows(const std::string& table) { return seeder_->CountRows(table); }

  nlohmann::json GoodSite() const {
    return {{"tagline", "Chè ngon từ đồi Đức Xuân"},
            {"story", "Hợp tác xã thành lập năm 2012.\nBốn mươi hộ trồng chè theo VietGAP."},
            {"theme_color", "#1B6E3A"},
            {"hero_photo_id", tea_photo_},
            {"custom_domain", "Che-DucXuan.vn."}};
  }

  std::unique_ptr<nongsan::testing::TestApp> app_;
  std::unique_ptr<orders::testing::Seeder> seeder_;
  orders::testing::Shop shop_, other_shop_;
  std::int64_t tea_ = 0, rice_ = 0, tea_photo_ = 0, rice_photo_ = 0;
  orders::testing::Person officer_, admin_, buyer_;
};

}  // namespace nongsan::sites::testing
