// Test support for the live suites: a real App on each backend (its clock at
// kTestNowMs, 2026-11-29 10:00 in Vietnam) with two shops in two communes of
// Thái Nguyên, a product of each, the first shop's staff, the commune
// officers of both communes, the province admin and a buyer. Test-only; one
// per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/services.hpp"
#include "live/live_module.hpp"
#include "orders/orders_test_support.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::live::testing {

inline constexpr const char* kShopCommune = "01840";   // Phường Đức Xuân, Thái Nguyên
inline constexpr const char* kOtherCommune = "01849";  // Xã Phong Quang, Thái Nguyên
inline constexpr const char* kProvince = "19";

inline bool HasField(const nlohmann::json& problem, const std::string& field) {
  if (!problem.contains("errors")) return false;
  for (const auto& e : problem["errors"]) {
    if (e.value("field", "") == field) return true;
  }
  return false;
}

class LiveWorld : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    app_ = std::make_unique<nongsan::testing::TestApp>(GetParam());
    ASSERT_NE(app_->port(), 0);
    seeder_ = std::make_unique<orders::testing::Seeder>(app_->app());
    shop_ = seeder_->NewShop("Chè Đức Xuân", kShopCommune);
    other_shop_ = seeder_->NewShop("Gạo Phong Quang", kOtherCommune);
    orders::testing::ProductSpec tea;
    tea.name = "Chè búp Đức Xuân";
    tea_ = seeder_->NewProduct(shop_, tea);
    orders::testing::ProductSpec honey;
    honey.name = "Mật ong rừng";
    honey_ = seeder_->NewProduct(shop_, honey);
    orders::testing::ProductSpec rice;
    rice.name = "Gạo nếp Phong Quang";
    rice_ = seeder_->NewProduct(other_shop_, rice);
    staff_ = seeder_->NewPerson("Nhân viên Đức Xuân");
    const Principal owner = seeder_->PrincipalOf(shop_.owner);
    auto added = app_->app().services().sellers->AddStaff(owner, shop_.id, staff_.phone, Role::kShopStaff,
                                                          accounts::ClientInfo{});
    EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().detail);
    officer_ = seeder_->NewPerson("Cán bộ Đức Xuân", {{Role::kCommuneOfficer, kShopCommune}});
    other_officer_ = seeder_->NewPerson("Cán bộ Phong Quang", {{Role::kCommuneOfficer, kOtherCommune}});
    admin_ = seeder_->NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, kProvince}});
    buyer_ = seeder_->NewPerson("Trần Thị Hoa");
  }
  void TearDown() override {
    seeder_.reset();
    app_.reset();
  }

  LiveService& live() { return app_->app().services().live->sessions; }
  std::string ListPath(const orders::testing::Shop& shop) const {
    return "/api/v1/sellers/" + std::to_string(shop.id) + "/livestreams";
  }
  static std::string SessionPath(std::int64_t id) { return "/api/v1/livestreams/" + std::to_string(id); }
  std::int64_t CountRows(const std::string& table) { return seeder_->CountRows(table); }

  // An evening session the day before "now", with the shop's tea.
  nlohmann::json GoodSession() const {
    return {{"title", "Chè mới vụ đông"},
            {"platform", "facebook"},
            {"url", "https://www.facebook.com/cheducxuan/videos/123456789"},
            {"started_at", "2026-11-28T20:00:00+07:00"},
            {"ended_at", "2026-11-28T21:30:00+07:00"},
            {"product_ids", {tea_}},
            {"peak_viewers", 340},
            {"orders_reported", 27}};
  }

  std::unique_ptr<nongsan::testing::TestApp> app_;
  std::unique_ptr<orders::testing::Seeder> seeder_;
  orders::testing::Shop shop_, other_shop_;
  std::int64_t tea_ = 0, honey_ = 0, rice_ = 0;
  orders::testing::Person staff_, officer_, other_officer_, admin_, buyer_;
};

}  // namespace nongsan::live::testing
