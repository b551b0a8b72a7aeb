// Shared fixture for the catalogue's API tests: a running TestApp on one
// backend, the accounts World for people and shops, and helpers to create
// products over HTTP.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "support/accounts_world.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::testing {

struct TestShop {
  TestUser owner;
  std::int64_t id = 0;
};

class CatalogFixture : public ::testing::TestWithParam<std::string> {
 protected:
  CatalogFixture() : app_(GetParam()), world_(app_), client_(app_.Client()) {}

  catalog::CatalogModule& catalog() { return *app_.app().services().catalog; }
  static ClientHeaders Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  ClientHeaders As(const TestUser& user) { return Bearer(world_.Token(user.id)); }

  TestShop MakeShop(const std::string& commune = kCommuneIn, const std::string& name = "") {
    TestShop shop;
    shop.owner = world_.CreateUser("Nông Thị Hoa");
    shop.id = world_.CreateShop(shop.owner.id, sellers::SellerType::kHousehold, commune, name);
    return shop;
  }

  static nlohmann::json ProductBody(const std::string& sku, const std::string& name,
                                    const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json body = {{"sku", sku},
                           {"name", name},
                           {"description", "Sản phẩm của bà con Thái Nguyên."},
                           {"category", "tea-bud"},
                           {"unit", "gói"},
                           {"price_vnd", 180000},
                           {"stock", 20},
                           {"weight_grams", 500},
                           {"status", "active"}};
    for (const auto& [key, value] : extra.items()) body[key] = value;
    return body;
  }

  std::int64_t CreateProduct(const TestShop& shop, const nlohmann::json& body) {
    ClientResponse r =
        client_.Post("/api/v1/sellers/" + std::to_string(shop.id) + "/products", body, As(shop.owner));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return 0;
    return r.Json()["id"].get<std::int64_t>();
  }

  // Product ids of a search, in order.
  std::vector<std::int64_t> Search(const std::string& query_string) {
    ClientResponse r = client_.Get("/api/v1/products?" + query_string);
    EXPECT_EQ(r.status, 200) << query_string << ": " << r.body;
    std::vector<std::int64_t> ids;
    if (r.status != 200) return ids;
    // A named copy: a range-for does not keep r.Json() alive (C++20).
    const nlohmann::json r_items = r.Json()["items"];
    for (const auto& item : r_items) ids.push_back(item["id"].get<std::int64_t>());
    return ids;
  }

  TestApp app_;
  World world_;
  HttpClient client_;
};

}  // namespace nongsan::testing
