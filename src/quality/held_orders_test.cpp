// Consequences of a suspension reaching buyers, over the real services on
// both backends: quality's enforcement holds the shop's open orders through
// the orders module, each buyer is told (in-app and SMS outbox) and sees the
// hold on the order, the shop cannot move a held order, and an officer of
// the shop's area releases or cancels it (audited); nobody else can.
#include "quality/held_orders.hpp"

#include <gtest/gtest.h>

#include "orders/orders_test_support.hpp"
#include "quality/quality_module.hpp"

namespace nongsan::quality {
namespace {

using orders::testing::CheckoutBody;
using orders::testing::Move;
using orders::testing::Person;
using orders::testing::PostCheckout;
using orders::testing::Shop;

class HeldOrdersTest : public orders::testing::OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    shop_ = NewShop("Chè Hảo Đạt", orders::testing::kTnCommuneA);
    tea_ = NewProduct(shop_);
    dust_ = NewProduct(shop_, {.name = "Chè vụn"});
    buyer_ = NewPerson("Người mua");
    officer_ = NewPerson("Cán bộ xã", {{Role::kCommuneOfficer, orders::testing::kTnCommuneA}});
    elsewhere_ = NewPerson("Cán bộ xã khác", {{Role::kCommuneOfficer, orders::testing::kHanoiCommune}});
  }

  std::int64_t Place(std::int64_t product_id) {
    nongsan::testing::HttpClient client = Client();
    auto resp =
        PostCheckout(client, buyer_, "held-" + std::to_string(++placed_), CheckoutBody({{product_id, 2}}));
    EXPECT_EQ(resp.status, 201) << resp.body;
    return resp.status == 201 ? resp.Json()["orders"][0]["id"].get<std::int64_t>() : 0;
  }

  nlohmann::json Order(const Person& who, std::int64_t id) {
    return Client().Get("/api/v1/orders/" + std::to_string(id), who.auth).Json();
  }

  std::int64_t Count(const std::string& sql, db::Params params) {
    auto n = app_->app().db().Read([&](db::Connection& c) { return c.QueryInt(sql, params); });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  QualityModule& quality() { return *services().quality; }

  Result<EnforcementAction> SuspendProduct(std::int64_t product_id) {
    const Principal officer = PrincipalOf(officer_);
    return quality().complaints.Suspend(&officer, EnforcementTarget::kProduct, product_id,
                                        "Mẫu kiểm nghiệm vượt dư lượng thuốc", std::nullopt);
  }

  Shop shop_;
  std::int64_t tea_ = 0;
  std::int64_t dust_ = 0;
  Person buyer_;
  Person officer_;
  Person elsewhere_;
  int placed_ = 0;
};

TEST_P(HeldOrdersTest, SuspendingAProductHoldsItsOpenOrdersAndTellsTheirBuyers) {
  const std::int64_t with_tea = Place(tea_);
  const std::int64_t with_dust = Place(dust_);
  const std::int64_t shipped = Place(tea_);
  auto client = Client();
  for (const char* to : {"confirmed", "packed"})
    ASSERT_EQ(Move(client, shop_.owner, shipped, to).status, 200);
  ASSERT_EQ(Move(client, shop_.owner, shipped, "shipped", "", "VNP1").status, 200);

  auto suspended = SuspendProduct(tea_);
  ASSERT_TRUE(suspended.ok()) << suspended.error().detail;
  EXPECT_EQ(suspended->flagged_orders, 1);

  // Only the open order with the product is held; the buyer sees why.
  auto held = Order(buyer_, with_tea);
  ASSERT_TRUE(held["hold"].is_object()) << held.dump();
  EXPECT_EQ(held["hold"]["reason"], "Mẫu kiểm nghiệm vượt dư lượng thuốc");
  EXPECT_TRUE(Order(buyer_, with_dust)["hold"].is_null());
  EXPECT_TRUE(Order(buyer_, shipped)["hold"].is_null());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orders_outbox WHERE order_id = ? AND recipient_kind = 'buyer' AND "
                  "channel = 'sms' AND message LIKE ?",
                  {with_tea, std::string("%tạm giữ%")}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orders_notifications WHERE order_id = ? AND user_id = ? AND event = "
                  "'order_held'",
                  {with_tea, buyer_.user_id}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orders_outbox WHERE order_id IN (?, ?) AND message LIKE ?",
                  {with_dust, shipped, std::string("%tạm giữ%")}),
            0);

  // The shop cannot move it and is offered nothing; the buyer may still cancel.
  EXPECT_TRUE(Order(shop_.owner, with_tea)["allowed_transitions"].empty());
  auto refused = Move(client, shop_.owner, with_tea, "confirmed");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.Json()["code"], "order_held");
  EXPECT_EQ(Order(buyer_, with_tea)["allowed_transitions"], nlohmann::json::array({"cancelled"}));
  EXPECT_EQ(Move(client, shop_.owner, with_dust, "confirmed").status, 200);

  // The pages say so: the buyer's order, and the officer's list of held orders.
  auto page = client.Get("/don-hang/" + std::to_string(with_tea), buyer_.auth);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"tam-giu\""), std::string::npos);
  EXPECT_NE(page.body.find("Mẫu kiểm nghiệm vượt dư lượng thuốc"), std::string::npos);
  EXPECT_EQ(client.Get("/don-hang/" + std::to_string(with_dust), buyer_.auth).body.find("id=\"tam-giu\""),
            std::string::npos);
  auto list = client.Get("/can-bo/don-hang-tam-giu", officer_.auth);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(held["code"].get<std::string>()), std::string::npos);
  EXPECT_EQ(list.body.find(Order(buyer_, with_dust)["code"].get<std::string>()), std::string::npos);
}

