#include "orders/lifecycle.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace nongsan::orders {
namespace {

// Whether a move depends on the return window (counted from delivery).
enum class Window { kAny, kOpen, kClosed };

struct Rule {
  OrderStatus from;
  OrderStatus to;
  Party party;
  bool needs_reason;
  bool needs_tracking;
  Window window;
};

using S = OrderStatus;
using P = Party;

constexpr std::array kRules = {
    Rule{S::kPlaced, S::kConfirmed, P::kShop, false, false, Window::kAny},
    Rule{S::kConfirmed, S::kPacked, P::kShop, false, false, Window::kAny},
    Rule{S::kPacked, S::kShipped, P::kShop, false, true, Window::kAny},
    Rule{S::kShipped, S::kDelivered, P::kShop, false, false, Window::kAny},
    Rule{S::kDelivered, S::kCompleted, P::kBuyer, false, false, Window::kAny},
    // The shop may close the order itself only once the buyer can no longer return it.
    Rule{S::kDelivered, S::kCompleted, P::kShop, false, false, Window::kClosed},
    Rule{S::kPlaced, S::kCancelled, P::kBuyer, true, false, Window::kAny},
    Rule{S::kPlaced, S::kCancelled, P::kShop, true, false, Window::kAny},
    Rule{S::kConfirmed, S::kCancelled, P::kShop, true, false, Window::kAny},
    Rule{S::kPacked, S::kCancelled, P::kShop, true, false, Window::kAny},
    Rule{S::kDelivered, S::kReturned, P::kBuyer, true, false, Window::kOpen},
    Rule{S::kDelivered, S::kReturned, P::kShop, true, false, Window::kOpen},
};

constexpr std::array<const char*, 8> kStatusNames = {"placed",    "confirmed", "packed",    "shipped",
                                                     "delivered", "completed", "cancelled", "returned"};

bool HasParty(const std::vector<Party>& parties, Party p) {
  return std::find(parties.begin(), parties.end(), p) != parties.end();
}

bool WindowAllows(Window w, std::int64_t now_ms, std::int64_t delivered_at_ms, std::int64_t window_ms) {
  const bool open = now_ms < delivered_at_ms + window_ms;
  switch (w) {
    case Window::kAny:
      return true;
    case Window::kOpen:
      return open;
    case Window::kClosed:
      return !open;
  }
  return false;
}

Error InvalidTransition(OrderStatus from, OrderStatus to, std::string why) {
  Error e = Error::Conflict("invalid_transition", std::move(why));
  e.extra = {{"from", StatusName(from)}, {"to", StatusName(to)}};
  return e;
}

bool IsTrackingChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
         c == '.';
}

}  // namespace

const char* StatusName(OrderStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }

std::optional<OrderStatus> ParseStatus(std::string_view s) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (s == kStatusNames[i]) return static_cast<OrderStatus>(i);
  }
  return std::nullopt;
}

const std::vector<OrderStatus>& AllStatuses() {
  static const std::vector<OrderStatus> all = {S::kPlaced,    S::kConfirmed, S::kPacked,    S::kShipped,
                                               S::kDelivered, S::kCompleted, S::kCancelled, S::kReturned};
  return all;
}

const char* PartyName(Party p) {
  switch (p) {
    case Party::kBuyer:
      return "buyer";
    case Party::kShop:
      return "shop";
    case Party::kOfficial:
      return "official";
    case Party::kPlatform:
      return "platform";
  }
  return "buyer";
}

Party ParseParty(std::string_view s) {
  if (s == "shop") return Party::kShop;
  if (s == "official") return Party::kOfficial;
  if (s == "platform") return Party::kPlatform;
  return Party::kBuyer;
}

bool HoldsStock(OrderStatus s) {
  return s == S::kPlaced || s == S::kConfirmed || s == S::kPacked || s == S::kShipped;
}

bool CountsAsSold(OrderStatus s) { return s == S::kDelivered || s == S::kCompleted; }

