// Notifications and their outbox on both backends, on the orders module's
// own tables: what an event queues, who sees it, and how channel adapters
// drain the outbox (retries, giving up, channels without an adapter).
#include "orders/notifications.hpp"

#include <gtest/gtest.h>

#include "db/migrations.hpp"
#include "orders/migrations.hpp"
#include "support/test_db.hpp"

namespace nongsan::orders {
namespace {

constexpr std::int64_t kBuyer = 7;
constexpr std::int64_t kShop = 3;
constexpr std::int64_t kNow = 1'795'921'200'000;

// Fails the first `failures` sends, then succeeds; remembers what it sent.
class FakeSms final : public ChannelAdapter {
 public:
  explicit FakeSms(int failures) : failures_(failures) {}
  Channel channel() const override { return Channel::kSms; }
  Status Send(const OutboxMessage& m) override {
    if (failures_ > 0) {
      --failures_;
      return Error::Unavailable("gateway down");
    }
    sent.push_back(m);
    return Ok{};
  }
  std::vector<OutboxMessage> sent;

 private:
  int failures_;
};

class OrdersNotificationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = nongsan::testing::OpenFreshTestDatabase(GetParam());
    ASSERT_TRUE(db::Migrate(*db_, {Migrations()}).ok());
    // The outbox points at an order; one minimal order row is enough here.
    auto made = db_->Write([](db::Connection& c) -> Result<std::int64_t> {
      TRY(c.Exec(
          "INSERT INTO orders_checkouts (id, buyer_id, idempotency_key, request_hash, response, created_at) "
          "VALUES ('c1', ?, 'k', 'h', '{}', ?)",
          {kBuyer, kNow}));
      return c.QueryInt(
          "INSERT INTO orders_orders (code, checkout_id, buyer_id, seller_id, seller_name, status, "
          "payment_method, "
          "subtotal_vnd, shipping_fee_vnd, total_vnd, weight_grams, shipping_route, carrier, "
          "from_commune_code, "
          "ship_full_name, ship_phone, ship_address_line, ship_commune_code, created_at, updated_at) VALUES "
          "('ABCD2345', 'c1', ?, ?, 'Chè Hảo Đạt', 'placed', 'cod', 100000, 15000, 115000, 500, "
          "'same_commune', "
          "'rate_table', '01840', 'Hoa', '0912345678', 'Số 5', '01840', ?, ?) RETURNING id",
          {kBuyer, kShop, kNow, kNow});
    });
    ASSERT_TRUE(made.ok()) << made.error().detail;
    order_id_ = *made;
  }

  OrderEvent Event(OrderStatus status, std::string reason = "") const {
    return {order_id_,         "ABCD2345", kBuyer, kShop, "Chè Hảo Đạt", status, 115'000,
            std::move(reason), "",         kNow,   ""};
  }

  Status Queue(const std::vector<OrderEvent>& events) {
    Notifications n(*db_);
    return db_->Write([&](db::Connection& c) { return n.QueueWith(c, events); });
  }

  std::unique_ptr<db::Database> db_;
  std::int64_t order_id_ = 0;
};

TEST_P(OrdersNotificationsTest, EachEventTellsTheBuyerAndTheShop) {
  ASSERT_TRUE(Queue({Event(OrderStatus::kPlaced), Event(OrderStatus::kCancelled, "Hết hàng")}).ok());
  Notifications n(*db_);
  auto buyer = n.List(kBuyer, {}, 0, 10);
  ASSERT_TRUE(buyer.ok());
  ASSERT_EQ(buyer->items.size(), 2u);
  EXPECT_EQ(buyer->items[0].event, "cancelled");
  EXPECT_EQ(buyer->items[0].audience, "buyer");
  EXPECT_NE(buyer->items[0].message.find("Hết hàng"), std::string::npos);
  EXPECT_NE(buyer->items[1].message.find("115.000"), std::string::npos);
  EXPECT_EQ(buyer->unread, 2);
  // The shop's side is seen by whoever runs the shop, not by other users.
  auto shop = n.List(99, {kShop}, 0, 10);
  ASSERT_TRUE(shop.ok());
  ASSERT_EQ(shop->items.size(), 2u);
  EXPECT_EQ(shop->items[1].audience, "shop");
  EXPECT_NE(shop->items[1].message.find("Đơn hàng mới"), std::string::npos);
  EXPECT_TRUE(n.List(99, {}, 0, 10)->items.empty());

  auto marked = n.MarkRead(kBuyer, {}, buyer->items[1].id, kNow);
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(n.List(kBuyer, {}, 0, 10)->unread, 1);
  EXPECT_EQ(n.List(99, {kShop}, 0, 10)->unread, 2);
}

TEST_P(OrdersNotificationsTest, TheOutboxIsDrainedOnceWithRetriesAndGivesUp) {
  ASSERT_TRUE(Queue({Event(OrderStatus::kConfirmed)}).ok());
  Notifications n(*db_);
  // No adapter for SMS yet: the messages wait.
  EXPECT_EQ(*n.DeliverPending({}, 10, kNow), 0);

  FakeSms flaky(1);
  auto first = n.DeliverPending({&flaky}, 10, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1);  // the first send failed and stays pending
  EXPECT_EQ(*n.DeliverPending({&flaky}, 10, kNow), 1);
  EXPECT_EQ(*n.DeliverPending({&flaky}, 10, kNow), 0);  // nothing is sent twice
  ASSERT_EQ(flaky.sent.size(), 2u);
  // The buyer's message failed once and went out on the second round.
  EXPECT_EQ(flaky.sent[0].recipient_kind, "shop");
  EXPECT_EQ(flaky.sent[0].recipient_id, kShop);
  EXPECT_EQ(flaky.sent[0].attempts, 0);
  EXPECT_EQ(flaky.sent[1].recipient_kind, "buyer");
  EXPECT_EQ(flaky.sent[1].recipient_id, kBuyer);
  EXPECT_EQ(flaky.sent[1].attempts, 1);

  ASSERT_TRUE(Queue({Event(OrderStatus::kPacked)}).ok());
  FakeSms down(1000);
  for (int i = 0; i < kMaxDeliveryAttempts + 2; ++i) ASSERT_TRUE(n.DeliverPending({&down}, 10, kNow).ok());
  auto failed = db_->Read([](db::Connection& c) {
    return c.QueryInt("SELECT COUNT(*) FROM orders_outbox WHERE state = 'failed' AND attempts = ?",
                      {std::int64_t{kMaxDeliveryAttempts}});
  });
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(*failed, 2);
}

INSTANTIATE_TEST_SUITE_P(Orders, OrdersNotificationsTest,
                         ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders
