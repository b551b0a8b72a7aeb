// The two-shop world the quality API tests start from, on each backend: a
// real App on a free port, a tea cooperative in Phường Đức Xuân (shop_, its
// product tea_) and a rice household in Xã Phong Quang (other_shop_, rice_),
// the commune officer of each (officer_, far_officer_) and a buyer.
// Thread-safety: one per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "orders/orders_test_support.hpp"

namespace nongsan::quality::testing {

inline constexpr const char* kShopCommune = "01840";   // Phường Đức Xuân, Thái Nguyên
inline constexpr const char* kOtherCommune = "01849";  // Xã Phong Quang, Thái Nguyên

class QualityApiWorld : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    app_ = std::make_unique<nongsan::testing::TestApp>(GetParam());
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
    officer_ = seeder_->NewPerson("Cán bộ Đức Xuân", {{Role::kCommuneOfficer, kShopCommune}});
    far_officer_ = seeder_->NewPerson("Cán bộ Phong Quang", {{Role::kCommuneOfficer, kOtherCommune}});
    buyer_ = seeder_->NewPerson("Trần Thị Hoa");
  }
  void TearDown() override {
    seeder_.reset();
    app_.reset();
  }

  std::unique_ptr<nongsan::testing::TestApp> app_;
  std::unique_ptr<orders::testing::Seeder> seeder_;
  orders::testing::Shop shop_, other_shop_;
  std::int64_t tea_ = 0, rice_ = 0;
  orders::testing::Person officer_, far_officer_, buyer_;
};

}  // namespace nongsan::quality::testing