bool IsFinal(OrderStatus s) { return s == S::kCompleted || s == S::kCancelled || s == S::kReturned; }

bool ReturnsStock(OrderStatus to) { return to == S::kCancelled || to == S::kReturned; }

Result<Party> CheckTransition(const TransitionRequest& r) {
  const Rule* chosen = nullptr;
  bool blocked_by_window = false;
  for (const Rule& rule : kRules) {
    if (rule.from != r.from || rule.to != r.to || !HasParty(r.parties, rule.party)) continue;
    if (!WindowAllows(rule.window, r.now_ms, r.delivered_at_ms, r.return_window_ms)) {
      blocked_by_window = true;
      continue;
    }
    chosen = &rule;
    break;
  }
  if (chosen == nullptr) {
    if (blocked_by_window) {
      return InvalidTransition(
          r.from, r.to,
          r.to == S::kReturned
              ? "The return window for this order has closed."
              : "The shop can complete a delivered order only after the return window closes.");
    }
    bool caller_ever_makes_it = false;
    bool anyone_makes_it = false;
    for (const Rule& rule : kRules) {
      if (rule.to != r.to) continue;
      anyone_makes_it = true;
      caller_ever_makes_it = caller_ever_makes_it || HasParty(r.parties, rule.party);
    }
    if (anyone_makes_it && !caller_ever_makes_it) {
      Error e;
      e.code = ErrorCode::kForbidden;
      e.type = "forbidden_transition";
      e.detail = std::string("Your role on this order may not move it to ") + StatusName(r.to) + ".";
      e.extra = {{"from", StatusName(r.from)}, {"to", StatusName(r.to)}};
      return e;
    }
    if (r.to == S::kCancelled && HasParty(r.parties, Party::kBuyer) && !HasParty(r.parties, Party::kShop) &&
        r.from != S::kPlaced && !IsFinal(r.from)) {
      return InvalidTransition(r.from, r.to,
                               "The shop has already confirmed this order; only the shop can cancel it now.");
    }
    return InvalidTransition(
        r.from, r.to,
        std::string("An order that is ") + StatusName(r.from) + " cannot become " + StatusName(r.to) + ".");
  }
  std::vector<FieldError> errors;
  if (chosen->needs_reason && r.reason.empty()) errors.push_back({"reason", "A reason is required."});
  if (!r.reason.empty() && text::CodePointCount(r.reason) > kMaxReasonChars) {
    errors.push_back({"reason", "At most " + std::to_string(kMaxReasonChars) + " characters."});
  }
  if (chosen->needs_tracking && r.tracking_code.empty()) {
    errors.push_back({"tracking_code", "A tracking code is required to ship."});
  }
  if (!r.tracking_code.empty() &&
      (r.tracking_code.size() > kMaxTrackingCodeBytes ||
       !std::all_of(r.tracking_code.begin(), r.tracking_code.end(), IsTrackingChar))) {
    errors.push_back({"tracking_code", "Letters, digits, '-', '_' or '.', at most " +
                                           std::to_string(kMaxTrackingCodeBytes) + " characters."});
  }
  if (!errors.empty()) {
    std::string detail = errors.front().field + ": " + errors.front().message;
    return Error::Invalid(std::move(detail), std::move(errors));
  }
  return chosen->party;
}

std::vector<OrderStatus> AllowedTargets(OrderStatus from, const std::vector<Party>& parties,
                                        std::int64_t now_ms, std::int64_t delivered_at_ms,
                                        std::int64_t return_window_ms) {
  std::vector<OrderStatus> out;
  for (const Rule& rule : kRules) {
    if (rule.from != from || !HasParty(parties, rule.party)) continue;
    if (!WindowAllows(rule.window, now_ms, delivered_at_ms, return_window_ms)) continue;
    if (std::find(out.begin(), out.end(), rule.to) == out.end()) out.push_back(rule.to);
  }
  return out;
}

}  // namespace nongsan::orders
