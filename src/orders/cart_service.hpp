// Shopping carts. A signed-in buyer has one cart kept on the server; a guest
// browser has one too, known by a random token in the `nongsan_cart` cookie
// (stored only as its SHA-256), and it is merged into the buyer's cart when
// they sign in (MergeGuestCart, called by the accounts login, and by the cart
// routes whenever a signed-in request still carries the cookie).
//
// One cart holds products of many shops; reading it groups the lines by shop
// with each product's current price and stock, and flags every line that
// changed since it was added (price up or down, no longer on sale, not
// enough stock). Checkout re-checks all of it.
//
// Thread-safety: safe to call from any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/inventory_service.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/shop_directory.hpp"

namespace nongsan::orders {

// The cookie holding a guest's cart token.
inline constexpr std::string_view kCartCookie = "nongsan_cart";
inline constexpr std::size_t kCartTokenBytes = 24;
// Tokens longer than this are not ours; refused before hashing.
inline constexpr std::size_t kMaxCartTokenChars = 64;
// A guest cart cookie lives this long (renewed on each write).
inline constexpr std::int64_t kGuestCartLifetimeMs = 30 * kMsPerDay;
// Distinct products one cart (and one checkout) may hold.
inline constexpr std::size_t kMaxCartLines = 100;
// Most units of one product on one line. Far above any household's stock of
// one product, far below an accident ("1000000 kg").
inline constexpr std::int64_t kMaxLineQuantity = 10'000;
static_assert(kMaxLineQuantity <= catalog::kMaxMovementQuantity);

// Whose cart: a signed-in user's, or a guest's by cookie token.
struct CartOwner {
  std::int64_t user_id = 0;  // > 0 for a signed-in buyer
  std::string guest_token;   // otherwise
};

// What changed about a line since it was added.
enum class LineChange { kPriceUp, kPriceDown, kUnavailable, kNotEnoughStock };
const char* LineChangeName(LineChange c);

struct CartLineView {
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
  std::int64_t price_vnd_at_add = 0;
  std::int64_t added_at = 0;
  // From the catalogue now (absent when the product was deleted).
  bool found = false;
  std::string sku;
  std::string name;
  std::string unit;
  std::string cover_photo;
  std::int64_t unit_price_vnd = 0;
  std::int64_t available = 0;
  std::int64_t weight_grams = 0;
  bool orderable = false;
  std::int64_t line_total_vnd = 0;
  std::vector<LineChange> changes;
};

struct CartShopGroup {
  ShopSummary shop;
  std::vector<CartLineView> lines;
  std::int64_t subtotal_vnd = 0;  // of its orderable lines
};

struct CartView {
  std::vector<CartShopGroup> shops;       // in order of first addition
  std::vector<CartLineView> unavailable;  // products that no longer exist
  std::int64_t subtotal_vnd = 0;
  std::int64_t item_count = 0;
  bool changed = false;  // any line changed since it was added
};

nlohmann::json CartJson(const CartView& cart);

// A stored line, as checkout takes it.
struct CartItem {
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
};

// Told when a product is added to a cart, for aggregate demand figures (the
// programme module implements it). Called after the write commits, on the
// request thread: count in memory and return at once. Nothing about the
// cart's owner is passed.
class CartObserver {
 public:
  virtual ~CartObserver() = default;
  virtual void OnAddedToCart(std::int64_t product_id) = 0;
};

class CartService {
 public:
  CartService(db::Database& db, const Clock& clock, const catalog::InventoryService& inventory,
              ShopDirectory& shops);

  // A fresh guest token for the cookie.
  static std::string NewGuestToken();
  // True when `token` looks like one of ours (before it is used as a key).
  static bool IsWellFormedToken(std::string_view token);

  // Start-up wiring only (nullptr: none).
  void SetObserver(CartObserver* observer) { observer_ = observer; }

  Result<CartView> Get(const CartOwner& owner);
  // How many products (lines) the cart holds, for the count in every page's
  // header: one indexed count, without loading the products.
  Result<std::int64_t> LineCount(const CartOwner& owner);
  // Adds quantity to the line (creating it); the product must be on sale and
  // the new quantity within kMaxLineQuantity and the stock available.
  Status Add(const CartOwner& owner, std::int64_t product_id, std::int64_t quantity);
  // Sets the line's quantity (creating it); 0 removes it.
  Status SetQuantity(const CartOwner& owner, std::int64_t product_id, std::int64_t quantity);
  // kNotFound when the product is not in the cart.
  Status Remove(const CartOwner& owner, std::int64_t product_id);
  Status Clear(const CartOwner& owner);

  // Moves the guest cart's lines into the user's cart (quantities add up,
  // capped at kMaxLineQuantity; lines past kMaxCartLines are dropped) and
  // deletes the guest cart. Returns the number of lines merged; a token with
  // no cart merges nothing.
  Result<int> MergeGuestCart(std::string_view guest_token, std::int64_t user_id);

  // The user's lines, oldest first (for checkout from the cart), read on the caller's connection.
  Result<std::vector<CartItem>> ItemsWith(db::Connection& c, std::int64_t user_id);
  // Removes those products from the user's cart, inside the checkout's transaction.
  Status RemoveItemsWith(db::Connection& c, std::int64_t user_id,
                         const std::vector<std::int64_t>& product_ids);

 private:
  // The owner's cart id, creating the cart when `create` (else nullopt).
  Result<std::optional<std::int64_t>> CartIdWith(db::Connection& c, const CartOwner& owner, bool create);
  Status Write(const CartOwner& owner, std::int64_t product_id, std::int64_t quantity, bool add);

  db::Database& db_;
  const Clock& clock_;
  const catalog::InventoryService& inventory_;
  ShopDirectory& shops_;
  CartObserver* observer_ = nullptr;
};

}  // namespace nongsan::orders
