// Shared set-up for the quality service tests: a fresh database on the
// backend under test (SQLite always, PostgreSQL when configured) migrated
// with the accounts (audit log) and quality schemas, a FakeClock, in-memory
// shops/products/orders, and sample files (a real-looking PDF, PNG and JPEG,
// and forgeries). Used only by the *_test.cpp files of this directory.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
#include <vips/vips8>

#include "accounts/migrations.hpp"
#include "core/clock.hpp"
#include "db/migrations.hpp"
#include "images/image_pipeline.hpp"
#include "quality/fake_ports.hpp"
#include "quality/migrations.hpp"
#include "support/test_db.hpp"

namespace nongsan::quality::testing {

// 2026-11-29T10:00:00+07:00, as in the API tests.
inline constexpr std::int64_t kNowMs = 1795921200000;

inline constexpr std::int64_t kShopTea = 1;    // Xã Tân Cương, Thái Nguyên
inline constexpr std::int64_t kShopRice = 2;   // Xã Đại Từ, Thái Nguyên
inline constexpr std::int64_t kShopHanoi = 3;  // Phường Ba Đình, Hà Nội
inline constexpr std::int64_t kTeaOwner = 100;
inline constexpr std::int64_t kRiceOwner = 200;
inline constexpr std::int64_t kHanoiOwner = 300;
inline constexpr std::int64_t kTeaBuds = 11;  // products of kShopTea
inline constexpr std::int64_t kTeaDust = 12;
inline constexpr std::int64_t kRice = 21;       // of kShopRice
inline constexpr std::int64_t kHanoiCake = 31;  // of kShopHanoi
inline constexpr const char* kTanCuong = "05503";
inline constexpr const char* kDaiTu = "05830";
inline constexpr const char* kBaDinh = "00004";
inline constexpr const char* kThaiNguyen = "19";
inline constexpr const char* kHanoi = "01";

inline std::string SamplePdf() {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

// Real, decodable images (uploaded images are decoded and re-encoded), made
// once with libvips: a small green square.
inline std::string EncodeSample(const char* suffix) {
  if (!images::InitImageLibrary()) throw std::runtime_error("libvips did not start");
  void* buffer = nullptr;
  std::size_t size = 0;
  vips::VImage::black(64, 48)
      .new_from_image(std::vector<double>{40, 160, 60})
      .cast(VIPS_FORMAT_UCHAR)
      .write_to_buffer(suffix, &buffer, &size);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  return bytes;
}

inline std::string SamplePng() {
  static const std::string png = EncodeSample(".png");
  return png;
}

inline std::string SampleJpeg() {
  static const std::string jpeg = EncodeSample(".jpg");
  return jpeg;
}

// What a stored image must be: a JPEG that decodes (uploads are re-encoded).
inline bool IsDecodableJpeg(const std::string& bytes) {
  if (bytes.size() < 3 || bytes.compare(0, 3, "\xFF\xD8\xFF") != 0) return false;
  try {
    vips::VImage image = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
    return image.width() > 0 && image.avg() >= 0;
  } catch (const vips::VError&) {
    return false;
  }
}

// An HTML page dressed up as a certificate scan.
inline std::string ForgedPdf() { return "<html><body>Giay chung nhan VietGAP</body></html>\n%%EOF"; }

inline Principal User(std::int64_t id, std::vector<Grant> grants = {}, std::string name = "") {
  Principal p;
  p.user_id = id;
  p.full_name = name.empty() ? "User " + std::to_string(id) : std::move(name);
  p.grants = std::move(grants);
  return p;
}
inline Principal CommuneOfficer(std::int64_t id, const std::string& commune) {
  return User(id, {{Role::kCommuneOfficer, commune}}, "Cán bộ " + std::to_string(id));
}
inline Principal ProvinceAdmin(std::int64_t id, const std::string& province) {
  return User(id, {{Role::kProvinceAdmin, province}}, "Sở NN " + std::to_string(id));
}

class QualityFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = nongsan::testing::OpenFreshTestDatabase(GetParam());
    auto migrated = db::Migrate(*db_, {accounts::Migrations(), quality::Migrations()});
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    areas_.Add(kTanCuong, kThaiNguyen);
    areas_.Add(kDaiTu, kThaiNguyen);
    areas_.Add(kBaDinh, kHanoi);
    shops_.Add({kShopTea, "HTX Chè Tân Cương", kTanCuong, true}, kTeaOwner);
    shops_.Add({kShopRice, "Gạo Đại Từ", kDaiTu, true}, kRiceOwner);
    shops_.Add({kShopHanoi, "Bánh cốm Hà Nội", kBaDinh, true}, kHanoiOwner);
    products_.Add({.id = kTeaBuds,
                   .seller_id = kShopTea,
                   .name = "Chè búp Tân Cương",
                   .is_public = true,
                   .suspended = false});
    products_.Add(
        {.id = kTeaDust, .seller_id = kShopTea, .name = "Chè cám", .is_public = true, .suspended = false});
    products_.Add(
        {.id = kRice, .seller_id = kShopRice, .name = "Gạo Bao Thai", .is_public = true, .suspended = false});
    products_.Add({.id = kHanoiCake,
                   .seller_id = kShopHanoi,
                   .name = "Bánh cốm",
                   .is_public = true,
                   .suspended = false});
  }

  std::int64_t Count(const std::string& table) {
    auto n = db_->Read([&](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM " + table); });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNowMs);
  std::unique_ptr<db::Database> db_;
  FakeAreas areas_;
  FakeShops shops_;
  FakeProducts products_{shops_};
  FakeOrders orders_;
};

}  // namespace nongsan::quality::testing
