#include "orders/lifecycle.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace nongsan::orders {
namespace {

using S = OrderStatus;
constexpr std::int64_t kNow = 1'000'000'000'000;
constexpr std::int64_t kWindow = 7 * 24 * 3600 * 1000LL;

// The moves the issue asks for, written out independently of lifecycle.cpp.
const std::set<std::tuple<S, S, Party>>& AllowedMoves() {
  static const std::set<std::tuple<S, S, Party>> moves = {
      {S::kPlaced, S::kConfirmed, Party::kShop},     {S::kConfirmed, S::kPacked, Party::kShop},
      {S::kPacked, S::kShipped, Party::kShop},       {S::kShipped, S::kDelivered, Party::kShop},
      {S::kDelivered, S::kCompleted, Party::kBuyer}, {S::kPlaced, S::kCancelled, Party::kBuyer},
      {S::kPlaced, S::kCancelled, Party::kShop},     {S::kConfirmed, S::kCancelled, Party::kShop},
      {S::kPacked, S::kCancelled, Party::kShop},     {S::kDelivered, S::kReturned, Party::kBuyer},
      {S::kDelivered, S::kReturned, Party::kShop},
  };
  return moves;
}

TransitionRequest Request(S from, S to, Party party) {
  TransitionRequest r{from, to, {party}, "a reason", "VN123", kNow, kNow - 1000, kWindow};
  return r;
}

TEST(OrdersLifecycleTest, EveryPairOfStatusesForEachPartyFollowsTheTable) {
  int allowed = 0;
  for (S from : AllStatuses()) {
    for (S to : AllStatuses()) {
      for (Party party : {Party::kBuyer, Party::kShop}) {
        SCOPED_TRACE(std::string(StatusName(from)) + " -> " + StatusName(to) + " by " + PartyName(party));
        auto result = CheckTransition(Request(from, to, party));
        if (AllowedMoves().count({from, to, party})) {
          ASSERT_TRUE(result.ok()) << result.error().detail;
          EXPECT_EQ(*result, party);
          ++allowed;
        } else {
          ASSERT_FALSE(result.ok());
          const Error& e = result.error();
          EXPECT_TRUE((e.code == ErrorCode::kConflict && e.type == "invalid_transition") ||
                      (e.code == ErrorCode::kForbidden && e.type == "forbidden_transition"))
              << e.type;
        }
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(AllowedMoves().size()));
}

TEST(OrdersLifecycleTest, ARoleThatNeverMakesAMoveIsForbiddenNotConflicting) {
  auto buyer_confirms = CheckTransition(Request(S::kPlaced, S::kConfirmed, Party::kBuyer));
  ASSERT_FALSE(buyer_confirms.ok());
  EXPECT_EQ(buyer_confirms.error().code, ErrorCode::kForbidden);
  auto buyer_ships = CheckTransition(Request(S::kPacked, S::kShipped, Party::kBuyer));
  ASSERT_FALSE(buyer_ships.ok());
  EXPECT_EQ(buyer_ships.error().code, ErrorCode::kForbidden);
  // The shop cancels, just not after shipping: that is the state's fault.
  auto shop_cancels_shipped = CheckTransition(Request(S::kShipped, S::kCancelled, Party::kShop));
  ASSERT_FALSE(shop_cancels_shipped.ok());
  EXPECT_EQ(shop_cancels_shipped.error().type, "invalid_transition");
  // Nobody moves an order back to placed.
  auto back = CheckTransition(Request(S::kConfirmed, S::kPlaced, Party::kShop));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().type, "invalid_transition");
}

TEST(OrdersLifecycleTest, BuyerMayCancelOnlyUntilTheShopConfirms) {
  EXPECT_TRUE(CheckTransition(Request(S::kPlaced, S::kCancelled, Party::kBuyer)).ok());
  auto late = CheckTransition(Request(S::kConfirmed, S::kCancelled, Party::kBuyer));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_EQ(late.error().type, "invalid_transition");
  EXPECT_NE(late.error().detail.find("confirmed"), std::string::npos);
}

TEST(OrdersLifecycleTest, CancellingAndReturningNeedAReasonShippingATrackingCode) {
  auto no_reason = Request(S::kPlaced, S::kCancelled, Party::kBuyer);
  no_reason.reason = "";
  auto r1 = CheckTransition(no_reason);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r1.error().fields.at(0).field, "reason");

  auto no_tracking = Request(S::kPacked, S::kShipped, Party::kShop);
  no_tracking.tracking_code = "";
  auto r2 = CheckTransition(no_tracking);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().fields.at(0).field, "tracking_code");

