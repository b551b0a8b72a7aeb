// Test support for the sites suites: orders::testing::TwoShopsWorld on each
// backend (base_url kBaseUrl), each shop's product with a photo (tea_photo_,
// rice_photo_). Test-only; one per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vips/vips8>

#include "catalog/catalog_module.hpp"
#include "catalog/photo_service.hpp"
#include "orders/orders_test_support.hpp"

namespace nongsan::sites::testing {

using orders::testing::kOtherCommune;
using orders::testing::kProvince;
using orders::testing::kShopCommune;
inline constexpr const char* kBaseUrl = "https://nongsan.example.vn";

using nongsan::testing::HasField;

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

class SitesWorld : public orders::testing::TwoShopsWorld {
 protected:
  app::Config MakeConfig() override {
    app::Config config;
    config.base_url = kBaseUrl;
    return config;
  }
  void SetUp() override {
    TwoShopsWorld::SetUp();
    if (HasFatalFailure()) return;
    tea_photo_ = AddPhoto(shop_, tea_);
    rice_photo_ = AddPhoto(other_shop_, rice_);
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

  nlohmann::json GoodSite() const {
    return {{"tagline", "Chè ngon từ đồi Đức Xuân"},
            {"story", "Hợp tác xã thành lập năm 2012.\nBốn mươi hộ trồng chè theo VietGAP."},
            {"theme_color", "#1B6E3A"},
            {"hero_photo_id", tea_photo_},
            {"custom_domain", "Che-DucXuan.vn."}};
  }

  std::int64_t tea_photo_ = 0, rice_photo_ = 0;
};

}  // namespace nongsan::sites::testing
