// OrderService's transitions: a party moving an order along its lifecycle
// (with its lots, stock and notices), and the payments module's calls inside
// its own transactions (paid, cancelled unpaid, orders by tracking code).
// Declarations in order_service.hpp.
#include <algorithm>

#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "orders/order_rows.hpp"
#include "orders/order_service.hpp"

namespace nongsan::orders {
namespace {

constexpr std::string_view kUpdateStatus =
    "UPDATE orders_orders SET status = ?, tracking_code = ?, delivered_at = ?, updated_at = ? "
    "WHERE id = ? AND status = ?";
constexpr std::string_view kSetPaid =
    "UPDATE orders_orders SET paid_at = ?, updated_at = ? WHERE id = ? AND paid_at IS NULL";

bool HasControlCharacters(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}
}  // namespace

Result<nlohmann::json> OrderService::Transition(const Principal& principal, std::int64_t order_id,
                                                const TransitionInput& input) {
  auto to = ParseStatus(input.to);
  if (!to)
    return Error::Field("to",
                        "Must be one of placed, confirmed, packed, shipped, delivered, completed, "
                        "cancelled, returned.");
  // Who the caller is on this order is settled before the transaction:
  // asking the sellers module opens a transaction of its own.
  TRY_ASSIGN(auto visible, db_.Read([&](db::Connection& c) { return LoadOrder(c, order_id, false); }));
  if (!visible) return Error::NotFound("order");
  TRY_ASSIGN(std::vector<Party> parties, PartiesOf(principal, *visible));
  if (parties.empty()) return Error::NotFound("order");
  const std::string reason = text::ToNfc(text::Trim(input.reason));
  const std::string tracking = text::Trim(input.tracking_code);
  if (HasControlCharacters(reason)) return Error::Field("reason", "Must not contain control characters.");

  TRY(db_.Write([&](db::Connection& c) -> Status {
    const std::int64_t now = clock_.NowMs();
    TRY_ASSIGN(auto current, LoadOrder(c, order_id, false));
    if (!current) return Error::NotFound("order");
    const Order& o = *current;
    const std::vector<Party> acting = PartiesWhileHeld(o, parties);
    auto party = CheckTransition({o.status, *to, acting, reason, tracking, now, o.delivered_at.value_or(0),
                                  options_.return_window_ms});
    if (!party.ok() && acting.size() != parties.size()) {
      return Error::Conflict("order_held", "The order is held for an official's decision: " + o.held_reason);
    }
    if (!party.ok()) return std::move(party).error();
    return ApplyTransition(c, o, *to, *party, principal.user_id, reason, tracking, input.lots, now);
  }));
  TRY_ASSIGN(auto after, db_.Read([&](db::Connection& c) { return LoadOrder(c, order_id, true); }));
  if (!after) return Error::NotFound("order");
  nlohmann::json view = View(*after, parties);
  TRY(AddLots(view, order_id));
  return view;
}

Status OrderService::ApplyTransition(db::Connection& c, const Order& o, OrderStatus to, Party party,
                                     std::int64_t actor_user_id, const std::string& reason,
                                     const std::string& tracking, const std::vector<LotChoice>& lots,
                                     std::int64_t now) {
  TRY(FollowLots(c, o, to, lots, now));
  const std::string tracking_after = to == OrderStatus::kShipped ? tracking : o.tracking_code;
  const db::Value delivered_at = to == OrderStatus::kDelivered ? db::Value{now}
                                 : o.delivered_at              ? db::Value{*o.delivered_at}
                                                               : db::Value{};
  TRY_ASSIGN(std::int64_t changed,
             c.Exec(kUpdateStatus, {std::string(StatusName(to)),
                                    tracking_after.empty() ? db::Value{} : db::Value{tracking_after},
                                    delivered_at, now, o.id, std::string(StatusName(o.status))}));
  if (changed == 0) {
    return Error::Conflict("invalid_transition", "The order changed meanwhile; reload it and try again.");
  }
  TRY(c.Exec(
      std::string("INSERT INTO orders_transitions ") + kTransitionColumns + " VALUES " + db::ValuesList(1, 8),
      {o.id, std::string(StatusName(o.status)), std::string(StatusName(to)), actor_user_id,
       std::string(PartyName(party)), reason, tracking.empty() ? db::Value{} : db::Value{tracking}, now}));
  std::vector<OrderLine> lines = o.lines;
  std::sort(lines.begin(), lines.end(),
            [](const OrderLine& a, const OrderLine& b) { return a.product_id < b.product_id; });
  for (const OrderLine& l : lines) {
    if (ReturnsStock(to) && HoldsStock(o.status)) {
      TRY(inventory_.Release(c, l.product_id, l.quantity, StockReference(o.id)));
    } else if (to == OrderStatus::kDelivered) {
      TRY(inventory_.ConfirmSale(c, l.product_id, l.quantity, StockReference(o.id)));
    }
  }
  if (payments_ != nullptr && (to == OrderStatus::kCancelled || to == OrderStatus::kReturned)) {
    TRY(payments_->OrderClosed(c, o.id, now));
  }
  return notifications_.QueueWith(c, {{o.id, o.code, o.buyer_id, o.seller_id, o.seller_name, to, o.total_vnd,
                                       reason, tracking_after, now, o.from_commune_code, ""}});
}
Status OrderService::FollowLots(db::Connection& c, const Order& o, OrderStatus to,
                                const std::vector<LotChoice>& choices, std::int64_t now) {
  if (!choices.empty() && to != OrderStatus::kPacked) return Error::Field("lots", "Only given when packing.");
  if (lots_ == nullptr) return Ok{};
  if (to == OrderStatus::kPacked) {
    PackedOrder packed{o.id, o.code, o.seller_id, o.buyer_id, {}, now};
    for (const OrderLine& l : o.lines) packed.lines.push_back({l.line_no, l.product_id, l.quantity});
    return lots_->Pack(c, packed, choices);
  }
  if (to == OrderStatus::kShipped) {
    TRY_ASSIGN(auto blocker, lots_->ShipBlocker(c, o.id));
    if (blocker) return Error::Conflict("lot_recalled", *blocker);
    return lots_->Moved(c, o.id, LotMove::kShipped, now);
  }
  if (to == OrderStatus::kDelivered) return lots_->Moved(c, o.id, LotMove::kDelivered, now);
  if (to == OrderStatus::kCancelled && o.status == OrderStatus::kPacked) return lots_->Unpacked(c, o.id, now);
  return Ok{};
}

Status OrderService::MarkPaidWith(db::Connection& c, std::int64_t order_id, std::int64_t at) {
  TRY(c.Exec(kSetPaid, {at, at, order_id}));
  return Ok{};
}

Result<std::map<std::string, std::int64_t>> OrderService::OrdersByTrackingWith(
    db::Connection& c, const std::vector<std::string>& codes) {
  // Asked in slices so that no statement carries more parameters than a
  // backend takes.
  constexpr std::size_t kSlice = 500;
  std::map<std::string, std::int64_t> out;
  for (std::size_t from = 0; from < codes.size(); from += kSlice) {
    const std::size_t n = std::min(kSlice, codes.size() - from);
    db::Params params(codes.begin() + static_cast<std::ptrdiff_t>(from),
                      codes.begin() + static_cast<std::ptrdiff_t>(from + n));
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT tracking_code, id FROM orders_orders WHERE tracking_code IN " +
                                          db::InList(n) + " ORDER BY id",
                                      params));
    // A code reused by a carrier names its latest order.
    for (const db::Row& r : rows) out[r.Text(0)] = r.Int(1);
  }
  return out;
}

