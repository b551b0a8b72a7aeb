// OrderService's reads: an order for one of its parties, the lists of a
// buyer's and a shop's orders, the stock check. Declarations in
// order_service.hpp.
#include <algorithm>
#include <charconv>

#include "orders/order_rows.hpp"
#include "orders/order_service.hpp"

namespace nongsan::orders {
namespace {

constexpr std::string_view kSumByStatus =
    "SELECT o.status, COALESCE(SUM(l.quantity), 0) FROM orders_lines l JOIN orders_orders o ON o.id = "
    "l.order_id "
    "WHERE l.product_id = ? GROUP BY o.status";

std::optional<std::int64_t> ParseCursor(const std::string& cursor) {
  if (cursor.empty()) return 0;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || value <= 0) return std::nullopt;
  return value;
}
}  // namespace

Result<std::vector<Party>> OrderService::PartiesOf(const Principal& principal, const Order& order) {
  std::vector<Party> parties;
  if (principal.user_id == order.buyer_id) parties.push_back(Party::kBuyer);
  TRY_ASSIGN(bool manages, shops_.CanManage(&principal, order.seller_id));
  if (manages) parties.push_back(Party::kShop);
  return parties;
}

nlohmann::json OrderService::View(const Order& order, const std::vector<Party>& parties) const {
  OrderView view;
  view.with_history = true;
  view.show_allowed = true;
  view.return_window_ms = options_.return_window_ms;
  view.allowed_transitions = AllowedTargets(order.status, PartiesWhileHeld(order, parties), clock_.NowMs(),
                                            order.delivered_at.value_or(0), options_.return_window_ms);
  return OrderJson(order, &places_, view);
}

Result<nlohmann::json> OrderService::Get(const Principal& principal, std::int64_t order_id) {
  TRY_ASSIGN(auto order, db_.Read([&](db::Connection& c) { return LoadOrder(c, order_id, true); }));
  if (!order) return Error::NotFound("order");
  TRY_ASSIGN(std::vector<Party> parties, PartiesOf(principal, *order));
  if (parties.empty()) return Error::NotFound("order");
  nlohmann::json view = View(*order, parties);
  TRY(AddLots(view, order_id));
  return view;
}

Status OrderService::AddLots(nlohmann::json& view, std::int64_t order_id) {
  if (lots_ == nullptr) return Ok{};
  TRY_ASSIGN(auto lots, db_.Read([&](db::Connection& c) { return lots_->LotsOf(c, order_id); }));
  nlohmann::json recalls = nlohmann::json::array();
  for (auto& line : view["lines"]) {
    nlohmann::json taken = nlohmann::json::array();
    for (const LineLot& l : lots) {
      if (l.line_id != line.value("id", std::int64_t{0})) continue;
      taken.push_back(
          {{"lot_id", l.lot_id}, {"code", l.lot_code}, {"quantity", l.quantity}, {"status", l.status}});
      if (l.status == "recalled") {
        recalls.push_back({{"lot_id", l.lot_id},
                           {"code", l.lot_code},
                           {"product_id", line.value("product_id", 0)},
                           {"name", line.value("name", "")},
                           {"reason", l.reason}});
      }
    }
    line["lots"] = std::move(taken);
  }
  view["recalls"] = std::move(recalls);
  return Ok{};
}

Result<OrderPage> OrderService::List(std::string_view where, db::Params params, const ListOptions& options) {
  auto before = ParseCursor(options.cursor);
  if (!before) return Error::Field("cursor", "Not a cursor this API gave out.");
  const int limit = std::clamp(options.limit, 1, kMaxPageSize);
  std::string sql =
      "SELECT " + std::string(kOrderColumns) + " FROM orders_orders WHERE " + std::string(where);
  if (options.status) {
    sql += " AND status = ?";
    params.push_back(std::string(StatusName(*options.status)));
  }
  if (*before > 0) {
    sql += " AND id < ?";
    params.push_back(*before);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(std::int64_t{limit} + 1);
  TRY_ASSIGN(std::vector<Order> orders, db_.Read([&](db::Connection& c) -> Result<std::vector<Order>> {
    TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
    std::vector<Order> out;
    for (const db::Row& r : rows) out.push_back(OrderFromRow(r));
    TRY(LoadLines(c, out));
    return out;
  }));
  OrderPage page;
  if (orders.size() > static_cast<std::size_t>(limit)) {
    orders.pop_back();
    page.next_cursor = std::to_string(orders.back().id);
  }
  for (const Order& o : orders) page.items.push_back(OrderJson(o, &places_));
  return page;
}

Result<OrderPage> OrderService::ListForBuyer(const Principal& buyer, const ListOptions& options) {
  return List("buyer_id = ?", {buyer.user_id}, options);
}

Result<OrderPage> OrderService::ListForShop(const Principal& principal, std::int64_t seller_id,
                                            const ListOptions& options) {
  TRY_ASSIGN(bool manages, shops_.CanManage(&principal, seller_id));
  if (!manages) return Error::NotFound("shop");
  return List("seller_id = ?", {seller_id}, options);
}

Result<std::optional<Order>> OrderService::Load(db::Connection& c, std::int64_t order_id) {
  return LoadOrder(c, order_id, false);
}

Result<StockCheck> OrderService::CheckStock(std::int64_t product_id) {
  return db_.Read([&](db::Connection& c) -> Result<StockCheck> {
    StockCheck check;
    check.product_id = product_id;
    TRY_ASSIGN(check.catalog, inventory_.Account(c, product_id));
    TRY_ASSIGN(db::Rows rows, c.Query(kSumByStatus, {product_id}));
    for (const db::Row& r : rows) {
      auto status = ParseStatus(r.Text(0));
      if (!status) continue;
      if (HoldsStock(*status)) check.held_by_orders += r.Int(1);
      // A returned order was sold first; its goods come back only through a restock.
      else if (CountsAsSold(*status) || *status == OrderStatus::kReturned)
        check.sold_by_orders += r.Int(1);
    }
    return check;
  });
}

}  // namespace nongsan::orders
