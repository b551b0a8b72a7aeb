// Test support for the live suites: orders::testing::TwoShopsWorld (two
// shops in two communes of Thái Nguyên, a product of each, both communes'
// officers, the province admin and a buyer) on each backend, its clock at
// kTestNowMs (2026-11-29 10:00 in Vietnam), with a second product of the
// first shop (honey_) and its staff member (staff_). Test-only; one per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/services.hpp"
#include "live/live_module.hpp"
#include "orders/orders_test_support.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::live::testing {

using orders::testing::kOtherCommune;
using orders::testing::kProvince;
using orders::testing::kShopCommune;

using nongsan::testing::HasField;

class LiveWorld : public orders::testing::TwoShopsWorld {
 protected:
  void SetUp() override {
    TwoShopsWorld::SetUp();
    if (HasFatalFailure()) return;
    orders::testing::ProductSpec honey;
    honey.name = "Mật ong rừng";
    honey_ = seeder_->NewProduct(shop_, honey);
    staff_ = seeder_->NewPerson("Nhân viên Đức Xuân");
    const Principal owner = seeder_->PrincipalOf(shop_.owner);
    auto added = app_->app().services().sellers->AddStaff(owner, shop_.id, staff_.phone, Role::kShopStaff,
                                                          accounts::ClientInfo{});
    EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().detail);
  }

  LiveService& live() { return app_->app().services().live->sessions; }
  std::string ListPath(const orders::testing::Shop& shop) const {
    return "/api/v1/sellers/" + std::to_string(shop.id) + "/livestreams";
  }
  static std::string SessionPath(std::int64_t id) { return "/api/v1/livestreams/" + std::to_string(id); }

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

  std::int64_t honey_ = 0;
  orders::testing::Person staff_;
};

}  // namespace nongsan::live::testing
