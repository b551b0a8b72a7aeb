// Checkout and the order lifecycle.
//
// Checkout turns a list of products (or the buyer's cart) into one order per
// shop, cash on delivery. Everything it writes — the orders, their lines and
// first history entries, the stock taken from every product (through the
// catalogue's InventoryService), the notifications, the cart lines it used
// and the idempotency record holding the exact response — is written in ONE
// database transaction: all of it commits or none of it does, so a killed
// server can never leave an order without its stock taken, or a response the
// client saw without the record that replays it.
//
// Prices, names and weights are copied from the products as read at the
// start of the checkout, milliseconds before the stock is taken; a product
// that stops being on sale in between is refused by the stock reservation.
//
// Idempotency: every checkout carries a client-chosen key (the
// Idempotency-Key header). The same buyer sending the same key with the same
// body gets the first response again and nothing new is created; with a
// different body, 422 idempotency_mismatch. Only successful checkouts are
// recorded: a refused one (out of stock, bad input) wrote nothing and may be
// retried with the same key.
//
// Stock: an order line holds its stock from checkout until the order is
// delivered (then it is sold) or cancelled (then it is put back, in the same
// transaction as the cancellation). A return after delivery does not put
// produce back on sale by itself: the goods come back to the shop, which
// restocks through the catalogue if they can be sold again. Hence, for every
// product at any moment (CheckStock verifies it from both modules' books):
//   initial + restocks = available + held by open orders + sold.
//
// Who sees an order: its buyer, and whoever may manage its shop (the shop's
// owner and staff, the managing cooperative, an officer acting for the shop,
// as ShopDirectory::CanManage says). Anyone else gets 404, as if it did not
// exist.
//
// Thread-safety: safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/inventory_service.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/cart_service.hpp"
#include "orders/lifecycle.hpp"
#include "orders/lot_ledger.hpp"
#include "orders/notifications.hpp"
#include "orders/order.hpp"
#include "orders/payment_methods.hpp"
#include "orders/shipping.hpp"
#include "orders/shop_directory.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::orders {

// Idempotency keys: 1..kMaxIdempotencyKeyChars printable ASCII characters
// (a UUID is 36; room for a client's own prefix scheme).
inline constexpr std::size_t kMaxIdempotencyKeyChars = 128;
// Characters in an order code ("K7MX4Q2A"): 31^8 ≈ 8.5e11 codes, so random
// codes practically never clash; a clash is retried.
inline constexpr std::size_t kOrderCodeLength = 8;
// How many times a checkout is attempted when an order code clashes.
inline constexpr int kMaxCheckoutAttempts = 3;
inline constexpr std::size_t kMaxFullNameChars = 100;
inline constexpr std::size_t kMaxAddressLineChars = 250;
inline constexpr std::size_t kMaxNoteChars = 500;
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
// A buyer may return a delivered order within this time unless configured.
inline constexpr std::int64_t kDefaultReturnWindowMs = 7 * kMsPerDay;

struct OrderOptions {
  std::int64_t return_window_ms = kDefaultReturnWindowMs;
};

struct CheckoutResult {
  nlohmann::json body;    // {checkout_id, orders:[…]}, answered with 201
  bool replayed = false;  // true when this is the stored answer to an earlier request
};

struct OrderPage {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next_cursor;
};

struct ListOptions {
  int limit = kDefaultPageSize;
  std::string cursor;  // "" for the first page
  std::optional<OrderStatus> status;
};

struct TransitionInput {
  std::string to;
  std::string reason;
  std::string tracking_code;
  // When packing: which lot each line came from (LotLedger); lines left out
  // take the lot with the earliest expiry.
  std::vector<LotChoice> lots;
};