  auto bad_tracking = Request(S::kPacked, S::kShipped, Party::kShop);
  bad_tracking.tracking_code = "VN 123; DROP";
  EXPECT_FALSE(CheckTransition(bad_tracking).ok());
  bad_tracking.tracking_code = std::string(kMaxTrackingCodeBytes + 1, 'A');
  EXPECT_FALSE(CheckTransition(bad_tracking).ok());

  auto long_reason = Request(S::kPlaced, S::kCancelled, Party::kShop);
  long_reason.reason = std::string(kMaxReasonChars + 1, 'x');
  EXPECT_FALSE(CheckTransition(long_reason).ok());
}

TEST(OrdersLifecycleTest, ReturnsOnlyInsideTheWindowAndTheShopCompletesOnlyAfterIt) {
  auto ret = Request(S::kDelivered, S::kReturned, Party::kBuyer);
  ret.delivered_at_ms = kNow - kWindow + 1;
  EXPECT_TRUE(CheckTransition(ret).ok());
  ret.delivered_at_ms = kNow - kWindow;
  auto closed = CheckTransition(ret);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().type, "invalid_transition");

  auto shop_completes = Request(S::kDelivered, S::kCompleted, Party::kShop);
  shop_completes.delivered_at_ms = kNow - 1000;
  EXPECT_FALSE(CheckTransition(shop_completes).ok());
  shop_completes.delivered_at_ms = kNow - kWindow;
  EXPECT_TRUE(CheckTransition(shop_completes).ok());
  // The buyer may confirm receipt at any time.
  auto buyer_completes = Request(S::kDelivered, S::kCompleted, Party::kBuyer);
  EXPECT_TRUE(CheckTransition(buyer_completes).ok());
}

TEST(OrdersLifecycleTest, SomeoneBothBuyerAndShopActsAsWhicheverMayMove) {
  TransitionRequest r{S::kPlaced, S::kConfirmed, {Party::kBuyer, Party::kShop}, "", "", kNow, 0, kWindow};
  auto result = CheckTransition(r);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, Party::kShop);
  auto targets = AllowedTargets(S::kPlaced, {Party::kBuyer}, kNow, 0, kWindow);
  EXPECT_EQ(targets, std::vector<OrderStatus>{S::kCancelled});
  auto shop_targets = AllowedTargets(S::kPlaced, {Party::kShop}, kNow, 0, kWindow);
  EXPECT_EQ(shop_targets, (std::vector<OrderStatus>{S::kConfirmed, S::kCancelled}));
}

TEST(OrdersLifecycleTest, StockBookkeepingOfStatuses) {
  for (S s : AllStatuses()) {
    EXPECT_FALSE(HoldsStock(s) && CountsAsSold(s)) << StatusName(s);
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
  }
  EXPECT_TRUE(HoldsStock(S::kShipped));
  EXPECT_FALSE(HoldsStock(S::kCancelled));
  EXPECT_TRUE(CountsAsSold(S::kCompleted));
  EXPECT_TRUE(ReturnsStock(S::kCancelled));
  EXPECT_FALSE(ParseStatus("PLACED").has_value());
}

}  // namespace
}  // namespace nongsan::orders
