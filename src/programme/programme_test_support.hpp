// Shared set-up for the programme tests: a real App on a chosen backend with
// the orders tests' Seeder (people, shops, products through the owning
// modules' services), a province admin of Thái Nguyên and a commune officer,
// and helpers to call the programme API over HTTP. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "orders/orders_test_support.hpp"
#include "programme/programme_module.hpp"

namespace nongsan::programme::testing {

using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using nongsan::testing::TestApp;
using orders::testing::Person;
using orders::testing::Seeder;
using orders::testing::Shop;

inline constexpr const char* kProvince = "19";     // Thái Nguyên (2025)
inline constexpr const char* kCommuneA = "01840";  // Phường Đức Xuân, old district 058 (TP Bắc Kạn)
inline constexpr const char* kCommuneB = "01849";  // Xã Phong Quang, old district 058 (tie with 063)
inline constexpr const char* kCommuneC = "01969";  // Xã Phủ Thông, old district 063 (Bạch Thông)
inline constexpr const char* kOldDistrictBacKan = "058";
inline constexpr const char* kOldDistrictBachThong = "063";
inline constexpr const char* kHanoiCommune = "00004";

class ProgrammeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam());
    ASSERT_NE(app_->port(), 0);
    seeder_ = std::make_unique<Seeder>(app_->app());
    admin_ = seeder_->NewPerson("Sở Công Thương", {{Role::kProvinceAdmin, kProvince}});
    officer_ = seeder_->NewPerson("Cán bộ xã Đức Xuân", {{Role::kCommuneOfficer, kCommuneA}});
  }
  void TearDown() override {
    seeder_.reset();
    app_.reset();
  }

  ProgrammeModule& module() { return *app_->app().services().programme; }
  HttpClient Client() const { return app_->Client(); }

  // A programme of Thái Nguyên for 2026, created over HTTP by the admin.
  std::int64_t NewProgramme() {
    HttpClient client = Client();
    auto res = client.Post("/api/v1/programmes",
                           nlohmann::json{{"name", "Đưa hộ sản xuất lên sàn 2026"},
                                          {"province_code", kProvince},
                                          {"starts_on", "2026-01-01"},
                                          {"ends_on", "2026-12-31"}}
                               .dump(),
                           admin_.auth);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? res.Json()["id"].get<std::int64_t>() : 0;
  }

  std::unique_ptr<TestApp> app_;
  std::unique_ptr<Seeder> seeder_;
  Person admin_;
  Person officer_;
};

// The field names of a problem's errors, in order.
inline std::vector<std::string> ProblemFields(const ClientResponse& res) {
  std::vector<std::string> out;
  const auto body = res.Json();
  if (body.contains("errors")) {
    for (const auto& e : body["errors"]) out.push_back(e.value("field", ""));
  }
  return out;
}

}  // namespace nongsan::programme::testing
