// Checkout over HTTP on both backends: orders per shop, money, shipping,
// idempotency, out of stock, and bad input that must write nothing.
#include <gtest/gtest.h>

#include "orders/cart_service.hpp"
#include "orders/orders_test_support.hpp"

namespace nongsan::orders::testing {
namespace {

class CheckoutTest : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (HasFatalFailure()) return;
    shop_a_ = NewShop("Chè Tân Cương Hảo Đạt", kTnCommuneA);
    shop_b_ = NewShop("HTX Na Võ Nhai", kTnCommuneB);
    tea_ = NewProduct(shop_a_, {"Chè búp Tân Cương", 100'000, 50, 500});
    rice_ = NewProduct(shop_a_, {"Gạo nếp cái hoa vàng", 50'000, 50, 1000});
    custard_ = NewProduct(shop_b_, {"Na dai Võ Nhai", 200'000, 50, 2000});
    buyer_ = NewPerson("Nguyễn Thị Hoa");
  }

  // Rows in every table a checkout writes.
  std::vector<std::int64_t> WrittenRows() {
    return {CountRows("orders_checkouts"),   CountRows("orders_orders"),        CountRows("orders_lines"),
            CountRows("orders_transitions"), CountRows("orders_notifications"), CountRows("orders_outbox")};
  }
  std::int64_t Stock(std::int64_t product_id) { return ExpectStockHolds(product_id).catalog.available; }

  Shop shop_a_, shop_b_;
  std::int64_t tea_ = 0, rice_ = 0, custard_ = 0;
  Person buyer_;
};

TEST_P(CheckoutTest, ThreeLinesAcrossTwoShopsMakeOneOrderPerShop) {
  HttpClient client = Client();
  auto resp = PostCheckout(client, buyer_, "key-1", CheckoutBody({{tea_, 2}, {rice_, 1}, {custard_, 1}}));
  ASSERT_EQ(resp.status, 201) << resp.body;
  auto body = resp.Json();
  ASSERT_TRUE(body["checkout_id"].is_string());
  ASSERT_EQ(body["orders"].size(), 2u);

  const auto& a = body["orders"][0];
  EXPECT_EQ(a["shop"]["id"], shop_a_.id);
  EXPECT_EQ(a["status"], "placed");
  EXPECT_EQ(a["payment_method"], "cod");
  ASSERT_EQ(a["lines"].size(), 2u);
  EXPECT_EQ(a["lines"][0]["product_id"], tea_);
  EXPECT_EQ(a["lines"][0]["unit_price_vnd"], 100'000);
  EXPECT_EQ(a["lines"][0]["quantity"], 2);
  EXPECT_EQ(a["lines"][0]["line_total_vnd"], 200'000);
  EXPECT_EQ(a["lines"][0]["name"], "Chè búp Tân Cương");
  EXPECT_EQ(a["subtotal_vnd"], 250'000);
  // 2 kg within the commune: the default table's "up to 3 kg" band.
  EXPECT_EQ(a["shipping"]["route"], "same_commune");
  EXPECT_EQ(a["shipping"]["weight_grams"], 2000);
  EXPECT_EQ(a["shipping_fee_vnd"], 18'000);
  EXPECT_EQ(a["total_vnd"], 268'000);

  const auto& b = body["orders"][1];
  EXPECT_EQ(b["shop"]["id"], shop_b_.id);
  EXPECT_EQ(b["shop"]["name"], "HTX Na Võ Nhai");
  EXPECT_EQ(b["shipping"]["route"], "same_province");
  EXPECT_EQ(b["subtotal_vnd"], 200'000);
  EXPECT_EQ(b["shipping_fee_vnd"], 27'000);
  EXPECT_EQ(b["total_vnd"], 227'000);
  for (const auto& o : body["orders"]) {
    const std::string code = o["code"];
    EXPECT_EQ(code.size(), kOrderCodeLength);
    EXPECT_EQ(code.find_first_not_of("23456789ABCDEFGHJKMNPQRSTUVWXYZ"), std::string::npos) << code;
    EXPECT_EQ(o["created_at"], "2026-11-29T10:00:00+07:00");
    EXPECT_EQ(o["shipping_address"]["phone"], "0912345678");
    EXPECT_FALSE(o["shipping_address"]["commune_name"].get<std::string>().empty());
  }
  EXPECT_NE(a["code"], b["code"]);

  EXPECT_EQ(Stock(tea_), 48);
  EXPECT_EQ(Stock(rice_), 49);
  EXPECT_EQ(Stock(custard_), 49);
  EXPECT_EQ(ExpectStockHolds(tea_).held_by_orders, 2);

  auto mine = client.Get("/api/v1/orders", buyer_.auth);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Json()["items"].size(), 2u);
  auto shop_view =
      client.Get("/api/v1/sellers/" + std::to_string(shop_b_.id) + "/orders", shop_b_.owner.auth);
  ASSERT_EQ(shop_view.status, 200) << shop_view.body;
  ASSERT_EQ(shop_view.Json()["items"].size(), 1u);  // each farm sees only its own order
  EXPECT_EQ(shop_view.Json()["items"][0]["id"], b["id"]);

  auto buyer_notes = client.Get("/api/v1/me/notifications", buyer_.auth);
  ASSERT_EQ(buyer_notes.status, 200);
  EXPECT_EQ(buyer_notes.Json()["items"].size(), 2u);
  EXPECT_EQ(buyer_notes.Json()["unread_count"], 2);
  auto shop_notes = client.Get("/api/v1/me/notifications", shop_a_.owner.auth);
  ASSERT_EQ(shop_notes.status, 200);
  ASSERT_EQ(shop_notes.Json()["items"].size(), 1u);
  EXPECT_EQ(shop_notes.Json()["items"][0]["audience"], "shop");
  EXPECT_EQ(CountRows("orders_outbox"), 4);
}

TEST_P(CheckoutTest, SameKeyAndBodyReplaysTheFirstResponseAndCreatesNothing) {
  HttpClient client = Client();
  const auto request = CheckoutBody({{tea_, 1}, {custard_, 3}});
  auto first = PostCheckout(client, buyer_, "retry-me", request);
  ASSERT_EQ(first.status, 201) << first.body;
  const auto rows = WrittenRows();

  auto again = PostCheckout(client, buyer_, "retry-me", request);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.Json(), first.Json());
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  // The same JSON written differently is the same request.
  auto respaced =
      client.Post("/api/v1/orders", "  " + request.dump(2) + "\n",
                  {{"Authorization", buyer_.auth.at("Authorization")}, {"Idempotency-Key", "retry-me"}});
  ASSERT_EQ(respaced.status, 201);
  EXPECT_EQ(respaced.Json(), first.Json());

  EXPECT_EQ(WrittenRows(), rows);
  EXPECT_EQ(Stock(tea_), 49);
  EXPECT_EQ(Stock(custard_), 47);
}

TEST_P(CheckoutTest, SameKeyWithADifferentBodyIsRefused) {
  HttpClient client = Client();
  ASSERT_EQ(PostCheckout(client, buyer_, "k", CheckoutBody({{tea_, 1}})).status, 201);
  const auto rows = WrittenRows();
  auto other = PostCheckout(client, buyer_, "k", CheckoutBody({{tea_, 2}}));
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.Json()["code"], "idempotency_mismatch");
  EXPECT_EQ(WrittenRows(), rows);
  EXPECT_EQ(Stock(tea_), 49);
  // Keys belong to a buyer: another buyer's identical key is a new checkout.
  Person other_buyer = NewPerson("Trần Văn Nam");
  EXPECT_EQ(PostCheckout(client, other_buyer, "k", CheckoutBody({{tea_, 2}})).status, 201);
  EXPECT_EQ(Stock(tea_), 47);
}

TEST_P(CheckoutTest, OutOfStockNamesEveryShortProductAndTakesNothing) {
  HttpClient client = Client();
  auto resp = PostCheckout(client, buyer_, "big", CheckoutBody({{tea_, 51}, {rice_, 1}, {custard_, 60}}));
  ASSERT_EQ(resp.status, 409) << resp.body;
  auto problem = resp.Json();
  EXPECT_EQ(problem["code"], "out_of_stock");
  EXPECT_EQ(resp.Header("content-type"), "application/problem+json");
  ASSERT_EQ(problem["products"].size(), 2u);
  EXPECT_EQ(problem["products"][0]["product_id"], tea_);
  EXPECT_EQ(problem["products"][0]["requested"], 51);
  EXPECT_EQ(problem["products"][0]["available"], 50);
  EXPECT_EQ(problem["products"][0]["name"], "Chè búp Tân Cương");
  EXPECT_EQ(problem["products"][1]["product_id"], custard_);
  EXPECT_EQ(problem["products"][1]["available"], 50);
  EXPECT_EQ(WrittenRows(), std::vector<std::int64_t>(6, 0));
  EXPECT_EQ(Stock(tea_), 50);
  EXPECT_EQ(Stock(rice_), 50);
  // Nothing was recorded, so the same key may be used again once it fits.
  EXPECT_EQ(PostCheckout(client, buyer_, "big", CheckoutBody({{tea_, 50}})).status, 201);
  EXPECT_EQ(Stock(tea_), 0);
}

TEST_P(CheckoutTest, BadInputIsAClear400AndWritesNothing) {
  HttpClient client = Client();
  auto with_items = [&](nlohmann::json items) {
    nlohmann::json body = CheckoutBody({});
    body["items"] = std::move(items);
    return body;
  };
  auto item = [](nlohmann::json product_id, nlohmann::json quantity) {
    return nlohmann::json::array({{{"product_id", product_id}, {"quantity", quantity}}});
  };
  nlohmann::json bad_commune = CheckoutBody({{tea_, 1}});
  bad_commune["shipping_address"]["commune_code"] = "99999";
  nlohmann::json province_not_commune = CheckoutBody({{tea_, 1}});
  province_not_commune["shipping_address"]["commune_code"] = "19";
  nlohmann::json bad_phone = CheckoutBody({{tea_, 1}});
  bad_phone["shipping_address"]["phone"] = "12345";
  nlohmann::json no_name = CheckoutBody({{tea_, 1}});
  no_name["shipping_address"]["full_name"] = "   ";
  nlohmann::json card = CheckoutBody({{tea_, 1}});
  card["payment_method"] = "card";
  nlohmann::json both = CheckoutBody({{tea_, 1}});
  both["from_cart"] = true;
  nlohmann::json long_note = CheckoutBody({{tea_, 1}});
  long_note["note"] = std::string(kMaxNoteChars + 1, 'a');

  const std::vector<std::pair<std::string, nlohmann::json>> cases = {
      {"zero quantity", with_items(item(tea_, 0))},
      {"negative quantity", with_items(item(tea_, -3))},
      {"enormous quantity", with_items(item(tea_, kMaxLineQuantity + 1))},
      {"quantity past int64", with_items(item(tea_, nlohmann::json::parse("18446744073709551615")))},
      {"fractional quantity", with_items(item(tea_, 1.5))},
      {"quantity as text", with_items(item(tea_, "2"))},
      {"product id zero", with_items(item(0, 1))},
      {"no items", with_items(nlohmann::json::array())},
      {"items not an array", with_items("tea")},
      {"same product twice",
       with_items({{{"product_id", tea_}, {"quantity", 1}}, {{"product_id", tea_}, {"quantity", 2}}})},
      {"unknown commune", bad_commune},
      {"province instead of commune", province_not_commune},
      {"bad phone", bad_phone},
      {"blank name", no_name},
      {"card payment", card},
      {"items and from_cart", both},
      {"long note", long_note},
  };
  for (const auto& [name, body] : cases) {
    SCOPED_TRACE(name);
    auto resp = PostCheckout(client, buyer_, "bad-" + name, body);
    EXPECT_EQ(resp.status, 400) << resp.body;
    EXPECT_EQ(resp.Json()["code"], "validation");
  }
  auto no_key = PostCheckout(client, buyer_, "", CheckoutBody({{tea_, 1}}));
  EXPECT_EQ(no_key.status, 400);
  EXPECT_NE(no_key.body.find("Idempotency-Key"), std::string::npos);
  auto long_key =
      PostCheckout(client, buyer_, std::string(kMaxIdempotencyKeyChars + 1, 'k'), CheckoutBody({{tea_, 1}}));
  EXPECT_EQ(long_key.status, 400);
  auto not_json = client.Post("/api/v1/orders", std::string("{items:"),
                              {{"Authorization", buyer_.auth.at("Authorization")}, {"Idempotency-Key", "x"}});
  EXPECT_EQ(not_json.status, 400);
  auto anonymous =
      client.Post("/api/v1/orders", CheckoutBody({{tea_, 1}}).dump(), {{"Idempotency-Key", "anon"}});
  EXPECT_EQ(anonymous.status, 401);

  EXPECT_EQ(WrittenRows(), std::vector<std::int64_t>(6, 0));
  EXPECT_EQ(Stock(tea_), 50);
}

TEST_P(CheckoutTest, ProductsNotOnSaleAreNamedWithTheReason) {
  HttpClient client = Client();
  const std::int64_t draft =
      NewProduct(shop_a_, {"Chè nháp", 10'000, 5, 100, catalog::ProductStatus::kDraft});
  const std::int64_t hidden =
      NewProduct(shop_a_, {"Chè ẩn", 10'000, 5, 100, catalog::ProductStatus::kHidden});
  const std::int64_t suspended = NewProduct(shop_a_, {"Chè bị đình chỉ", 10'000, 5, 100});
  ASSERT_TRUE(services().catalog->catalog.SetSuspended(suspended, true, "Nhãn sai").ok());
  const std::int64_t deleted = NewProduct(shop_a_, {"Chè đã xoá", 10'000, 5, 100});
  const Principal owner = PrincipalOf(shop_a_.owner);
  ASSERT_TRUE(services().catalog->catalog.Delete(&owner, deleted).ok());

  const std::vector<std::pair<std::int64_t, std::string>> cases = {{draft, "draft"},
                                                                   {hidden, "hidden"},
                                                                   {suspended, "suspended"},
                                                                   {deleted, "not_found"},
                                                                   {987654, "not_found"}};
  for (const auto& [product, reason] : cases) {
    SCOPED_TRACE(reason);
    auto resp = PostCheckout(client, buyer_, "na-" + std::to_string(product),
                             CheckoutBody({{tea_, 1}, {product, 1}}));
    ASSERT_EQ(resp.status, 409) << resp.body;
    EXPECT_EQ(resp.Json()["code"], "product_unavailable");
    ASSERT_EQ(resp.Json()["products"].size(), 1u);
    EXPECT_EQ(resp.Json()["products"][0]["product_id"], product);
    EXPECT_EQ(resp.Json()["products"][0]["reason"], reason);
  }
  EXPECT_EQ(WrittenRows(), std::vector<std::int64_t>(6, 0));
  EXPECT_EQ(Stock(tea_), 50);
}

TEST_P(CheckoutTest, ASuspendedShopTakesNoOrders) {
  HttpClient client = Client();
  Person officer = NewPerson("Cán bộ xã", {{Role::kCommuneOfficer, kTnCommuneB}});
  auto suspended = services().sellers->Suspend(PrincipalOf(officer), shop_b_.id, "Kiểm tra vệ sinh",
                                               accounts::ClientInfo{});
  ASSERT_TRUE(suspended.ok()) << suspended.error().detail;
  auto resp = PostCheckout(client, buyer_, "closed", CheckoutBody({{tea_, 1}, {custard_, 1}}));
  ASSERT_EQ(resp.status, 409) << resp.body;
  EXPECT_EQ(resp.Json()["code"], "product_unavailable");
  EXPECT_EQ(resp.Json()["products"][0]["product_id"], custard_);
  EXPECT_EQ(WrittenRows(), std::vector<std::int64_t>(6, 0));
}

TEST_P(CheckoutTest, FromTheCartUsesItsLinesAndEmptiesThem) {
  HttpClient client = Client();
  ASSERT_EQ(
      client.Post("/api/v1/cart/items", nlohmann::json{{"product_id", tea_}, {"quantity", 3}}, buyer_.auth)
          .status,
      200);
  ASSERT_EQ(
      client
          .Post("/api/v1/cart/items", nlohmann::json{{"product_id", custard_}, {"quantity", 1}}, buyer_.auth)
          .status,
      200);
  nlohmann::json body = {
      {"from_cart", true}, {"shipping_address", Address(kHanoiCommune)}, {"payment_method", "cod"}};
  auto resp = PostCheckout(client, buyer_, "cart-1", body);
  ASSERT_EQ(resp.status, 201) << resp.body;
  ASSERT_EQ(resp.Json()["orders"].size(), 2u);
  EXPECT_EQ(resp.Json()["orders"][0]["shipping"]["route"], "other_province");
  // 1.5 kg to Hà Nội: the "up to 3 kg" inter-province band.
  EXPECT_EQ(resp.Json()["orders"][0]["shipping_fee_vnd"], 45'000);
  auto cart = client.Get("/api/v1/cart", buyer_.auth);
  ASSERT_EQ(cart.status, 200);
  EXPECT_TRUE(cart.Json()["shops"].empty());
  EXPECT_EQ(Stock(tea_), 47);
  // The replay needs nothing from the (now empty) cart.
  EXPECT_EQ(PostCheckout(client, buyer_, "cart-1", body).Json(), resp.Json());
  auto empty = PostCheckout(client, buyer_, "cart-2", body);
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.Json()["code"], "cart_empty");
}

TEST_P(CheckoutTest, AnOrderKeepsThePriceItWasPlacedAt) {
  HttpClient client = Client();
  auto resp = PostCheckout(client, buyer_, "p", CheckoutBody({{tea_, 1}}));
  ASSERT_EQ(resp.status, 201);
  const Principal owner = PrincipalOf(shop_a_.owner);
  catalog::ProductPatch patch;
  patch.price_vnd = 150'000;
  patch.name = "Chè búp đặc biệt";
  ASSERT_TRUE(services().catalog->catalog.Update(&owner, tea_, patch).ok());
  auto order = client.Get(
      "/api/v1/orders/" + std::to_string(resp.Json()["orders"][0]["id"].get<std::int64_t>()), buyer_.auth);
  ASSERT_EQ(order.status, 200);
  EXPECT_EQ(order.Json()["lines"][0]["unit_price_vnd"], 100'000);
  EXPECT_EQ(order.Json()["lines"][0]["name"], "Chè búp Tân Cương");
  EXPECT_EQ(order.Json()["total_vnd"], 100'000 + 15'000);
}

INSTANTIATE_TEST_SUITE_P(Checkout, CheckoutTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders::testing
