#include "orders/order_rows.hpp"

#include <map>

#include "db/sql_lists.hpp"

namespace nongsan::orders {
namespace {

constexpr std::string_view kSelectLinesOf =
    "SELECT order_id, line_no, product_id, sku, name, unit, unit_price_vnd, quantity, line_total_vnd, "
    "weight_grams "
    "FROM orders_lines WHERE order_id IN ";
constexpr std::string_view kSelectHistory =
    "SELECT from_status, to_status, actor_user_id, actor_party, reason, tracking_code, created_at "
    "FROM orders_transitions WHERE order_id = ? ORDER BY id";

}  // namespace

std::string StockReference(std::int64_t order_id) { return "order:" + std::to_string(order_id); }

Order OrderFromRow(const db::Row& r) {
  Order o;
  o.id = r.Int(0);
  o.code = r.Text(1);
  o.checkout_id = r.Text(2);
  o.buyer_id = r.Int(3);
  o.seller_id = r.Int(4);
  o.seller_name = r.Text(5);
  o.status = ParseStatus(r.Text(6)).value_or(OrderStatus::kPlaced);
  o.payment_method = r.Text(7);
  o.subtotal_vnd = r.Int(8);
  o.shipping_fee_vnd = r.Int(9);
  o.total_vnd = r.Int(10);
  o.weight_grams = r.Int(11);
  o.route = ParseRoute(r.Text(12)).value_or(Route::kOtherProvince);
  o.carrier = r.Text(13);
  o.from_commune_code = r.Text(14);
  o.address = {r.Text(15), r.Text(16), r.Text(17), r.Text(18)};
  o.note = r.Text(19);
  o.tracking_code = r.Text(20);
  o.created_at = r.Int(21);
  o.updated_at = r.Int(22);
  o.delivered_at = r.OptInt(23);
  o.held_at = r.OptInt(24);
  if (o.held_at) o.held_reason = r.Text(25);
  o.paid_at = r.OptInt(26);
  return o;
}

Status LoadLines(db::Connection& c, std::vector<Order>& orders) {
  if (orders.empty()) return Ok{};
  db::Params ids;
  std::map<std::int64_t, Order*> by_id;
  for (Order& o : orders) {
    ids.push_back(o.id);
    by_id[o.id] = &o;
  }
  TRY_ASSIGN(
      db::Rows rows,
      c.Query(std::string(kSelectLinesOf) + db::InList(ids.size()) + " ORDER BY order_id, line_no", ids));
  for (const db::Row& r : rows) {
    auto it = by_id.find(r.Int(0));
    if (it == by_id.end()) continue;
    it->second->lines.push_back(OrderLine{static_cast<int>(r.Int(1)), r.Int(2), r.Text(3), r.Text(4),
                                          r.Text(5), r.Int(6), r.Int(7), r.Int(8), r.Int(9)});
  }
  return Ok{};
}

Result<std::optional<Order>> LoadOrder(db::Connection& c, std::int64_t order_id, bool with_history) {
  TRY_ASSIGN(auto row, c.QueryOne("SELECT " + std::string(kOrderColumns) + " FROM orders_orders WHERE id = ?",
                                  {order_id}));
  if (!row) return std::optional<Order>();
  std::vector<Order> one{OrderFromRow(*row)};
  TRY(LoadLines(c, one));
  if (with_history) {
    TRY_ASSIGN(db::Rows rows, c.Query(kSelectHistory, {order_id}));
    for (const db::Row& r : rows) {
      TransitionRecord t;
      if (!r.IsNull(0)) t.from = ParseStatus(r.Text(0));
      t.to = ParseStatus(r.Text(1)).value_or(OrderStatus::kPlaced);
      t.actor_user_id = r.Int(2);
      t.party = ParseParty(r.Text(3));
      t.reason = r.Text(4);
      t.tracking_code = r.Text(5);
      t.at = r.Int(6);
      one[0].history.push_back(std::move(t));
    }
  }
  return std::optional<Order>(std::move(one[0]));
}

std::vector<Party> PartiesWhileHeld(const Order& order, std::vector<Party> parties) {
  if (order.held_at) std::erase(parties, Party::kShop);
  return parties;
}

}  // namespace nongsan::orders
