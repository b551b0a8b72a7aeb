// Orders held after a suspension: when quality suspends a shop or a product,
// the shop's open orders of it wait for an official, who releases them (the
// shop goes on) or cancels them (stock back). Each buyer hears of the hold
// and of the decision. The declarations and rules are in order_service.hpp;
// the officer's area is checked by the caller (quality's enforcement).
#include <algorithm>
#include <string>

#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "orders/order_service.hpp"

namespace nongsan::orders {
namespace {

// Orders a suspension can still stop: not yet handed to a carrier.
constexpr std::string_view kOpenStatuses = "('placed', 'confirmed', 'packed')";
constexpr std::string_view kHeldColumns =
    "id, code, seller_id, seller_name, buyer_id, status, total_vnd, held_reason, held_at";
constexpr std::string_view kHold =
    "UPDATE orders_orders SET held_at = ?, held_reason = ?, updated_at = ? WHERE id = ? AND held_at IS NULL";
constexpr std::string_view kUnhold =
    "UPDATE orders_orders SET held_at = NULL, held_reason = NULL, updated_at = ? WHERE id = ? AND held_at IS "
    "NOT NULL";

HeldOrder HeldFromRow(const db::Row& r) {
  return HeldOrder{r.Int(0),  r.Text(1), r.Int(2),
                   r.Text(3), r.Int(4),  ParseStatus(r.Text(5)).value_or(OrderStatus::kPlaced),
                   r.Int(6),  r.Text(7), r.Int(8)};
}

HeldOrder HeldFromOrder(const Order& o, std::int64_t held_at) {
  return HeldOrder{o.id,     o.code,      o.seller_id,   o.seller_name, o.buyer_id,
                   o.status, o.total_vnd, o.held_reason, held_at};
}

}  // namespace

Result<std::int64_t> OrderService::HoldOpenOrders(std::int64_t seller_id,
                                                  std::optional<std::int64_t> product_id,
                                                  const std::string& reason) {
  std::string sql =
      "SELECT id, code, buyer_id FROM orders_orders WHERE seller_id = ? AND held_at IS NULL AND status IN " +
      std::string(kOpenStatuses);
  db::Params params{seller_id};
  if (product_id) {
    sql += " AND id IN (SELECT order_id FROM orders_lines WHERE product_id = ?)";
    params.push_back(*product_id);
  }
  sql += " ORDER BY id";
  const std::string why = product_id ? "một sản phẩm trong đơn bị tạm dừng bán" : "gian hàng bị tạm dừng";
  return db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    const std::int64_t now = clock_.NowMs();
    TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
    std::vector<OrderNotice> notices;
    for (const db::Row& r : rows) {
      TRY_ASSIGN(std::int64_t held, c.Exec(kHold, {now, reason, now, r.Int(0)}));
      if (held == 0) continue;
      notices.push_back({r.Int(0), r.Int(2), "order_held",
                         "Đơn hàng " + r.Text(1) + " đang được tạm giữ vì " + why + " (lý do: " + reason +
                             "). Cán bộ sẽ quyết định cho giao tiếp hay huỷ đơn; bạn vẫn có thể tự huỷ đơn.",
                         now});
    }
    TRY(notifications_.QueueNotices(c, notices));
    return static_cast<std::int64_t>(notices.size());
  });
}

Result<std::vector<std::int64_t>> OrderService::HeldSellers() {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    TRY_ASSIGN(db::Rows rows,
               c.Query("SELECT DISTINCT seller_id FROM orders_orders WHERE held_at IS NOT NULL AND "
                       "status IN " +
                           std::string(kOpenStatuses) + " ORDER BY seller_id LIMIT ?",
                       {static_cast<std::int64_t>(kMaxHeldSellersListed)}));
    std::vector<std::int64_t> out;
    for (const db::Row& r : rows) out.push_back(r.Int(0));
    return out;
  });
}

Result<std::vector<HeldOrder>> OrderService::HeldOrders(const std::vector<std::int64_t>& seller_ids,
                                                        std::size_t offset, std::size_t limit) {
  if (seller_ids.empty()) return std::vector<HeldOrder>{};
  limit = std::clamp<std::size_t>(limit, 1, kMaxHeldOrdersListed);
  db::Params params(seller_ids.begin(), seller_ids.end());
  params.push_back(static_cast<std::int64_t>(limit));
  params.push_back(static_cast<std::int64_t>(offset));
  const std::string sql = "SELECT " + std::string(kHeldColumns) + " FROM orders_orders WHERE seller_id IN " +
                          db::InList(seller_ids.size()) + " AND held_at IS NOT NULL AND status IN " +
                          std::string(kOpenStatuses) + " ORDER BY held_at, id LIMIT ? OFFSET ?";
  return db_.Read([&](db::Connection& c) -> Result<std::vector<HeldOrder>> {
    TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
    std::vector<HeldOrder> out;
    for (const db::Row& r : rows) out.push_back(HeldFromRow(r));
    return out;
  });
}

Result<std::optional<HeldOrder>> OrderService::FindHeld(std::int64_t order_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<HeldOrder>> {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT " + std::string(kHeldColumns) +
                              " FROM orders_orders WHERE id = ? AND held_at IS NOT NULL AND status IN " +
                              std::string(kOpenStatuses),
                          {order_id}));
    if (!row) return std::optional<HeldOrder>{};
    return std::optional<HeldOrder>{HeldFromRow(*row)};
  });
}

Result<HeldOrder> OrderService::ResolveHold(std::int64_t order_id, HoldDecision decision,
                                            const std::string& note, std::int64_t official_user_id) {
  // The caller has cleaned the note (quality's CleanText); the history column keeps at most this.
  const std::string clean = text::ToNfc(text::Trim(note));
  if (text::CodePointCount(clean) > kMaxReasonChars) return Error::Field("reason", "At most 500 characters.");
  return db_.Write([&](db::Connection& c) -> Result<HeldOrder> {
    const std::int64_t now = clock_.NowMs();
    TRY_ASSIGN(auto order, Load(c, order_id));
    if (!order) return Error::NotFound("order");
    const auto held_at = order->held_at;
    if (!held_at || IsFinal(order->status) || order->status == OrderStatus::kShipped ||
        order->status == OrderStatus::kDelivered) {
      return Error::Conflict("not_held", "This order is not held for a decision.");
    }
    TRY_ASSIGN(std::int64_t changed, c.Exec(kUnhold, {now, order_id}));
    if (changed == 0) return Error::Conflict("not_held", "This order is not held for a decision.");
    Order o = std::move(*order);
    if (decision == HoldDecision::kCancel) {
      // The history and the status notifications carry the official's note.
      TRY(ApplyTransition(c, o, OrderStatus::kCancelled, Party::kOfficial, official_user_id, clean, "", {},
                          now));
      o.status = OrderStatus::kCancelled;
    } else {
      TRY(notifications_.QueueNotices(
          c,
          {{o.id, o.buyer_id, "order_released",
            "Đơn hàng " + o.code + " đã được cán bộ cho tiếp tục; cửa hàng sẽ giao như bình thường.", now}}));
    }
    return HeldFromOrder(o, *held_at);
  });
}

}  // namespace nongsan::orders