// One product's stock as both modules see it.
struct StockCheck {
  std::int64_t product_id = 0;
  catalog::StockAccount catalog;    // the catalogue's ledger and stock column
  std::int64_t held_by_orders = 0;  // quantities on orders that hold stock
  std::int64_t sold_by_orders = 0;  // quantities on delivered, completed and returned orders
  // initial + restocks = available + held + sold, and the catalogue's held and
  // sold agree with the orders'.
  bool Holds() const {
    return catalog.Balanced() && catalog.held == held_by_orders && catalog.sold == sold_by_orders;
  }
};

// An order held after a suspension, as the officials deciding on it see it.
struct HeldOrder {
  std::int64_t id = 0;
  std::string code;
  std::int64_t seller_id = 0;
  std::string seller_name;
  std::int64_t buyer_id = 0;
  OrderStatus status = OrderStatus::kPlaced;
  std::int64_t total_vnd = 0;
  std::string reason;
  std::int64_t held_at = 0;
};

enum class HoldDecision { kRelease, kCancel };

// Held orders listed for officials at once; holds are rare (a suspension).
inline constexpr std::size_t kMaxHeldOrdersListed = 200;
// Shops with held orders listed at once (each was suspended by an official).
inline constexpr std::size_t kMaxHeldSellersListed = 5000;

class OrderService {
 public:
  OrderService(db::Database& db, const Clock& clock, const catalog::InventoryService& inventory,
               ShopDirectory& shops, Carrier& carrier, const places::PlaceService& places, CartService& carts,
               Notifications& notifications, OrderOptions options = {});

  // POST /api/v1/orders. `body` is the parsed request body.
  Result<CheckoutResult> Checkout(const Principal& buyer, std::string_view idempotency_key,
                                  const nlohmann::json& body);

  // One order with its history and the moves the caller may make.
  Result<nlohmann::json> Get(const Principal& principal, std::int64_t order_id);
  // The buyer's own orders, newest first.
  Result<OrderPage> ListForBuyer(const Principal& buyer, const ListOptions& options);
  // A shop's orders, newest first; kNotFound unless the principal manages it.
  Result<OrderPage> ListForShop(const Principal& principal, std::int64_t seller_id,
                                const ListOptions& options);
  // Moves an order along its lifecycle (lifecycle.hpp says who may do what),
  // records who, when and why, gives stock back on cancellation, marks it sold
  // on delivery, and notifies buyer and shop — all in one transaction.
  // Returns the order as Get does.
  Result<nlohmann::json> Transition(const Principal& principal, std::int64_t order_id,
                                    const TransitionInput& input);

  // --- Orders held after a suspension (order_holds.cpp) -----------------------
  // Holds the shop's open orders (placed, confirmed, packed; those with the
  // product when given) that are not held yet, and tells each buyer (in-app
  // and SMS outbox), in one transaction. The shop cannot move a held order;
  // its buyer may still cancel it. The caller (quality's enforcement) has
  // checked who asks. Returns how many orders it held.
  Result<std::int64_t> HoldOpenOrders(std::int64_t seller_id, std::optional<std::int64_t> product_id,
                                      const std::string& reason);
  // Shops with held orders still open (few: holds follow suspensions), at
  // most kMaxHeldSellersListed.
  Result<std::vector<std::int64_t>> HeldSellers();
  // Held orders still open of these shops, oldest hold first, skipping
  // `offset`, at most `limit` (the officer's area is chosen by the caller).
  Result<std::vector<HeldOrder>> HeldOrders(const std::vector<std::int64_t>& seller_ids, std::size_t offset,
                                            std::size_t limit);
  // The order when it is held and still open; nullopt otherwise.
  Result<std::optional<HeldOrder>> FindHeld(std::int64_t order_id);
  // An official's decision on a held order: released (the shop goes on) or
  // cancelled (stock back, buyer and shop told), with the official's note
  // kept in the history. 409 not_held when it is not held (any more).
  Result<HeldOrder> ResolveHold(std::int64_t order_id, HoldDecision decision, const std::string& note,
                                std::int64_t official_user_id);

  // The stock arithmetic of one product (for tests and operators).
  Result<StockCheck> CheckStock(std::int64_t product_id);

