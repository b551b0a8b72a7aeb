#include "orders/order_service.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "http/json_input.hpp"
#include "orders/address_book.hpp"
#include "places/places.hpp"

namespace nongsan::orders {
namespace {

// Bytes of entropy in a checkout id.
constexpr std::size_t kCheckoutIdBytes = 16;

constexpr std::string_view kSelectCheckout =
    "SELECT request_hash, response FROM orders_checkouts WHERE buyer_id = ? AND idempotency_key = ?";
// The response is filled in last, once every order id is known; the early
// insert makes a concurrent request with the same key wait (PostgreSQL) or
// fail on the unique key, then replay this one.
constexpr std::string_view kInsertCheckout =
    "INSERT INTO orders_checkouts (id, buyer_id, idempotency_key, request_hash, response, created_at) "
    "VALUES (?, ?, ?, ?, '', ?)";
constexpr std::string_view kSetCheckoutResponse = "UPDATE orders_checkouts SET response = ? WHERE id = ?";
constexpr std::string_view kInsertOrder =
    "INSERT INTO orders_orders (code, checkout_id, buyer_id, seller_id, seller_name, status, payment_method, "
    "subtotal_vnd, shipping_fee_vnd, total_vnd, weight_grams, shipping_route, carrier, from_commune_code, "
    "ship_full_name, ship_phone, ship_address_line, ship_commune_code, note, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, 'placed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kLineColumns =
    "(order_id, line_no, product_id, sku, name, unit, unit_price_vnd, quantity, line_total_vnd, "
    "weight_grams)";
constexpr const char* kTransitionColumns =
    "(order_id, from_status, to_status, actor_user_id, actor_party, reason, tracking_code, created_at)";
constexpr std::string_view kOrderColumns =
    "id, code, checkout_id, buyer_id, seller_id, seller_name, status, payment_method, subtotal_vnd, "
    "shipping_fee_vnd, total_vnd, weight_grams, shipping_route, carrier, from_commune_code, ship_full_name, "
    "ship_phone, ship_address_line, ship_commune_code, note, tracking_code, created_at, updated_at, "
    "delivered_at, "
    "held_at, held_reason, paid_at";
constexpr std::string_view kSelectLinesOf =
    "SELECT order_id, line_no, product_id, sku, name, unit, unit_price_vnd, quantity, line_total_vnd, "
    "weight_grams "
    "FROM orders_lines WHERE order_id IN ";
constexpr std::string_view kSelectHistory =
    "SELECT from_status, to_status, actor_user_id, actor_party, reason, tracking_code, created_at "
    "FROM orders_transitions WHERE order_id = ? ORDER BY id";
constexpr std::string_view kUpdateStatus =
    "UPDATE orders_orders SET status = ?, tracking_code = ?, delivered_at = ?, updated_at = ? "
    "WHERE id = ? AND status = ?";
constexpr std::string_view kSetPaid =
    "UPDATE orders_orders SET paid_at = ?, updated_at = ? WHERE id = ? AND paid_at IS NULL";
constexpr std::string_view kSumByStatus =
    "SELECT o.status, COALESCE(SUM(l.quantity), 0) FROM orders_lines l JOIN orders_orders o ON o.id = "
    "l.order_id "
    "WHERE l.product_id = ? GROUP BY o.status";

std::string StockReference(std::int64_t order_id) { return "order:" + std::to_string(order_id); }

// A JSON integer that fits in int64; floats, strings and huge numbers are not.
std::optional<std::int64_t> AsInt(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return std::nullopt;
}

bool HasControlCharacters(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

Error InvalidFields(std::vector<FieldError> errors) {
  std::string detail;
  for (const FieldError& f : errors) {
    if (!detail.empty()) detail += "; ";
    detail += f.field + ": " + f.message;
  }
  return Error::Invalid(std::move(detail), std::move(errors));
}

// Why a product cannot be ordered, for the problem's product list.
std::string UnavailableReason(const catalog::ProductSnapshot& p) {
  if (p.status != catalog::ProductStatus::kActive) return catalog::StatusName(p.status);
  return "shop_unavailable";
}

Error ProductsUnavailable(nlohmann::json products) {
  Error e = Error::Conflict("product_unavailable", "Some products cannot be ordered now.");
  e.extra = {{"products", std::move(products)}};
  return e;
}

Error TooLarge() {
  return Error::Unprocessable("amount_too_large", "The order amount is larger than the platform accepts.");
}

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

// Fills the lines of every order in `orders` with one query.
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

// While an order is held only its buyer may still act on it (cancel it):
// the shop waits for the official's decision.
std::vector<Party> PartiesWhileHeld(const Order& order, std::vector<Party> parties) {
  if (order.held_at) std::erase(parties, Party::kShop);
  return parties;
}

std::optional<std::int64_t> ParseCursor(const std::string& cursor) {
  if (cursor.empty()) return 0;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

// The checked request, ready to place.
struct OrderService::ValidCheckout {
  std::vector<CartItem> items;  // in the buyer's order
  bool from_cart = false;
  ShippingAddress address;
  std::string to_province;
  std::string note;
  std::string payment_method;
};

OrderService::OrderService(db::Database& db, const Clock& clock, const catalog::InventoryService& inventory,
                           ShopDirectory& shops, Carrier& carrier, const places::PlaceService& places,
                           CartService& carts, Notifications& notifications, OrderOptions options)
    : db_(db),
      clock_(clock),
      inventory_(inventory),
      shops_(shops),
      carrier_(carrier),
      places_(places),
      carts_(carts),
      notifications_(notifications),
      options_(options) {}

Result<OrderService::ValidCheckout> OrderService::Validate(const nlohmann::json& body) {
  std::vector<FieldError> errors;
  ValidCheckout v;

  auto from_cart = body.find("from_cart");
  if (from_cart != body.end() && !from_cart->is_null()) {
    if (!from_cart->is_boolean())
      errors.push_back({"from_cart", "Must be true or false."});
    else
      v.from_cart = from_cart->get<bool>();
  }
  auto items = body.find("items");
  const bool has_items = items != body.end() && !items->is_null();
  if (v.from_cart && has_items) {
    errors.push_back({"items", "Give either items or from_cart, not both."});
  } else if (!v.from_cart && !has_items) {
    errors.push_back({"items", "Required (or send from_cart: true)."});
  } else if (has_items) {
    if (!items->is_array() || items->empty() || items->size() > kMaxCartLines) {
      errors.push_back({"items", "An array of 1 to " + std::to_string(kMaxCartLines) + " items."});
    } else {
      std::set<std::int64_t> seen;
      for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& item = (*items)[i];
        const std::string field = "items[" + std::to_string(i) + "]";
        if (!item.is_object()) {
          errors.push_back({field, "Must be an object {product_id, quantity}."});
          continue;
        }
        const std::int64_t product_id =
            item.contains("product_id") ? AsInt(item["product_id"]).value_or(0) : 0;
        const std::int64_t quantity = item.contains("quantity") ? AsInt(item["quantity"]).value_or(0) : 0;
        const bool product_ok = product_id > 0;
        const bool quantity_ok = quantity >= 1 && quantity <= kMaxLineQuantity;
        if (!product_ok) errors.push_back({field + ".product_id", "Must be a product id."});
        if (!quantity_ok) {
          errors.push_back({field + ".quantity",
                            "Must be a whole number from 1 to " + std::to_string(kMaxLineQuantity) + "."});
        }
        if (product_ok && !seen.insert(product_id).second) {
          errors.push_back(
              {field + ".product_id", "This product is already listed; put the total on one line."});
        }
        if (product_ok && quantity_ok) v.items.push_back({product_id, quantity});
      }
    }
  }

  auto address = body.find("shipping_address");
  if (address == body.end() || !address->is_object()) {
    errors.push_back({"shipping_address", "Required: {full_name, phone, address_line, commune_code}."});
  } else {
    http::JsonInput in(*address, "shipping_address.");
    if (auto name = in.Text("full_name", http::Presence::kRequired, {.max_chars = kMaxFullNameChars})) {
      v.address.full_name = *name;
    }
    if (auto line = in.Text("address_line", http::Presence::kRequired, {.max_chars = kMaxAddressLineChars})) {
      v.address.address_line = *line;
    }
    errors.insert(errors.end(), in.errors().begin(), in.errors().end());
    auto phone = address->find("phone");
    std::optional<std::string> canonical;
    if (phone != address->end() && phone->is_string())
      canonical = phone::Normalize(phone->get<std::string>());
    if (!canonical)
      errors.push_back({"shipping_address.phone", "Must be a Vietnamese mobile number."});
    else
      v.address.phone = *canonical;
    auto commune = address->find("commune_code");
    if (commune == address->end() || !commune->is_string() ||
        !places_.IsCommune(commune->get<std::string>())) {
      errors.push_back(
          {"shipping_address.commune_code", "Must be the code of a current commune (xã/phường)."});
    } else {
      v.address.commune_code = commune->get<std::string>();
      v.to_province = places_.ProvinceOf(v.address.commune_code).value_or("");
    }
  }

  auto payment = body.find("payment_method");
  v.payment_method = std::string(kPaymentCod);
  if (payment != body.end() && !payment->is_null()) {
    const bool known = payment->is_string() && (*payment == kPaymentCod || *payment == kPaymentVietQr ||
                                                *payment == kPaymentVnpay || *payment == kPaymentMomo);
    if (!known) {
      errors.push_back({"payment_method", "Must be one of cod, vietqr, vnpay, momo."});
    } else if (payments_ == nullptr && *payment != kPaymentCod) {
      errors.push_back({"payment_method", "Only cash on delivery (\"cod\") is available."});
    } else {
      v.payment_method = payment->get<std::string>();
    }
  }
  http::JsonInput in(body);
  if (auto note = in.Text("note", http::Presence::kOptional,
                          {.max_chars = kMaxNoteChars, .lines = http::TextLines::kMulti})) {
    v.note = *note;
  }
  errors.insert(errors.end(), in.errors().begin(), in.errors().end());

  if (!errors.empty()) return InvalidFields(std::move(errors));
  return v;
}

Result<std::optional<CheckoutResult>> OrderService::ReplayWith(db::Connection& c, std::int64_t buyer_id,
                                                               const std::string& key,
                                                               const std::string& request_hash) {
  TRY_ASSIGN(auto row, c.QueryOne(kSelectCheckout, {buyer_id, key}));
  if (!row) return std::optional<CheckoutResult>();
  if (row->Text(0) != request_hash) {
    return Error::Unprocessable("idempotency_mismatch",
                                "This Idempotency-Key was already used with a different request body.");
  }
  auto body = nlohmann::json::parse(row->Text(1), nullptr, false);
  if (body.is_discarded()) return Error::Internal("stored checkout response is not JSON");
  return std::optional<CheckoutResult>(CheckoutResult{std::move(body), true});
}

Result<CheckoutResult> OrderService::Checkout(const Principal& buyer, std::string_view idempotency_key,
                                              const nlohmann::json& body) {
  const std::string key = text::Trim(idempotency_key);
  if (key.empty() || key.size() > kMaxIdempotencyKeyChars ||
      !std::all_of(key.begin(), key.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; })) {
    return Error::Field("Idempotency-Key", "The Idempotency-Key header is required: 1 to " +
                                               std::to_string(kMaxIdempotencyKeyChars) +
                                               " printable ASCII characters, unique per checkout.");
  }
  // nlohmann objects keep their members sorted, so this is the same text for
  // the same JSON however the client spaced or ordered it.
  const std::string request_hash = ids::Sha256Hex(body.dump());
  // The body's own checks depend on nothing that changes (the communes
  // change by law), so a body that was once placed still passes them and
  // checking first loses no replay.
  TRY_ASSIGN(ValidCheckout input, Validate(body));

  // One read: an earlier answer to this key, the cart when the buyer orders
  // from it, and the products as they are now.
  std::optional<CheckoutResult> earlier;
  std::vector<catalog::ProductSnapshot> snapshots;
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(earlier, ReplayWith(c, buyer.user_id, key, request_hash));
    if (earlier) return Ok{};
    if (input.from_cart) {
      TRY_ASSIGN(input.items, carts_.ItemsWith(c, buyer.user_id));
      if (input.items.empty()) return Error::Unprocessable("cart_empty", "The cart is empty.");
    }
    nlohmann::json unavailable = nlohmann::json::array();
    for (const CartItem& item : input.items) {
      auto snapshot = inventory_.GetForOrder(c, item.product_id);
      if (!snapshot.ok()) {
        if (snapshot.error().code != ErrorCode::kNotFound) return std::move(snapshot).error();
        unavailable.push_back({{"product_id", item.product_id}, {"reason", "not_found"}});
        continue;
      }
      if (!snapshot->Orderable()) {
        unavailable.push_back({{"product_id", item.product_id}, {"reason", UnavailableReason(*snapshot)}});
      }
      snapshots.push_back(std::move(snapshot).value());
    }
    if (!unavailable.empty()) return ProductsUnavailable(std::move(unavailable));
    return Ok{};
  }));
  if (earlier) return std::move(*earlier);

  for (int attempt = 1;; ++attempt) {
    Result<CheckoutResult> placed = PlaceOnce(buyer, key, request_hash, input, snapshots);
    if (placed.ok() || !db::IsUniqueViolation(placed.error())) return placed;
    // Either a concurrent request with the same key won (replay it), or an
    // order code clashed (try again with new codes).
    TRY_ASSIGN(auto winner,
               db_.Read([&](db::Connection& c) { return ReplayWith(c, buyer.user_id, key, request_hash); }));
    if (winner) return std::move(*winner);
    if (attempt == kMaxCheckoutAttempts) return placed;
  }
}

