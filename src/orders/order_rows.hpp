// Reading orders back from their tables, shared by the files of
// OrderService (checkout in order_service.cpp, reads in order_reads.cpp,
// transitions in order_transitions.cpp); internal to the orders module.
// Stateless; every function runs on the caller's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/order.hpp"

namespace nongsan::orders {

inline constexpr const char* kTransitionColumns =
    "(order_id, from_status, to_status, actor_user_id, actor_party, reason, tracking_code, created_at)";
inline constexpr std::string_view kOrderColumns =
    "id, code, checkout_id, buyer_id, seller_id, seller_name, status, payment_method, subtotal_vnd, "
    "shipping_fee_vnd, total_vnd, weight_grams, shipping_route, carrier, from_commune_code, ship_full_name, "
    "ship_phone, ship_address_line, ship_commune_code, note, tracking_code, created_at, updated_at, "
    "delivered_at, "
    "held_at, held_reason, paid_at";

// The stock ledger's reference of an order's reservations.
std::string StockReference(std::int64_t order_id);

// An order from a row of kOrderColumns, without its lines.
Order OrderFromRow(const db::Row& r);
// Fills the lines of every order in `orders` with one query.
Status LoadLines(db::Connection& c, std::vector<Order>& orders);
// The order with its lines (and its transitions when `with_history`).
Result<std::optional<Order>> LoadOrder(db::Connection& c, std::int64_t order_id, bool with_history);
// While an order is held only its buyer may still act on it (cancel it):
// the shop waits for the official's decision.
std::vector<Party> PartiesWhileHeld(const Order& order, std::vector<Party> parties);

}  // namespace nongsan::orders
