// OrderService's checkout: the body checked, one order per shop placed in one
// transaction with its lines, stock, notices and payment, replayed for the
// same Idempotency-Key. Reads are in order_reads.cpp, transitions in
// order_transitions.cpp; declarations in order_service.hpp.
#include "orders/order_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/field_errors.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "http/json_input.hpp"
#include "orders/address_book.hpp"
#include "orders/order_rows.hpp"
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
            item.contains("product_id") ? http::AsInt(item["product_id"]).value_or(0) : 0;
        const std::int64_t quantity =
            item.contains("quantity") ? http::AsInt(item["quantity"]).value_or(0) : 0;
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

Result<std::vector<Order>> OrderService::DraftOrders(const Principal& buyer, const ValidCheckout& input,
                                                     const std::vector<catalog::ProductSnapshot>& before) {
  // Outside the checkout's transaction: shops and rate tables come from
  // services that open transactions of their own, which must not happen
  // while the checkout holds the writer; and the less the transaction does,
  // the more checkouts the single SQLite writer commits per second. Prices
  // are those just read; a product that stops being on sale meanwhile is
  // refused by Reserve inside the transaction.
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
  return orders;
}

Result<CheckoutResult> OrderService::PlaceOnce(const Principal& buyer, const std::string& key,
                                               const std::string& request_hash, const ValidCheckout& input,
                                               const std::vector<catalog::ProductSnapshot>& before) {
  // 1. The orders, drafted outside the transaction (DraftOrders).
  TRY_ASSIGN(std::vector<Order> orders, DraftOrders(buyer, input, before));
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

}  // namespace nongsan::orders
