// The order lifecycle as a pure state machine: which status may follow which,
// who (the buyer or the shop) may make each move, and what each move needs (a
// reason, a tracking code, the return window still open). OrderService asks
// CheckTransition before every status change, so the rules live here once and
// are tested without a database. Pure functions; thread-safe.
//
//   placed ─shop→ confirmed ─shop→ packed ─shop→ shipped ─shop→ delivered ─buyer→ completed
//     │                │              │                            │  (or the shop once the
//     ├─buyer/shop─────┴─shop─────────┴─→ cancelled (reason)       │   return window closed)
//     │                                                            └─buyer/shop, within the
//     │                                                              return window → returned (reason)
// cancelled, completed and returned are final. Cancelling and returning put
// the stock back (OrderService does that in the same transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::orders {

enum class OrderStatus {
  kPlaced,
  kConfirmed,
  kPacked,
  kShipped,
  kDelivered,
  kCompleted,
  kCancelled,
  kReturned
};

// Who acts on an order. An order's buyer and the managers of its shop are the
// only parties; a person who is both (buying from their own shop) acts as
// whichever party the move allows. An official is no party to the lifecycle:
// they only release or cancel an order held after a suspension (order_holds.cpp),
// and the history records them as such. The platform itself is recorded as the
// party of the moves no person makes (an unpaid online order cancelled when
// its payment time runs out); neither passes CheckTransition.
enum class Party { kBuyer, kShop, kOfficial, kPlatform };

// Longest reason or tracking code kept with a transition.
inline constexpr std::size_t kMaxReasonChars = 500;
inline constexpr std::size_t kMaxTrackingCodeBytes = 64;

const char* StatusName(OrderStatus s);
std::optional<OrderStatus> ParseStatus(std::string_view s);
const std::vector<OrderStatus>& AllStatuses();
const char* PartyName(Party p);
Party ParseParty(std::string_view s);

// Statuses that hold stock for an order (taken from available, not yet sold).
bool HoldsStock(OrderStatus s);
// Statuses whose stock counts as sold.
bool CountsAsSold(OrderStatus s);
// No transition leaves these.
bool IsFinal(OrderStatus s);
// Moves into `to` give the stock back.
bool ReturnsStock(OrderStatus to);

struct TransitionRequest {
  OrderStatus from;
  OrderStatus to;
  std::vector<Party> parties;  // the caller's parties on this order
  std::string reason;          // trimmed; may be empty
  std::string tracking_code;   // trimmed; may be empty
  std::int64_t now_ms = 0;
  std::int64_t delivered_at_ms = 0;  // 0 if never delivered
  std::int64_t return_window_ms = 0;
};

// The party the move is made as, or the error to answer:
//   409 invalid_transition — the machine has no such move from `from`, the
//       caller's party may make this move but not from this status, or the
//       return window is closed (or not yet closed, for a shop completing);
//   403 forbidden_transition — the caller's party never makes this move;
//   400 validation — a required reason or tracking code is missing/too long.
Result<Party> CheckTransition(const TransitionRequest& request);

// The statuses `parties` could move an order to now (for clients' buttons).
std::vector<OrderStatus> AllowedTargets(OrderStatus from, const std::vector<Party>& parties,
                                        std::int64_t now_ms, std::int64_t delivered_at_ms,
                                        std::int64_t return_window_ms);

}  // namespace nongsan::orders