Result<bool> OrderService::CancelUnpaidWith(db::Connection& c, std::int64_t order_id,
                                            const std::string& reason, std::int64_t now) {
  TRY_ASSIGN(auto current, LoadOrder(c, order_id, false));
  if (!current) return Error::NotFound("order");
  const Order& o = *current;
  // Only an order that has not left the shop is cancelled for want of
  // payment; a shop that packed or shipped regardless keeps its order.
  if (o.status != OrderStatus::kPlaced && o.status != OrderStatus::kConfirmed) return false;
  if (o.paid_at) return false;
  TRY_ASSIGN(std::int64_t changed,
             c.Exec(kUpdateStatus, {std::string(StatusName(OrderStatus::kCancelled)),
                                    o.tracking_code.empty() ? db::Value{} : db::Value{o.tracking_code},
                                    db::Value{}, now, order_id, std::string(StatusName(o.status))}));
  if (changed == 0) return false;
  TRY(c.Exec(
      std::string("INSERT INTO orders_transitions ") + kTransitionColumns + " VALUES " + db::ValuesList(1, 8),
      {order_id, std::string(StatusName(o.status)), std::string(StatusName(OrderStatus::kCancelled)),
       std::int64_t{0}, std::string(PartyName(Party::kPlatform)), reason, db::Value{}, now}));
  std::vector<OrderLine> lines = o.lines;
  std::sort(lines.begin(), lines.end(),
            [](const OrderLine& a, const OrderLine& b) { return a.product_id < b.product_id; });
  for (const OrderLine& l : lines)
    TRY(inventory_.Release(c, l.product_id, l.quantity, StockReference(order_id)));
  TRY(notifications_.QueueWith(
      c, {{o.id, o.code, o.buyer_id, o.seller_id, o.seller_name, OrderStatus::kCancelled, o.total_vnd, reason,
           o.tracking_code, now, o.from_commune_code, ""}}));
  return true;
}

}  // namespace nongsan::orders
