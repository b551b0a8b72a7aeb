#include "orders/placed_orders.hpp"

namespace nongsan::orders {

Result<std::vector<PlacedOrder>> PlacedOrdersAfter(db::Connection& c, std::int64_t after_id, int limit) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT id, seller_id, from_commune_code, total_vnd, created_at FROM orders_orders "
                     "WHERE id > ? ORDER BY id LIMIT ?",
                     {after_id, std::int64_t{limit}}));
  std::vector<PlacedOrder> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4)});
  return out;
}

}  // namespace nongsan::orders
