// Shared set-up for the orders API tests: a real App on a chosen backend
// (TestApp), people with sessions, shops and products made through the
// accounts, sellers and catalogue services (the same code their own APIs
// run), and small helpers to call the orders API over HTTP.
// Test-only; one fixture per test, used from the test's thread (helpers that
// make their own HttpClient may be called from any thread).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "catalog/inventory_service.hpp"
#include "orders/order_service.hpp"
#include "sellers/seller_service.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::orders::testing {

using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using nongsan::testing::TestApp;

// Communes used by the tests: two in Thái Nguyên (19), one in Hà Nội (01).
inline constexpr const char* kTnCommuneA = "01840";    // Phường Đức Xuân
inline constexpr const char* kTnCommuneB = "01849";    // Xã Phong Quang
inline constexpr const char* kHanoiCommune = "00004";  // Phường Ba Đình

struct Person {
  std::int64_t user_id = 0;
  std::string phone;
  std::string token;
  ClientHeaders auth;  // Authorization: Bearer …
};

struct Shop {
  std::int64_t id = 0;
  Person owner;
};

struct ProductSpec {
  std::string name = "Chè Tân Cương";
  std::int64_t price_vnd = 100'000;
  std::int64_t stock = 100;
  std::int64_t weight_grams = 500;
  catalog::ProductStatus status = catalog::ProductStatus::kActive;
};

// Makes people, shops and products in an App through the other modules'
// services, and checks the orders module's books. Usable from any thread.
class Seeder {
 public:
  explicit Seeder(app::App& app) : app_(app) {}

  app::Services& services() { return app_.services(); }

  // A signed-in person with the given grants (phones are unique per process).
  Person NewPerson(const std::string& full_name, const std::vector<Grant>& grants = {}) {
    static std::atomic<int> counter{0};
    const std::string phone = "09" + std::to_string(10'000'000 + counter.fetch_add(1));
    auto user =
        services().accounts->CreateOrGrantFromCli(phone, full_name, std::string("mat-khau-123"), grants);
    EXPECT_TRUE(user.ok()) << (user.ok() ? "" : user.error().detail);
    if (!user.ok()) return {};
    auto session = services().accounts->StartSession(user->id, accounts::ClientInfo{"127.0.0.1", "test"});
    EXPECT_TRUE(session.ok());
    if (!session.ok()) return {};
    return Person{user->id, phone, session->token, {{"Authorization", "Bearer " + session->token}}};
  }

  Principal PrincipalOf(const Person& p) {
    auto principal = services().accounts->Authenticate(p.token);
    EXPECT_TRUE(principal.ok());
    return principal.ok() ? *principal : Principal{};
  }

  Shop NewShop(const std::string& name, const std::string& commune) {
    Shop shop;
    shop.owner = NewPerson("Chủ " + name);
    sellers::SellerInput input;
    input.name = name;
    input.type = "household";
    input.commune_code = commune;
    input.address_line = "Xóm 1";
    auto seller =
        services().sellers->Create(PrincipalOf(shop.owner), input, accounts::ClientInfo{"127.0.0.1", "test"});
    EXPECT_TRUE(seller.ok()) << (seller.ok() ? "" : seller.error().detail);
    if (seller.ok()) shop.id = seller->id;
    return shop;
  }

  std::int64_t NewProduct(const Shop& shop, const ProductSpec& spec = {}) {
    static std::atomic<int> sku{0};
    catalog::ProductInput input;
    input.sku = "SKU-" + std::to_string(sku.fetch_add(1));
    input.name = spec.name;
    input.category = "tea-green";
    input.unit = "kg";
    input.price_vnd = spec.price_vnd;
    input.stock = spec.stock;
    input.weight_grams = spec.weight_grams;
    input.status = spec.status;
    const Principal owner = PrincipalOf(shop.owner);
    auto product = services().catalog->catalog.Create(&owner, shop.id, input);
    EXPECT_TRUE(product.ok()) << (product.ok() ? "" : product.error().detail);
    return product.ok() ? product->id : 0;
  }

  // The stock arithmetic of a product, asserted to hold.
  StockCheck ExpectStockHolds(std::int64_t product_id) {
    auto check = services().orders->CheckStock(product_id);
    EXPECT_TRUE(check.ok()) << (check.ok() ? "" : check.error().detail);
    if (!check.ok()) return {};
    EXPECT_TRUE(check->Holds()) << "product " << product_id << ": initial " << check->catalog.initial
                                << " + restocked " << check->catalog.restocked << " vs available "
                                << check->catalog.available << " + held " << check->catalog.held << " + sold "
                                << check->catalog.sold << "; orders hold " << check->held_by_orders
                                << " and sold " << check->sold_by_orders;
    return *check;
  }

