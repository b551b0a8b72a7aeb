#include "orders/migrations.hpp"

namespace nongsan::orders {
namespace {

// A cart belongs to a signed-in user (user_id) or to a guest browser, known by
// the SHA-256 of its cookie token; price_vnd_at_add lets the cart say when a
// price changed since the line was added.
//
// orders_checkouts is the idempotency record: one row per (buyer, key) with
// the hash of the request and the exact response, written in the same
// transaction as the orders, so a crash can never keep one without the other.
//
// Orders copy everything they show (shop name, product name, price, weight,
// address) so that later edits elsewhere never change a placed order.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE orders_carts (
  id {{ID}},
  user_id BIGINT UNIQUE,
  guest_token_hash TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK ((user_id IS NULL) <> (guest_token_hash IS NULL))
);
CREATE TABLE orders_cart_lines (
  cart_id BIGINT NOT NULL REFERENCES orders_carts(id) ON DELETE CASCADE,
  product_id BIGINT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  price_vnd_at_add BIGINT NOT NULL,
  added_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (cart_id, product_id)
);
CREATE TABLE orders_checkouts (
  id TEXT PRIMARY KEY,
  buyer_id BIGINT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (buyer_id, idempotency_key)
);
CREATE TABLE orders_orders (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  checkout_id TEXT NOT NULL REFERENCES orders_checkouts(id),
  buyer_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  seller_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('placed', 'confirmed', 'packed', 'shipped', 'delivered',
                                         'completed', 'cancelled', 'returned')),
  payment_method TEXT NOT NULL,
  subtotal_vnd BIGINT NOT NULL CHECK (subtotal_vnd >= 0),
  shipping_fee_vnd BIGINT NOT NULL CHECK (shipping_fee_vnd >= 0),
  total_vnd BIGINT NOT NULL CHECK (total_vnd >= 0),
  weight_grams BIGINT NOT NULL,
  shipping_route TEXT NOT NULL,
  carrier TEXT NOT NULL,
  from_commune_code TEXT NOT NULL,
  ship_full_name TEXT NOT NULL,
  ship_phone TEXT NOT NULL,
  ship_address_line TEXT NOT NULL,
  ship_commune_code TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  tracking_code TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX orders_orders_buyer ON orders_orders (buyer_id, id);
CREATE INDEX orders_orders_seller ON orders_orders (seller_id, id);
CREATE TABLE orders_lines (
  order_id BIGINT NOT NULL REFERENCES orders_orders(id),
  line_no INTEGER NOT NULL,
  product_id BIGINT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  unit_price_vnd BIGINT NOT NULL CHECK (unit_price_vnd >= 0),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  line_total_vnd BIGINT NOT NULL CHECK (line_total_vnd >= 0),
  weight_grams BIGINT NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX orders_lines_product ON orders_lines (product_id);
CREATE TABLE orders_transitions (
  id {{ID}},
  order_id BIGINT NOT NULL REFERENCES orders_orders(id),
  from_status TEXT,
  to_status TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL,
  actor_party TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  tracking_code TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX orders_transitions_order ON orders_transitions (order_id, id);
CREATE TABLE orders_notifications (
  id {{ID}},
  user_id BIGINT,
  seller_id BIGINT,
  order_id BIGINT NOT NULL REFERENCES orders_orders(id),
  event TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  CHECK ((user_id IS NULL) <> (seller_id IS NULL))
);
CREATE INDEX orders_notifications_user ON orders_notifications (user_id, id);
CREATE INDEX orders_notifications_seller ON orders_notifications (seller_id, id);
CREATE TABLE orders_outbox (
  id {{ID}},
  recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('buyer', 'shop')),
  recipient_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL REFERENCES orders_orders(id),
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'zalo', 'email')),
  message TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX orders_outbox_pending ON orders_outbox (state, id);
CREATE TABLE orders_shipping_routes (
  province_code TEXT NOT NULL,
  route TEXT NOT NULL CHECK (route IN ('same_commune', 'same_province', 'other_province')),
  extra_step_grams BIGINT NOT NULL CHECK (extra_step_grams > 0),
  extra_fee_vnd BIGINT NOT NULL CHECK (extra_fee_vnd >= 0),
  updated_at BIGINT NOT NULL,
  updated_by BIGINT NOT NULL,
  PRIMARY KEY (province_code, route)
);
CREATE TABLE orders_shipping_bands (
  province_code TEXT NOT NULL,
  route TEXT NOT NULL,
  up_to_grams BIGINT NOT NULL CHECK (up_to_grams > 0),
  fee_vnd BIGINT NOT NULL CHECK (fee_vnd >= 0),
  PRIMARY KEY (province_code, route, up_to_grams)
);
INSERT INTO orders_shipping_routes (province_code, route, extra_step_grams, extra_fee_vnd, updated_at, updated_by)
  VALUES ('', 'same_commune', 1000, 2500, 0, 0), ('', 'same_province', 1000, 3000, 0, 0),
         ('', 'other_province', 500, 5000, 0, 0);
INSERT INTO orders_shipping_bands (province_code, route, up_to_grams, fee_vnd) VALUES
  ('', 'same_commune', 1000, 15000), ('', 'same_commune', 3000, 18000), ('', 'same_commune', 5000, 22000),
  ('', 'same_province', 1000, 22000), ('', 'same_province', 3000, 27000), ('', 'same_province', 5000, 32000),
  ('', 'other_province', 500, 30000), ('', 'other_province', 1000, 35000),
  ('', 'other_province', 3000, 45000), ('', 'other_province', 5000, 55000);
)SQL";

// An order held for an official's decision after its shop or a product of it
// was suspended: the shop cannot move it until an official releases or
// cancels it. NULL held_at: not held.
constexpr const char* kSchemaV2 = R"SQL(
ALTER TABLE orders_orders ADD COLUMN held_at BIGINT;
ALTER TABLE orders_orders ADD COLUMN held_reason TEXT;
CREATE INDEX orders_orders_held ON orders_orders (held_at);
)SQL";

// A buyer's saved delivery addresses (address_book.hpp).
constexpr const char* kSchemaV3 = R"SQL(
CREATE TABLE orders_addresses (
  id {{ID}},
  user_id BIGINT NOT NULL,
  full_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  address_line TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
CREATE INDEX orders_addresses_user ON orders_addresses (user_id, last_used_at);
)SQL";

// When an online payment arrived in full (the payments module says so through
// OrderService::MarkPaidWith); NULL for unpaid and cash-on-delivery orders.
constexpr const char* kSchemaV4 = R"SQL(
ALTER TABLE orders_orders ADD COLUMN paid_at BIGINT;
)SQL";

// A carrier's COD remittance names orders by tracking code
// (OrderService::OrdersByTrackingWith): without an index each batch of codes
// would scan every order.
constexpr const char* kSchemaV5 = R"SQL(
CREATE INDEX orders_orders_tracking ON orders_orders (tracking_code);
)SQL";

}  // namespace

db::ModuleMigrations Migrations() {
  return {"orders",
          {{1, "carts, checkouts, orders, transitions, notifications, shipping rates", kSchemaV1, ""},
           {2, "orders held after a suspension", kSchemaV2, ""},
           {3, "buyers' saved addresses", kSchemaV3, ""},
           {4, "paid_at of online payments", kSchemaV4, ""},
           {5, "orders found by tracking code", kSchemaV5, ""}}};
}

}  // namespace nongsan::orders