  const OrderOptions& options() const { return options_; }

  // Production lots (start-up wiring only; nullptr: orders know no lots).
  void SetLotLedger(LotLedger* lots) { lots_ = lots; }
  // Payment methods beyond cash on delivery (start-up wiring only; nullptr:
  // cash on delivery only).
  void SetPaymentMethods(PaymentMethods* payments) { payments_ = payments; }

  // ---- for the payments module, inside its write transaction on `c`
  // Records when the order's money arrived in full (once; later calls keep
  // the first time). Shown as paid_at.
  Status MarkPaidWith(db::Connection& c, std::int64_t order_id, std::int64_t at);
  // Cancels an unpaid order whose payment time ran out, as the platform, and
  // puts its stock back, with the history entry and notifications, as a
  // cancellation by a person does. False (nothing changed) when the order is
  // already paid, packed, shipped or closed.
  Result<bool> CancelUnpaidWith(db::Connection& c, std::int64_t order_id, const std::string& reason,
                                std::int64_t now);
  // The orders shipped under these tracking codes (a carrier's cash-on-
  // delivery remittance names orders by them): tracking code → order id.
  // Codes no order carries are absent.
  Result<std::map<std::string, std::int64_t>> OrdersByTrackingWith(db::Connection& c,
                                                                   const std::vector<std::string>& codes);

 private:
  struct ValidCheckout;
  // The body's own checks (shape, limits, address); nothing is read.
  Result<ValidCheckout> Validate(const nlohmann::json& body);
  // The checkout's orders, one per shop, with their lines, money and
  // shipping, from the products as read just before (`before`, in the order
  // of input.items); nothing is written.
  Result<std::vector<Order>> DraftOrders(const Principal& buyer, const ValidCheckout& input,
                                         const std::vector<catalog::ProductSnapshot>& before);
  // Places the checkout from the products as read just before (`before`, in
  // the order of input.items).
  Result<CheckoutResult> PlaceOnce(const Principal& buyer, const std::string& key,
                                   const std::string& request_hash, const ValidCheckout& input,
                                   const std::vector<catalog::ProductSnapshot>& before);
  // The stored answer for the buyer's key: nullopt when there is none,
  // 422 idempotency_mismatch when it was for another body.
  Result<std::optional<CheckoutResult>> ReplayWith(db::Connection& c, std::int64_t buyer_id,
                                                   const std::string& key, const std::string& request_hash);
  Result<std::vector<Party>> PartiesOf(const Principal& principal, const Order& order);
  Result<OrderPage> List(std::string_view where, db::Params params, const ListOptions& options);
  nlohmann::json View(const Order& order, const std::vector<Party>& parties) const;
  // Packing takes the lines' lots; shipping is refused while a lot is recalled or held.
  Status FollowLots(db::Connection& c, const Order& o, OrderStatus to, const std::vector<LotChoice>& choices,
                    std::int64_t now);
  // Adds each line's lots and the order's recall notices to a view.
  Status AddLots(nlohmann::json& view, std::int64_t order_id);
  // Moves `o` to `to` as `party` (checked by the caller) inside the caller's
  // transaction: status, history, stock and notifications.
  Status ApplyTransition(db::Connection& c, const Order& o, OrderStatus to, Party party,
                         std::int64_t actor_user_id, const std::string& reason, const std::string& tracking,
                         const std::vector<LotChoice>& lots, std::int64_t now);
  Result<std::optional<Order>> Load(db::Connection& c, std::int64_t order_id);

  db::Database& db_;
  const Clock& clock_;
  const catalog::InventoryService& inventory_;
  ShopDirectory& shops_;
  Carrier& carrier_;
  const places::PlaceService& places_;
  CartService& carts_;
  Notifications& notifications_;
  const OrderOptions options_;
  LotLedger* lots_ = nullptr;
  PaymentMethods* payments_ = nullptr;
};

}  // namespace nongsan::orders
