// The order lifecycle over HTTP on both backends: who may see and move an
// order, history, notifications, stock on cancellation and delivery, the
// return window, lists and pagination.
#include <gtest/gtest.h>

#include "orders/orders_test_support.hpp"

namespace nongsan::orders::testing {
namespace {

class OrdersApiLifecycleTest : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (HasFatalFailure()) return;
    shop_ = NewShop("Chè Tân Cương Hảo Đạt", kTnCommuneA);
    tea_ = NewProduct(shop_, {"Chè búp Tân Cương", 100'000, 20, 500});
    buyer_ = NewPerson("Nguyễn Thị Hoa");
  }

  // Places an order of `quantity` tea and returns its id.
  std::int64_t Place(std::int64_t quantity = 2) {
    HttpClient client = Client();
    auto resp =
        PostCheckout(client, buyer_, "place-" + std::to_string(++placed_), CheckoutBody({{tea_, quantity}}));
    EXPECT_EQ(resp.status, 201) << resp.body;
    return resp.status == 201 ? resp.Json()["orders"][0]["id"].get<std::int64_t>() : 0;
  }

  std::string Path(std::int64_t order_id) const { return "/api/v1/orders/" + std::to_string(order_id); }

  Shop shop_;
  std::int64_t tea_ = 0;
  Person buyer_;
  int placed_ = 0;
};

TEST_P(OrdersApiLifecycleTest, TheWholeWayFromPlacedToCompletedIsRecorded) {
  HttpClient client = Client();
  const std::int64_t id = Place(3);
  auto placed = client.Get(Path(id), buyer_.auth).Json();
  EXPECT_EQ(placed["allowed_transitions"], nlohmann::json::array({"cancelled"}));
  auto shop_view = client.Get(Path(id), shop_.owner.auth);
  ASSERT_EQ(shop_view.status, 200);
  EXPECT_EQ(shop_view.Json()["allowed_transitions"], nlohmann::json::array({"confirmed", "cancelled"}));

  ASSERT_EQ(Move(client, shop_.owner, id, "confirmed").status, 200);
  app_->clock().Advance(3'600'000);
  ASSERT_EQ(Move(client, shop_.owner, id, "packed").status, 200);
  auto shipped = Move(client, shop_.owner, id, "shipped", "", "VNP123456789");
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  EXPECT_EQ(shipped.Json()["shipping"]["tracking_code"], "VNP123456789");
  EXPECT_EQ(ExpectStockHolds(tea_).held_by_orders, 3);
  auto delivered = Move(client, shop_.owner, id, "delivered");
  ASSERT_EQ(delivered.status, 200);
  EXPECT_EQ(delivered.Json()["delivered_at"], "2026-11-29T11:00:00+07:00");
  EXPECT_EQ(delivered.Json()["return_window_ends_at"], "2026-12-06T11:00:00+07:00");
  auto sold = ExpectStockHolds(tea_);
  EXPECT_EQ(sold.catalog.sold, 3);
  EXPECT_EQ(sold.catalog.held, 0);
  auto completed = Move(client, buyer_, id, "completed");
  ASSERT_EQ(completed.status, 200) << completed.body;

  auto order = completed.Json();
  EXPECT_EQ(order["status"], "completed");
  EXPECT_TRUE(order["allowed_transitions"].empty());
  const auto& history = order["history"];
  ASSERT_EQ(history.size(), 6u);
  EXPECT_TRUE(history[0]["from"].is_null());
  EXPECT_EQ(history[0]["to"], "placed");
  EXPECT_EQ(history[0]["by"], "buyer");
  EXPECT_EQ(history[1]["to"], "confirmed");
  EXPECT_EQ(history[1]["by"], "shop");
  EXPECT_EQ(history[1]["by_user_id"], shop_.owner.user_id);
  EXPECT_EQ(history[1]["at"], "2026-11-29T10:00:00+07:00");
  EXPECT_EQ(history[2]["at"], "2026-11-29T11:00:00+07:00");
  EXPECT_EQ(history[3]["tracking_code"], "VNP123456789");
  EXPECT_EQ(history[5]["by_user_id"], buyer_.user_id);

  // Each of the six events told both the buyer and the shop.
  EXPECT_EQ(client.Get("/api/v1/me/notifications", buyer_.auth).Json()["items"].size(), 6u);
  auto shop_notes = client.Get("/api/v1/me/notifications?limit=4", shop_.owner.auth).Json();
  EXPECT_EQ(shop_notes["items"].size(), 4u);
  EXPECT_EQ(shop_notes["items"][0]["event"], "completed");
  ASSERT_TRUE(shop_notes["next_cursor"].is_string());
  auto rest =
      client
          .Get("/api/v1/me/notifications?limit=4&cursor=" + shop_notes["next_cursor"].get<std::string>(),
               shop_.owner.auth)
          .Json();
  EXPECT_EQ(rest["items"].size(), 2u);
  EXPECT_TRUE(rest["next_cursor"].is_null());
  EXPECT_EQ(CountRows("orders_outbox"), 12);
  auto read = client.Post("/api/v1/me/notifications/read",
                          nlohmann::json{{"up_to_id", shop_notes["items"][0]["id"]}}, shop_.owner.auth);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.Json()["marked"], 6);
  EXPECT_EQ(client.Get("/api/v1/me/notifications", shop_.owner.auth).Json()["unread_count"], 0);
  EXPECT_EQ(client.Get("/api/v1/me/notifications", buyer_.auth).Json()["unread_count"], 6);
}

TEST_P(OrdersApiLifecycleTest, OnlyTheBuyerAndTheShopSeeAnOrder) {
  HttpClient client = Client();
  const std::int64_t id = Place();
  Person stranger = NewPerson("Người lạ");
  Shop other_shop = NewShop("Shop khác", kTnCommuneB);
  for (const Person* p : {&stranger, &other_shop.owner}) {
    EXPECT_EQ(client.Get(Path(id), p->auth).status, 404);
    EXPECT_EQ(Move(client, *p, id, "cancelled", "không muốn").status, 404);
  }
  EXPECT_EQ(client.Get(Path(id)).status, 401);
  EXPECT_EQ(client.Get(Path(id + 1000), buyer_.auth).status, 404);
  EXPECT_EQ(client.Get("/api/v1/orders/abc", buyer_.auth).status, 404);
  EXPECT_EQ(client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/orders", stranger.auth).status, 404);
  EXPECT_EQ(client.Get("/api/v1/sellers/" + std::to_string(shop_.id) + "/orders", buyer_.auth).status, 404);
  // The stranger's own list is empty; the order is still placed.
  EXPECT_TRUE(client.Get("/api/v1/orders", stranger.auth).Json()["items"].empty());
  EXPECT_EQ(client.Get(Path(id), buyer_.auth).Json()["status"], "placed");

  // The shop's staff run its orders as the owner does.
  Person staff = NewPerson("Nhân viên");
  auto added = services().sellers->AddStaff(PrincipalOf(shop_.owner), shop_.id, staff.phone, Role::kShopStaff,
                                            accounts::ClientInfo{});
  ASSERT_TRUE(added.ok()) << added.error().detail;
  EXPECT_EQ(client.Get(Path(id), staff.auth).status, 200);
  auto confirmed = Move(client, staff, id, "confirmed");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.Json()["history"][1]["by_user_id"], staff.user_id);
  EXPECT_EQ(confirmed.Json()["history"][1]["by"], "shop");
}

TEST_P(OrdersApiLifecycleTest, ForbiddenAndInvalidMovesChangeNothing) {
  HttpClient client = Client();
  const std::int64_t id = Place();
  const std::int64_t transitions = CountRows("orders_transitions");
  auto buyer_confirms = Move(client, buyer_, id, "confirmed");
  EXPECT_EQ(buyer_confirms.status, 403);
  EXPECT_EQ(buyer_confirms.Json()["code"], "forbidden_transition");
  auto skip = Move(client, shop_.owner, id, "shipped", "", "VN1");
  EXPECT_EQ(skip.status, 409);
  EXPECT_EQ(skip.Json()["code"], "invalid_transition");
  EXPECT_EQ(skip.Json()["from"], "placed");
  EXPECT_EQ(Move(client, shop_.owner, id, "placed").status, 409);
  EXPECT_EQ(Move(client, shop_.owner, id, "teleported").status, 400);
  EXPECT_EQ(Move(client, buyer_, id, "cancelled").status, 400);  // no reason
  ASSERT_EQ(Move(client, shop_.owner, id, "confirmed").status, 200);
  EXPECT_EQ(Move(client, shop_.owner, id, "confirmed").status, 409);
  auto late_cancel = Move(client, buyer_, id, "cancelled", "đổi ý");
  EXPECT_EQ(late_cancel.status, 409);
  ASSERT_EQ(Move(client, shop_.owner, id, "packed").status, 200);
  EXPECT_EQ(Move(client, shop_.owner, id, "shipped").status, 400);  // no tracking code
  EXPECT_EQ(Move(client, buyer_, id, "delivered").status, 403);
  EXPECT_EQ(CountRows("orders_transitions"), transitions + 2);
  EXPECT_EQ(client.Get(Path(id), buyer_.auth).Json()["status"], "packed");
  ExpectStockHolds(tea_);
}

TEST_P(OrdersApiLifecycleTest, CancellingPutsTheStockBack) {
  HttpClient client = Client();
  const std::int64_t by_buyer = Place(5);
  const std::int64_t by_shop = Place(4);
  EXPECT_EQ(ExpectStockHolds(tea_).catalog.available, 11);

  auto cancelled = Move(client, buyer_, by_buyer, "cancelled", "Đặt nhầm số lượng");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.Json()["history"][1]["reason"], "Đặt nhầm số lượng");
  EXPECT_EQ(ExpectStockHolds(tea_).catalog.available, 16);