TEST_P(HeldOrdersTest, AnOfficerOfTheAreaReleasesOrCancelsAndNobodyElseCan) {
  const std::int64_t released = Place(tea_);
  const std::int64_t cancelled = Place(tea_);
  const Principal shop_principal = PrincipalOf(shop_.owner);
  const Principal buyer = PrincipalOf(buyer_);
  const Principal outsider = PrincipalOf(elsewhere_);
  const Principal officer = PrincipalOf(officer_);
  auto suspended = quality().complaints.Suspend(&officer, EnforcementTarget::kShop, shop_.id,
                                                "Bán hàng giả nhãn VietGAP", std::nullopt);
  ASSERT_TRUE(suspended.ok()) << suspended.error().detail;
  EXPECT_EQ(suspended->flagged_orders, 2);

  // The officer's list has both; another commune's officer sees none of them.
  auto listed = quality().held_orders.ForOfficer(&officer);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items.front().shop.id, shop_.id);
  auto other = quality().held_orders.ForOfficer(&outsider);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->items.empty());
  EXPECT_EQ(quality().held_orders.ForOfficer(&buyer).error().code, ErrorCode::kForbidden);

  // Outsiders learn nothing (404), the shop and the buyer are refused, and a
  // decision needs a note: nothing changes.
  EXPECT_EQ(quality()
                .held_orders.Decide(&outsider, released, HoldOutcome::kRelease, "Đã kiểm tra lại")
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(quality().held_orders.Decide(&buyer, released, HoldOutcome::kCancel, "Tôi muốn huỷ").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(quality()
                .held_orders.Decide(&shop_principal, released, HoldOutcome::kRelease, "Cho tôi giao")
                .error()
                .code,
            ErrorCode::kForbidden);
  auto no_note = quality().held_orders.Decide(&officer, released, HoldOutcome::kRelease, "  ");
  ASSERT_FALSE(no_note.ok());
  EXPECT_EQ(no_note.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(no_note.error().fields.at(0).field, "reason");
  EXPECT_TRUE(Order(buyer_, released)["hold"].is_object());

  // Released: the shop goes on; the buyer hears; the decision is audited.
  auto ok = quality().held_orders.Decide(&officer, released, HoldOutcome::kRelease,
                                         "Lô hàng của đơn này đạt kiểm nghiệm");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_TRUE(Order(buyer_, released)["hold"].is_null());
  auto client = Client();
  EXPECT_EQ(Move(client, shop_.owner, released, "confirmed").status, 200);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orders_outbox WHERE order_id = ? AND message LIKE ?",
                  {released, std::string("%cho tiếp tục%")}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'order.hold_released' AND object_id = ?",
                  {std::to_string(released)}),
            1);
  // Nothing is left to decide: a second decision finds no held order.
  EXPECT_EQ(
      quality().held_orders.Decide(&officer, released, HoldOutcome::kCancel, "Huỷ lần nữa").error().code,
      ErrorCode::kNotFound);

  // Cancelled: the stock goes back and the history names the official.
  auto cancel =
      quality().held_orders.Decide(&officer, cancelled, HoldOutcome::kCancel, "Hàng giả nhãn, huỷ đơn");
  ASSERT_TRUE(cancel.ok()) << cancel.error().detail;
  EXPECT_EQ(cancel->status, "cancelled");
  auto order = Order(buyer_, cancelled);
  EXPECT_EQ(order["status"], "cancelled");
  EXPECT_EQ(order["history"].back()["by"], "official");
  EXPECT_EQ(order["history"].back()["reason"], "Hàng giả nhãn, huỷ đơn");
  EXPECT_EQ(ExpectStockHolds(tea_).held_by_orders, 2);  // the released order's two
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'order.hold_cancelled' AND object_id = ?",
                  {std::to_string(cancelled)}),
            1);
  auto left = quality().held_orders.ForOfficer(&officer);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->items.empty());
}