  // Row count of one of the orders module's tables (to prove nothing was written).
  std::int64_t CountRows(const std::string& table) {
    auto n = app_.db().Read([&](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM " + table); });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

 private:
  app::App& app_;
};

inline nlohmann::json Address(const std::string& commune = kTnCommuneA) {
  return {{"full_name", "Nguyễn Thị Hoa"},
          {"phone", "0912345678"},
          {"address_line", "Số 5, tổ 3"},
          {"commune_code", commune}};
}

inline nlohmann::json CheckoutBody(const std::vector<std::pair<std::int64_t, std::int64_t>>& items,
                                   const std::string& commune = kTnCommuneA) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& [product_id, quantity] : items)
    lines.push_back({{"product_id", product_id}, {"quantity", quantity}});
  return {{"items", lines}, {"shipping_address", Address(commune)}, {"payment_method", "cod"}, {"note", ""}};
}

inline ClientResponse PostCheckout(HttpClient& client, const Person& buyer, const std::string& key,
                                   const nlohmann::json& body) {
  ClientHeaders headers = buyer.auth;
  if (!key.empty()) headers["Idempotency-Key"] = key;
  return client.Post("/api/v1/orders", body.dump(), headers);
}

inline ClientResponse Move(HttpClient& client, const Person& who, std::int64_t order_id,
                           const std::string& to, const std::string& reason = "",
                           const std::string& tracking = "") {
  nlohmann::json body = {{"to", to}};
  if (!reason.empty()) body["reason"] = reason;
  if (!tracking.empty()) body["tracking_code"] = tracking;
  return client.Post("/api/v1/orders/" + std::to_string(order_id) + "/transitions", body.dump(), who.auth);
}

// A TestApp per test (parameter: the backend) and the Seeder's helpers.
class OrdersApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Tests that need other settings override this.
  virtual app::Config MakeConfig() { return {}; }
  void SetUp() override {
    app_ = std::make_unique<TestApp>(GetParam(), MakeConfig());
    ASSERT_NE(app_->port(), 0);
    seeder_ = std::make_unique<Seeder>(app_->app());
  }
  void TearDown() override {
    seeder_.reset();
    app_.reset();
  }

  app::Services& services() { return app_->app().services(); }
  HttpClient Client() const { return app_->Client(); }
  Person NewPerson(const std::string& full_name, const std::vector<Grant>& grants = {}) {
    return seeder_->NewPerson(full_name, grants);
  }
  Principal PrincipalOf(const Person& p) { return seeder_->PrincipalOf(p); }
  Shop NewShop(const std::string& name, const std::string& commune) {
    return seeder_->NewShop(name, commune);
  }
  std::int64_t NewProduct(const Shop& shop, const ProductSpec& spec = {}) {
    return seeder_->NewProduct(shop, spec);
  }
  StockCheck ExpectStockHolds(std::int64_t product_id) { return seeder_->ExpectStockHolds(product_id); }
  std::int64_t CountRows(const std::string& table) { return seeder_->CountRows(table); }

  std::unique_ptr<TestApp> app_;
  std::unique_ptr<Seeder> seeder_;
};

// The world the API tests of several domains (quality, trace, sites, live)
// start from: a tea cooperative in Phường Đức Xuân (shop_, its product tea_,
// the commune's officer_) and a rice household in Xã Phong Quang (other_shop_,
// rice_, far_officer_, the officer of a commune the tea shop is not in), the
// province's admin_ and a buyer_. A suite adds what it needs in its own SetUp
// after calling this one; MakeConfig sets the server's settings.
inline constexpr const char* kShopCommune = kTnCommuneA;
inline constexpr const char* kOtherCommune = kTnCommuneB;
inline constexpr const char* kProvince = "19";  // Thái Nguyên (2025)

class TwoShopsWorld : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (HasFatalFailure()) return;
    shop_ = seeder_->NewShop("HTX Chè Đức Xuân", kShopCommune);
    other_shop_ = seeder_->NewShop("Gạo Phong Quang", kOtherCommune);
    ProductSpec tea;
    tea.name = "Chè búp Đức Xuân";
    tea_ = seeder_->NewProduct(shop_, tea);
    ProductSpec rice;
    rice.name = "Gạo nếp Phong Quang";
    rice_ = seeder_->NewProduct(other_shop_, rice);
    officer_ = seeder_->NewPerson("Cán bộ Đức Xuân", {{Role::kCommuneOfficer, kShopCommune}});
    far_officer_ = seeder_->NewPerson("Cán bộ Phong Quang", {{Role::kCommuneOfficer, kOtherCommune}});
    admin_ = seeder_->NewPerson("Quản trị tỉnh", {{Role::kProvinceAdmin, kProvince}});
    buyer_ = seeder_->NewPerson("Trần Thị Hoa");
  }

  Shop shop_, other_shop_;
  std::int64_t tea_ = 0, rice_ = 0;
  Person officer_, far_officer_, admin_, buyer_;
};

}  // namespace nongsan::orders::testing