  ASSERT_EQ(Move(client, shop_.owner, by_shop, "confirmed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, by_shop, "packed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, by_shop, "cancelled", "Hết hàng loại 1").status, 200);
  auto check = ExpectStockHolds(tea_);
  EXPECT_EQ(check.catalog.available, 20);
  EXPECT_EQ(check.held_by_orders, 0);
  // Cancelling twice neither succeeds nor puts stock back twice.
  EXPECT_EQ(Move(client, shop_.owner, by_shop, "cancelled", "again").status, 409);
  EXPECT_EQ(ExpectStockHolds(tea_).catalog.available, 20);
  auto notes = client.Get("/api/v1/me/notifications?limit=1", buyer_.auth).Json();
  EXPECT_EQ(notes["items"][0]["event"], "cancelled");
  EXPECT_NE(notes["items"][0]["message"].get<std::string>().find("Hết hàng loại 1"), std::string::npos);
}

TEST_P(OrdersApiLifecycleTest, ReturnsAreAcceptedOnlyWithinTheWindow) {
  HttpClient client = Client();
  auto deliver = [&](std::int64_t id) {
    ASSERT_EQ(Move(client, shop_.owner, id, "confirmed").status, 200);
    ASSERT_EQ(Move(client, shop_.owner, id, "packed").status, 200);
    ASSERT_EQ(Move(client, shop_.owner, id, "shipped", "", "GHN-1").status, 200);
    ASSERT_EQ(Move(client, shop_.owner, id, "delivered").status, 200);
  };
  const std::int64_t early = Place(1);
  const std::int64_t late = Place(2);
  deliver(early);
  deliver(late);
  EXPECT_EQ(Move(client, shop_.owner, late, "completed").status, 409);  // the buyer may still return it

  app_->clock().Advance(6 * kMsPerDay);
  auto returned = Move(client, buyer_, early, "returned", "Na bị dập");
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(returned.Json()["status"], "returned");

  app_->clock().Advance(2 * kMsPerDay);
  auto too_late = Move(client, buyer_, late, "returned", "Không thích");
  EXPECT_EQ(too_late.status, 409);
  EXPECT_EQ(too_late.Json()["code"], "invalid_transition");
  ASSERT_EQ(Move(client, shop_.owner, late, "completed").status, 200);

  // Returned goods stay counted as sold until the shop restocks them.
  auto check = ExpectStockHolds(tea_);
  EXPECT_EQ(check.catalog.sold, 3);
  EXPECT_EQ(check.catalog.available, 17);
}

