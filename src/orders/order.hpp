// An order as the orders module stores and shows it: one shop's part of a
// checkout, with everything it shows copied at checkout time (shop name,
// product names, prices, weights, the address), its lifecycle history, and
// the JSON the API sends. Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orders/lifecycle.hpp"
#include "orders/shipping.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::orders {

struct ShippingAddress {
  std::string full_name;
  std::string phone;  // canonical 10-digit form
  std::string address_line;
  std::string commune_code;  // a current (2025) commune
};

struct OrderLine {
  int line_no = 0;
  std::int64_t product_id = 0;
  std::string sku;
  std::string name;
  std::string unit;
  std::int64_t unit_price_vnd = 0;
  std::int64_t quantity = 0;
  std::int64_t line_total_vnd = 0;
  std::int64_t weight_grams = 0;  // per unit
};

struct TransitionRecord {
  std::optional<OrderStatus> from;  // nullopt for the order being placed
  OrderStatus to = OrderStatus::kPlaced;
  std::int64_t actor_user_id = 0;
  Party party = Party::kBuyer;
  std::string reason;
  std::string tracking_code;
  std::int64_t at = 0;
};

struct Order {
  std::int64_t id = 0;
  std::string code;  // printed on the parcel
  std::string checkout_id;
  std::int64_t buyer_id = 0;
  std::int64_t seller_id = 0;
  std::string seller_name;
  OrderStatus status = OrderStatus::kPlaced;
  std::string payment_method;
  std::int64_t subtotal_vnd = 0;
  std::int64_t shipping_fee_vnd = 0;
  std::int64_t total_vnd = 0;
  std::int64_t weight_grams = 0;  // whole parcel
  Route route = Route::kOtherProvince;
  std::string carrier;
  std::string from_commune_code;
  ShippingAddress address;
  std::string note;
  std::string tracking_code;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> delivered_at;
  // Set while the order is held for an official's decision after its shop or
  // one of its products was suspended (order_holds.cpp).
  std::optional<std::int64_t> held_at;
  std::string held_reason;
  std::optional<std::int64_t> paid_at;  // when an online payment arrived in full
  std::vector<OrderLine> lines;
  std::vector<TransitionRecord> history;  // filled only where shown
};

// Extra parts of the order JSON that depend on who is looking.
struct OrderView {
  bool with_history = false;
  std::vector<OrderStatus> allowed_transitions;  // empty: the field is omitted
  bool show_allowed = false;
  std::int64_t return_window_ms = 0;  // > 0: return_window_ends_at for delivered orders
};

// {id, code, checkout_id, status, payment_method, shop{id,name}, lines[…],
//  subtotal_vnd, shipping_fee_vnd, total_vnd, shipping{route, carrier,
//  weight_grams, tracking_code}, shipping_address{…, commune_name}, note,
//  created_at, updated_at, delivered_at, paid_at, hold{reason, since} or null,
//  [history], [allowed_transitions]}.
nlohmann::json OrderJson(const Order& order, const places::PlaceService* places, const OrderView& view = {});

}  // namespace nongsan::orders