Result<CheckoutResult> OrderService::PlaceOnce(const Principal& buyer, const std::string& key,
                                               const std::string& request_hash, const ValidCheckout& input,
                                               const std::vector<catalog::ProductSnapshot>& before) {
  // 1. Outside the transaction: the orders, one per shop, their lines,
  //    money and shipping. Shops and rate tables come from services that
  //    open transactions of their own, which must not happen while this one
  //    holds the writer; and the less the transaction does, the more
  //    checkouts the single SQLite writer commits per second. Prices are
  //    those just read; a product that stops being on sale meanwhile is
  //    refused by Reserve inside the transaction.
  std::vector<Order> orders;
  std::map<std::int64_t, std::size_t> order_of_seller;
  nlohmann::json closed_shops = nlohmann::json::array();
  for (std::size_t i = 0; i < before.size(); ++i) {
    const catalog::ProductSnapshot& p = before[i];
    auto it = order_of_seller.find(p.seller_id);
    if (it == order_of_seller.end()) {
      TRY_ASSIGN(auto shop, shops_.Find(p.seller_id));
      if (!shop || !shop->accepting_orders) {
        closed_shops.push_back({{"product_id", p.id}, {"reason", "shop_unavailable"}});
        continue;
      }
      Order o;
      o.buyer_id = buyer.user_id;
      o.seller_id = shop->id;
      o.seller_name = shop->name;
      o.payment_method = input.payment_method;
      o.from_commune_code = shop->commune_code;
      o.address = input.address;
      o.note = input.note;
      orders.push_back(std::move(o));
      it = order_of_seller.emplace(p.seller_id, orders.size() - 1).first;
    }
    Order& o = orders[it->second];
    OrderLine line;
    line.line_no = static_cast<int>(o.lines.size()) + 1;
    line.product_id = p.id;
    line.sku = p.sku;
    line.name = p.name;
    line.unit = p.unit;
    line.unit_price_vnd = p.price_vnd;
    line.quantity = input.items[i].quantity;
    line.weight_grams = p.weight_grams;
    auto total = money::MulVnd(p.price_vnd, line.quantity);
    auto subtotal = total ? money::AddVnd(o.subtotal_vnd, *total) : std::nullopt;
    auto grams = money::MulVnd(p.weight_grams, line.quantity);
    auto weight = grams ? money::AddVnd(o.weight_grams, *grams) : std::nullopt;
    if (!subtotal || !weight) return TooLarge();
    line.line_total_vnd = *total;
    o.subtotal_vnd = *subtotal;
    o.weight_grams = *weight;
    o.lines.push_back(std::move(line));
  }
  if (!closed_shops.empty()) return ProductsUnavailable(std::move(closed_shops));
  // Every shop of the checkout must take the method; asked before the
  // transaction because payments read their own tables to answer.
  if (payments_ != nullptr) {
    for (const Order& o : orders) TRY(payments_->CheckAccepted(o.seller_id, input.payment_method));
  }
  for (Order& o : orders) {
    const std::string from_province = places_.ProvinceOf(o.from_commune_code).value_or("");
    TRY_ASSIGN(ShippingQuote quote,
               carrier_.Quote({o.from_commune_code, from_province, input.address.commune_code,
                               input.to_province, o.weight_grams, o.subtotal_vnd}));
    auto total = money::AddVnd(o.subtotal_vnd, quote.fee_vnd);
    if (!total) return TooLarge();
    o.shipping_fee_vnd = quote.fee_vnd;
    o.route = quote.route;
    o.carrier = quote.carrier;
    o.total_vnd = *total;
  }
  // Stock is taken in product-id order: row locks are then always taken in
  // the same order, so two checkouts on PostgreSQL cannot deadlock over the
  // same products.
  struct Take {
    std::int64_t product_id;
    std::int64_t quantity;
    std::size_t order;  // index into orders
  };
  std::vector<Take> takes;
  for (std::size_t k = 0; k < orders.size(); ++k) {
    for (const OrderLine& l : orders[k].lines) takes.push_back({l.product_id, l.quantity, k});
  }
  std::sort(takes.begin(), takes.end(),
            [](const Take& a, const Take& b) { return a.product_id < b.product_id; });

  // 2. One transaction for everything. The callback may run again on
  //    PostgreSQL after a serialization failure, so what it changes it
  //    first resets.
  return db_.Write([&](db::Connection& c) -> Result<CheckoutResult> {
    const std::int64_t now = clock_.NowMs();
    const std::string checkout_id = ids::RandomToken(kCheckoutIdBytes);
    TRY(c.Exec(kInsertCheckout, {checkout_id, buyer.user_id, key, request_hash, now}));

    for (Order& o : orders) {
      o.code = ids::RandomCode(kOrderCodeLength);
      o.checkout_id = checkout_id;
      o.created_at = now;
      o.updated_at = now;
      TRY_ASSIGN(o.id, c.QueryInt(kInsertOrder, {o.code,
                                                 o.checkout_id,
                                                 o.buyer_id,
                                                 o.seller_id,
                                                 o.seller_name,
                                                 o.payment_method,
                                                 o.subtotal_vnd,
                                                 o.shipping_fee_vnd,
                                                 o.total_vnd,
                                                 o.weight_grams,
                                                 std::string(RouteName(o.route)),
                                                 o.carrier,
                                                 o.from_commune_code,
                                                 o.address.full_name,
                                                 o.address.phone,
                                                 o.address.address_line,
                                                 o.address.commune_code,
                                                 o.note,
                                                 now,
                                                 now}));
      db::Params line_params;
      for (const OrderLine& l : o.lines) {
        line_params.insert(line_params.end(),
                           {o.id, std::int64_t{l.line_no}, l.product_id, l.sku, l.name, l.unit,
                            l.unit_price_vnd, l.quantity, l.line_total_vnd, l.weight_grams});
      }
      TRY(c.Exec(std::string("INSERT INTO orders_lines ") + kLineColumns + " VALUES " +
                     db::ValuesList(o.lines.size(), 10),
                 line_params));
    }

    db::Params history;
    std::vector<OrderEvent> events;
    for (const Order& o : orders) {
      history.insert(history.end(), {o.id, db::Value{}, std::string("placed"), buyer.user_id,
                                     std::string(PartyName(Party::kBuyer)), std::string(), db::Value{}, now});
      events.push_back({o.id, o.code, o.buyer_id, o.seller_id, o.seller_name, OrderStatus::kPlaced,
                        o.total_vnd, "", "", now, o.from_commune_code, o.address.commune_code});
    }
    TRY(c.Exec(std::string("INSERT INTO orders_transitions ") + kTransitionColumns + " VALUES " +
                   db::ValuesList(orders.size(), 8),
               history));

    nlohmann::json short_of = nlohmann::json::array();
    nlohmann::json unavailable = nlohmann::json::array();
    for (const Take& t : takes) {
      auto taken = inventory_.Reserve(c, t.product_id, t.quantity, StockReference(orders[t.order].id));
      if (taken.ok()) continue;
      const Error& e = taken.error();
      if (e.type == "out_of_stock") {
        const auto line = std::find_if(orders[t.order].lines.begin(), orders[t.order].lines.end(),
                                       [&](const OrderLine& l) { return l.product_id == t.product_id; });
        short_of.push_back({{"product_id", t.product_id},
                            {"name", line->name},
                            {"requested", t.quantity},
                            {"available", e.extra.value("available", std::int64_t{0})}});
      } else if (e.type == "product_unavailable" || e.code == ErrorCode::kNotFound) {
        unavailable.push_back({{"product_id", t.product_id}, {"reason", "not_on_sale"}});
      } else {
        return std::move(taken).error();
      }
    }
    if (!unavailable.empty()) return ProductsUnavailable(std::move(unavailable));
    if (!short_of.empty()) {
      Error e = Error::Conflict(
          "out_of_stock", short_of.size() == 1 ? "Not enough stock of one product; nothing was ordered."
                                               : "Not enough stock of some products; nothing was ordered.");
      e.extra = {{"products", std::move(short_of)}};
      return e;
    }

    TRY(notifications_.QueueWith(c, events));
    // The next checkout starts from this address (the buyer's address book).
    TRY(RememberAddressWith(c, buyer.user_id, input.address, now));
    if (payments_ != nullptr) {
      for (const Order& o : orders) {
        TRY(payments_->Opened(c,
                              {o.id, o.code, o.seller_id, o.buyer_id, o.payment_method, o.total_vnd, now}));
      }
    }
    if (input.from_cart) {
      std::vector<std::int64_t> ordered;
      for (const CartItem& item : input.items) ordered.push_back(item.product_id);
      TRY(carts_.RemoveItemsWith(c, buyer.user_id, ordered));
    }
    nlohmann::json response = {{"checkout_id", checkout_id}, {"orders", nlohmann::json::array()}};
    for (const Order& o : orders) response["orders"].push_back(OrderJson(o, &places_));
    TRY(c.Exec(kSetCheckoutResponse, {response.dump(), checkout_id}));
    return CheckoutResult{std::move(response), false};
  });
}

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
                                       reason, tracking_after, now, o.from_commune_code}});
}

Result<std::optional<Order>> OrderService::Load(db::Connection& c, std::int64_t order_id) {
  return LoadOrder(c, order_id, false);
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

namespace nongsan::orders {

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
           o.tracking_code, now, o.from_commune_code}}));
  return true;
}

}  // namespace nongsan::orders