// The return window is a setting (return_window_days, NONGSAN_RETURN_WINDOW_DAYS).
class OrdersShortReturnWindowTest : public OrdersApiLifecycleTest {
 protected:
  app::Config MakeConfig() override {
    app::Config config;
    config.return_window_days = 2;
    return config;
  }
};

TEST_P(OrdersShortReturnWindowTest, TheConfiguredWindowDecidesReturns) {
  HttpClient client = Client();
  const std::int64_t id = Place(1);
  ASSERT_EQ(Move(client, shop_.owner, id, "confirmed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, id, "packed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, id, "shipped", "", "GHN-2").status, 200);
  auto delivered = Move(client, shop_.owner, id, "delivered");
  ASSERT_EQ(delivered.status, 200);
  EXPECT_EQ(delivered.Json()["return_window_ends_at"], "2026-12-01T10:00:00+07:00");
  app_->clock().Advance(3 * kMsPerDay);  // inside the default 7 days, past the configured 2
  auto too_late = Move(client, buyer_, id, "returned", "Không thích");
  EXPECT_EQ(too_late.status, 409) << too_late.body;
}

INSTANTIATE_TEST_SUITE_P(Orders, OrdersShortReturnWindowTest,
                         ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

TEST_P(OrdersApiLifecycleTest, ListsAreNewestFirstPagedAndFilteredByStatus) {
  HttpClient client = Client();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Place(1));
  ASSERT_EQ(Move(client, shop_.owner, ids[1], "confirmed").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, ids[3], "confirmed").status, 200);

  auto first = client.Get("/api/v1/orders?limit=2", buyer_.auth).Json();
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_EQ(first["items"][0]["id"], ids[4]);
  EXPECT_EQ(first["items"][1]["id"], ids[3]);
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto second =
      client.Get("/api/v1/orders?limit=2&cursor=" + first["next_cursor"].get<std::string>(), buyer_.auth)
          .Json();
  EXPECT_EQ(second["items"][0]["id"], ids[2]);
  auto third =
      client.Get("/api/v1/orders?limit=2&cursor=" + second["next_cursor"].get<std::string>(), buyer_.auth)
          .Json();
  EXPECT_EQ(third["items"].size(), 1u);
  EXPECT_TRUE(third["next_cursor"].is_null());

  const std::string shop_orders = "/api/v1/sellers/" + std::to_string(shop_.id) + "/orders";
  auto confirmed = client.Get(shop_orders + "?status=confirmed", shop_.owner.auth).Json();
  ASSERT_EQ(confirmed["items"].size(), 2u);
  EXPECT_EQ(confirmed["items"][0]["id"], ids[3]);
  EXPECT_EQ(confirmed["items"][1]["id"], ids[1]);
  EXPECT_EQ(client.Get(shop_orders + "?status=lost", shop_.owner.auth).status, 400);
  EXPECT_EQ(client.Get(shop_orders + "?limit=0", shop_.owner.auth).status, 400);
  EXPECT_EQ(client.Get(shop_orders + "?limit=101", shop_.owner.auth).status, 400);
  EXPECT_EQ(client.Get("/api/v1/orders?cursor=zzz", buyer_.auth).status, 400);
}

TEST_P(OrdersApiLifecycleTest, TheProvinceSetsItsShippingRates) {
  HttpClient client = Client();
  auto defaults = client.Get("/api/v1/provinces/19/shipping-rates");
  ASSERT_EQ(defaults.status, 200);
  EXPECT_TRUE(defaults.Json()["is_default"]);
  nlohmann::json table = defaults.Json();
  table["routes"]["same_commune"]["bands"] = {{{"up_to_grams", 5000}, {"fee_vnd", 10000}}};

  Person admin = NewPerson("Sở Công Thương", {{Role::kProvinceAdmin, "19"}});
  Person other_admin = NewPerson("Hà Nội", {{Role::kProvinceAdmin, "01"}});
  EXPECT_EQ(client.Put("/api/v1/provinces/19/shipping-rates", table.dump()).status, 401);
  EXPECT_EQ(client.Put("/api/v1/provinces/19/shipping-rates", table.dump(), buyer_.auth).status, 403);
  EXPECT_EQ(client.Put("/api/v1/provinces/19/shipping-rates", table.dump(), other_admin.auth).status, 403);
  EXPECT_EQ(client.Put("/api/v1/provinces/99/shipping-rates", table.dump(), admin.auth).status, 404);
  nlohmann::json broken = table;
  broken["routes"]["same_commune"]["bands"][0]["fee_vnd"] = -1;
  EXPECT_EQ(client.Put("/api/v1/provinces/19/shipping-rates", broken.dump(), admin.auth).status, 400);
  auto set = client.Put("/api/v1/provinces/19/shipping-rates", table.dump(), admin.auth);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_FALSE(set.Json()["is_default"]);
  EXPECT_EQ(set.Json()["province_code"], "19");

  // Shops in Thái Nguyên now charge the province's rate; Hà Nội keeps the defaults.
  auto resp = PostCheckout(client, buyer_, "rates", CheckoutBody({{tea_, 2}}));
  ASSERT_EQ(resp.status, 201);
  EXPECT_EQ(resp.Json()["orders"][0]["shipping_fee_vnd"], 10000);
  EXPECT_TRUE(client.Get("/api/v1/provinces/01/shipping-rates").Json()["is_default"]);
}

INSTANTIATE_TEST_SUITE_P(Orders, OrdersApiLifecycleTest,
                         ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders::testing