// The officer's list is chosen by area before the orders are read: holds of
// other areas, older and more than a page of them, do not push an officer's
// own held orders off the list; the rest of theirs are on the next pages.
TEST_P(HeldOrdersTest, AnOfficerSeesTheirAreasHoldsWhateverOtherAreasHoldAndPagesThrough) {
  const Shop near = NewShop("Chè Phong Quang", orders::testing::kTnCommuneB);
  const std::int64_t near_tea = NewProduct(near);
  const Person near_officer =
      NewPerson("Cán bộ Phong Quang", {{Role::kCommuneOfficer, orders::testing::kTnCommuneB}});
  const Principal officer = PrincipalOf(officer_);
  // Older holds in commune A first, then one in commune B.
  const std::int64_t a1 = Place(tea_);
  const std::int64_t a2 = Place(tea_);
  ASSERT_TRUE(
      quality()
          .complaints
          .Suspend(&officer, EnforcementTarget::kShop, shop_.id, "Bán hàng giả nhãn VietGAP", std::nullopt)
          .ok());
  const std::int64_t b1 = Place(near_tea);
  const Principal admin = PrincipalOf(NewPerson("Sở NN&MT", {{Role::kProvinceAdmin, "19"}}));
  ASSERT_TRUE(
      quality()
          .complaints.Suspend(&admin, EnforcementTarget::kShop, near.id, "Nhãn sai nguồn gốc", std::nullopt)
          .ok());

  // A page of one: commune B's officer still gets B's order, not A's older ones.
  const Principal b_officer = PrincipalOf(near_officer);
  auto mine = quality().held_orders.ForOfficer(&b_officer, 0, 1);
  ASSERT_TRUE(mine.ok()) << mine.error().detail;
  ASSERT_EQ(mine->items.size(), 1u);
  EXPECT_EQ(mine->items[0].order.id, b1);
  EXPECT_FALSE(mine->has_more);

  // Commune A's officer pages through two, oldest first.
  auto first = quality().held_orders.ForOfficer(&officer, 0, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->items[0].order.id, a1);
  EXPECT_TRUE(first->has_more);
  auto second = quality().held_orders.ForOfficer(&officer, 1, 1);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].order.id, a2);
  EXPECT_FALSE(second->has_more);

  // The province sees all three; the page links to the next one.
  auto all = quality().held_orders.ForOfficer(&admin);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 3u);
  auto page = Client().Get("/can-bo/don-hang-tam-giu?trang=2", near_officer.auth);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Không có đơn hàng nào đang tạm giữ"), std::string::npos) << "B has one page only";
  EXPECT_NE(page.body.find("href=\"/can-bo/don-hang-tam-giu?trang=1\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Quality, HeldOrdersTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality
