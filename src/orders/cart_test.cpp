// The cart over HTTP on both backends: guest carts by cookie, signed-in
// carts, grouping by shop, "changed since added", merging at sign-in.
#include <gtest/gtest.h>

#include "orders/cart_service.hpp"
#include "orders/orders_test_support.hpp"

namespace nongsan::orders::testing {
namespace {

class CartTest : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (HasFatalFailure()) return;
    shop_a_ = NewShop("Chè Tân Cương Hảo Đạt", kTnCommuneA);
    shop_b_ = NewShop("HTX Na Võ Nhai", kTnCommuneB);
    tea_ = NewProduct(shop_a_, {"Chè búp Tân Cương", 100'000, 10, 500});
    rice_ = NewProduct(shop_a_, {"Gạo nếp", 50'000, 10, 1000});
    custard_ = NewProduct(shop_b_, {"Na dai", 200'000, 10, 2000});
    buyer_ = NewPerson("Nguyễn Thị Hoa");
  }

  static ClientResponse Add(HttpClient& client, std::int64_t product_id, std::int64_t quantity,
                            const ClientHeaders& headers = {}) {
    return client.Post("/api/v1/cart/items",
                       nlohmann::json{{"product_id", product_id}, {"quantity", quantity}}, headers);
  }

  Shop shop_a_, shop_b_;
  std::int64_t tea_ = 0, rice_ = 0, custard_ = 0;
  Person buyer_;
};

TEST_P(CartTest, AGuestCartLivesInACookie) {
  HttpClient guest = Client();
  guest.EnableCookieJar();
  EXPECT_TRUE(guest.Get("/api/v1/cart").Json()["shops"].empty());
  auto added = Add(guest, tea_, 2);
  ASSERT_EQ(added.status, 200) << added.body;
  ASSERT_EQ(added.set_cookies.size(), 1u);
  EXPECT_NE(added.set_cookies[0].find("nongsan_cart="), std::string::npos);
  EXPECT_NE(added.set_cookies[0].find("HttpOnly"), std::string::npos);
  ASSERT_EQ(guest.cookies().count("nongsan_cart"), 1u);

  ASSERT_EQ(Add(guest, tea_, 1).status, 200);
  auto cart = guest.Get("/api/v1/cart").Json();
  ASSERT_EQ(cart["shops"].size(), 1u);
  EXPECT_EQ(cart["shops"][0]["lines"][0]["quantity"], 3);

  auto changed =
      guest.Put("/api/v1/cart/items/" + std::to_string(tea_), nlohmann::json{{"quantity", 5}}.dump());
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(changed.Json()["shops"][0]["lines"][0]["quantity"], 5);
  EXPECT_EQ(changed.Json()["subtotal_vnd"], 500'000);

  auto removed = guest.Delete("/api/v1/cart/items/" + std::to_string(tea_));
  ASSERT_EQ(removed.status, 200);
  EXPECT_TRUE(removed.Json()["shops"].empty());
  EXPECT_EQ(guest.Delete("/api/v1/cart/items/" + std::to_string(tea_)).status, 404);

  // Another browser sees its own (empty) cart; a forged cookie is just no cart.
  HttpClient stranger = Client();
  EXPECT_TRUE(stranger.Get("/api/v1/cart", {{"Cookie", "nongsan_cart=forged"}}).Json()["shops"].empty());
  EXPECT_TRUE(stranger.Get("/api/v1/cart", {{"Cookie", "nongsan_cart=%00%%"}}).Json()["shops"].empty());
}

TEST_P(CartTest, LinesAreGroupedByShopWithCurrentPriceAndStock) {
  HttpClient client = Client();
  ASSERT_EQ(Add(client, tea_, 2, buyer_.auth).status, 200);
  ASSERT_EQ(Add(client, custard_, 1, buyer_.auth).status, 200);
  ASSERT_EQ(Add(client, rice_, 4, buyer_.auth).status, 200);
  auto cart = client.Get("/api/v1/cart", buyer_.auth).Json();
  ASSERT_EQ(cart["shops"].size(), 2u);
  EXPECT_EQ(cart["shops"][0]["shop"]["id"], shop_a_.id);
  EXPECT_EQ(cart["shops"][0]["shop"]["name"], "Chè Tân Cương Hảo Đạt");
  ASSERT_EQ(cart["shops"][0]["lines"].size(), 2u);
  EXPECT_EQ(cart["shops"][0]["subtotal_vnd"], 2 * 100'000 + 4 * 50'000);
  EXPECT_EQ(cart["shops"][1]["shop"]["id"], shop_b_.id);
  EXPECT_EQ(cart["subtotal_vnd"], 600'000);
  EXPECT_EQ(cart["item_count"], 7);
  EXPECT_FALSE(cart["changed"]);
  const auto& line = cart["shops"][0]["lines"][0];
  EXPECT_EQ(line["available"], 10);
  EXPECT_EQ(line["unit_price_vnd"], 100'000);
  EXPECT_FALSE(line["changed_since_added"]);

  // The shop raises the tea price, stock of rice drops, the custard is hidden.
  const Principal owner_a = PrincipalOf(shop_a_.owner);
  catalog::ProductPatch price;
  price.price_vnd = 120'000;
  ASSERT_TRUE(services().catalog->catalog.Update(&owner_a, tea_, price).ok());
  ASSERT_TRUE(app_->app()
                  .db()
                  .Write([&](db::Connection& c) {
                    return services().inventory->Restock(c, rice_, -8, "test: spoiled");
                  })
                  .ok());
  const Principal owner_b = PrincipalOf(shop_b_.owner);
  catalog::ProductPatch hide;
  hide.status = catalog::ProductStatus::kHidden;
  ASSERT_TRUE(services().catalog->catalog.Update(&owner_b, custard_, hide).ok());

  cart = client.Get("/api/v1/cart", buyer_.auth).Json();
  EXPECT_TRUE(cart["changed"]);
  const auto& tea = cart["shops"][0]["lines"][0];
  EXPECT_TRUE(tea["changed_since_added"]);
  EXPECT_EQ(tea["changes"], nlohmann::json::array({"price_up"}));
  EXPECT_EQ(tea["price_vnd_at_add"], 100'000);
  EXPECT_EQ(tea["unit_price_vnd"], 120'000);
  const auto& rice = cart["shops"][0]["lines"][1];
  EXPECT_EQ(rice["changes"], nlohmann::json::array({"not_enough_stock"}));
  EXPECT_EQ(rice["available"], 2);
  const auto& custard = cart["shops"][1]["lines"][0];
  EXPECT_EQ(custard["changes"], nlohmann::json::array({"unavailable"}));
  EXPECT_FALSE(custard["orderable"]);
  // Changing the quantity of a line that is no longer on sale says so (the
  // buyer already knows the product); the line stays as it was.
  auto more = client.Put("/api/v1/cart/items/" + std::to_string(custard_),
                         nlohmann::json{{"quantity", 2}}.dump(), buyer_.auth);
  EXPECT_EQ(more.status, 409);
  EXPECT_EQ(more.Json()["code"], "product_unavailable");
  EXPECT_EQ(client.Get("/api/v1/cart", buyer_.auth).Json()["shops"][1]["lines"][0]["quantity"], 1);
  // Unavailable lines do not count towards what the buyer would pay.
  EXPECT_EQ(cart["shops"][1]["subtotal_vnd"], 0);
  EXPECT_EQ(cart["subtotal_vnd"], 2 * 120'000 + 4 * 50'000);

  // Setting the quantity again acknowledges the current price.
  ASSERT_EQ(client
                .Put("/api/v1/cart/items/" + std::to_string(tea_), nlohmann::json{{"quantity", 2}}.dump(),
                     buyer_.auth)
                .status,
            200);
  cart = client.Get("/api/v1/cart", buyer_.auth).Json();
  EXPECT_FALSE(cart["shops"][0]["lines"][0]["changed_since_added"]);
}

TEST_P(CartTest, AGuestCartJoinsTheBuyersCartAtSignIn) {
  HttpClient browser = Client();
  browser.EnableCookieJar();
  ASSERT_EQ(Add(browser, tea_, 2).status, 200);
  ASSERT_EQ(Add(browser, custard_, 1).status, 200);
  const std::string token = browser.cookies().at("nongsan_cart");

  HttpClient phone = Client();
  ASSERT_EQ(Add(phone, tea_, 1, buyer_.auth).status, 200);
  ASSERT_EQ(Add(phone, rice_, 1, buyer_.auth).status, 200);

  // The login calls the hook; quantities of the same product add up.
  auto merged = services().carts->MergeGuestCart(token, buyer_.user_id);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, 2);
  auto cart = phone.Get("/api/v1/cart", buyer_.auth).Json();
  ASSERT_EQ(cart["shops"].size(), 2u);
  EXPECT_EQ(cart["shops"][0]["lines"][0]["product_id"], tea_);
  EXPECT_EQ(cart["shops"][0]["lines"][0]["quantity"], 3);
  EXPECT_EQ(cart["item_count"], 5);
  // The guest cart is gone; merging again changes nothing.
  EXPECT_TRUE(browser.Get("/api/v1/cart").Json()["shops"].empty());
  EXPECT_EQ(*services().carts->MergeGuestCart(token, buyer_.user_id), 0);
}

TEST_P(CartTest, ASignedInRequestStillCarryingTheCookieMergesAndDropsIt) {
  HttpClient browser = Client();
  browser.EnableCookieJar();
  ASSERT_EQ(Add(browser, custard_, 2).status, 200);
  auto resp = browser.Get("/api/v1/cart", buyer_.auth);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(resp.Json()["shops"][0]["lines"][0]["quantity"], 2);
  ASSERT_EQ(resp.set_cookies.size(), 1u);
  EXPECT_NE(resp.set_cookies[0].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(browser.cookies().count("nongsan_cart"), 0u);
}

TEST_P(CartTest, RefusesQuantitiesAndProductsItCannotSell) {
  HttpClient client = Client();
  EXPECT_EQ(Add(client, tea_, 0, buyer_.auth).status, 400);
  EXPECT_EQ(Add(client, tea_, -1, buyer_.auth).status, 400);
  EXPECT_EQ(Add(client, tea_, kMaxLineQuantity + 1, buyer_.auth).status, 400);
  EXPECT_EQ(
      client.Post("/api/v1/cart/items", std::string(R"({"product_id": 1, "quantity": 2.5})"), buyer_.auth)
          .status,
      400);
  EXPECT_EQ(
      client.Post("/api/v1/cart/items", std::string(R"({"product_id": "x", "quantity": 2})"), buyer_.auth)
          .status,
      400);
  auto too_many = Add(client, tea_, 11, buyer_.auth);
  EXPECT_EQ(too_many.status, 409);
  EXPECT_EQ(too_many.Json()["code"], "out_of_stock");
  EXPECT_EQ(too_many.Json()["products"][0]["available"], 10);
  EXPECT_EQ(Add(client, 987654, 1, buyer_.auth).status, 404);
  const std::int64_t draft = NewProduct(shop_a_, {"Nháp", 1000, 5, 100, catalog::ProductStatus::kDraft});
  // A draft is not public: adding it answers as for a product that does not
  // exist, so its existence is not revealed.
  auto draft_add = Add(client, draft, 1, buyer_.auth);
  EXPECT_EQ(draft_add.status, 404);
  EXPECT_EQ(draft_add.Json()["code"], Add(client, 987654, 1, buyer_.auth).Json()["code"]);
  EXPECT_EQ(client.Put("/api/v1/cart/items/abc", nlohmann::json{{"quantity", 1}}.dump(), buyer_.auth).status,
            404);
  EXPECT_EQ(CountRows("orders_cart_lines"), 0);
  // A quantity of 0 removes the line.
  ASSERT_EQ(Add(client, tea_, 1, buyer_.auth).status, 200);
  auto zero = client.Put("/api/v1/cart/items/" + std::to_string(tea_), nlohmann::json{{"quantity", 0}}.dump(),
                         buyer_.auth);
  ASSERT_EQ(zero.status, 200);
  EXPECT_TRUE(zero.Json()["shops"].empty());
}

INSTANTIATE_TEST_SUITE_P(Cart, CartTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders::testing
