#include "orders/cart_service.hpp"

#include <algorithm>
#include <map>

#include "core/ids.hpp"
#include "core/money.hpp"

namespace nongsan::orders {
namespace {

constexpr std::string_view kSelectUserCart = "SELECT id FROM orders_carts WHERE user_id = ?";
constexpr std::string_view kSelectGuestCart = "SELECT id FROM orders_carts WHERE guest_token_hash = ?";
constexpr std::string_view kInsertUserCart =
    "INSERT INTO orders_carts (user_id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO "
    "NOTHING";
constexpr std::string_view kInsertGuestCart =
    "INSERT INTO orders_carts (guest_token_hash, created_at, updated_at) VALUES (?, ?, ?) "
    "ON CONFLICT (guest_token_hash) DO NOTHING";
constexpr std::string_view kTouchCart = "UPDATE orders_carts SET updated_at = ? WHERE id = ?";
constexpr std::string_view kSelectLines =
    "SELECT product_id, quantity, price_vnd_at_add, added_at FROM orders_cart_lines WHERE cart_id = ? "
    "ORDER BY added_at, product_id";
constexpr std::string_view kSelectLine =
    "SELECT quantity FROM orders_cart_lines WHERE cart_id = ? AND product_id = ?";
constexpr std::string_view kCountLines = "SELECT COUNT(*) FROM orders_cart_lines WHERE cart_id = ?";
constexpr std::string_view kInsertLine =
    "INSERT INTO orders_cart_lines (cart_id, product_id, quantity, price_vnd_at_add, added_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateLine =
    "UPDATE orders_cart_lines SET quantity = ?, price_vnd_at_add = ?, updated_at = ? "
    "WHERE cart_id = ? AND product_id = ?";
constexpr std::string_view kDeleteLine = "DELETE FROM orders_cart_lines WHERE cart_id = ? AND product_id = ?";
constexpr std::string_view kDeleteLines = "DELETE FROM orders_cart_lines WHERE cart_id = ?";
constexpr std::string_view kDeleteCart = "DELETE FROM orders_carts WHERE id = ?";
constexpr std::string_view kSelectUserItems =
    "SELECT l.product_id, l.quantity FROM orders_cart_lines l JOIN orders_carts c ON c.id = l.cart_id "
    "WHERE c.user_id = ? ORDER BY l.added_at, l.product_id";

struct StoredLine {
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
  std::int64_t price_vnd_at_add = 0;
  std::int64_t added_at = 0;
};

Result<std::vector<StoredLine>> LoadLines(db::Connection& c, std::int64_t cart_id) {
  TRY_ASSIGN(db::Rows rows, c.Query(kSelectLines, {cart_id}));
  std::vector<StoredLine> lines;
  for (const db::Row& r : rows) lines.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3)});
  return lines;
}

Error ProductUnavailable(std::int64_t product_id) {
  Error e = Error::Conflict("product_unavailable", "This product is not on sale now.");
  e.extra = {{"products", {{{"product_id", product_id}, {"reason", "not_on_sale"}}}}};
  return e;
}

Error NotEnoughStock(std::int64_t product_id, std::int64_t requested, std::int64_t available) {
  Error e = Error::Conflict("out_of_stock", "Only " + std::to_string(available) + " left of this product.");
  e.extra = {
      {"products", {{{"product_id", product_id}, {"requested", requested}, {"available", available}}}}};
  return e;
}

Error TooLarge() {
  return Error::Unprocessable("amount_too_large",
                              "The amount for this line is larger than the platform accepts.");
}

Status CheckQuantity(std::int64_t quantity, std::int64_t min) {
  if (quantity < min || quantity > kMaxLineQuantity) {
    return Error::Field("quantity", "must be a whole number from " + std::to_string(min) + " to " +
                                        std::to_string(kMaxLineQuantity));
  }
  return Ok{};
}

}  // namespace

const char* LineChangeName(LineChange c) {
  switch (c) {
    case LineChange::kPriceUp:
      return "price_up";
    case LineChange::kPriceDown:
      return "price_down";
    case LineChange::kUnavailable:
      return "unavailable";
    case LineChange::kNotEnoughStock:
      return "not_enough_stock";
  }
  return "unavailable";
}

nlohmann::json CartJson(const CartView& cart) {
  auto line_json = [](const CartLineView& l) {
    nlohmann::json changes = nlohmann::json::array();
    for (LineChange c : l.changes) changes.push_back(LineChangeName(c));
    nlohmann::json j = {{"product_id", l.product_id},
                        {"quantity", l.quantity},
                        {"price_vnd_at_add", l.price_vnd_at_add},
                        {"added_at", timefmt::Rfc3339(l.added_at)},
                        {"changed_since_added", !l.changes.empty()},
                        {"changes", std::move(changes)}};
    if (l.found) {
      j.update(
          {{"sku", l.sku},
           {"name", l.name},
           {"unit", l.unit},
           {"cover_photo", l.cover_photo.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.cover_photo)},
           {"unit_price_vnd", l.unit_price_vnd},
           {"line_total_vnd", l.line_total_vnd},
           {"available", l.available},
           {"weight_grams", l.weight_grams},
           {"orderable", l.orderable}});
    }
    return j;
  };
  nlohmann::json shops = nlohmann::json::array();
  for (const CartShopGroup& g : cart.shops) {
    nlohmann::json lines = nlohmann::json::array();
    for (const CartLineView& l : g.lines) lines.push_back(line_json(l));
    shops.push_back(
        {{"shop", {{"id", g.shop.id}, {"name", g.shop.name}, {"accepting_orders", g.shop.accepting_orders}}},
         {"lines", std::move(lines)},
         {"subtotal_vnd", g.subtotal_vnd}});
  }
  nlohmann::json unavailable = nlohmann::json::array();
  for (const CartLineView& l : cart.unavailable) unavailable.push_back(line_json(l));
  return {{"shops", std::move(shops)},
          {"unavailable", std::move(unavailable)},
          {"subtotal_vnd", cart.subtotal_vnd},
          {"item_count", cart.item_count},
          {"changed", cart.changed}};
}

CartService::CartService(db::Database& db, const Clock& clock, const catalog::InventoryService& inventory,
                         ShopDirectory& shops)
    : db_(db), clock_(clock), inventory_(inventory), shops_(shops) {}

std::string CartService::NewGuestToken() { return ids::RandomToken(kCartTokenBytes); }

bool CartService::IsWellFormedToken(std::string_view token) {
  if (token.empty() || token.size() > kMaxCartTokenChars) return false;
  return std::all_of(token.begin(), token.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' ||
           ch == '_';
  });
}

Result<std::optional<std::int64_t>> CartService::CartIdWith(db::Connection& c, const CartOwner& owner,
                                                            bool create) {
  const bool is_user = owner.user_id > 0;
  if (!is_user && !IsWellFormedToken(owner.guest_token)) {
    if (!create) return std::optional<std::int64_t>();
    return Error::Invalid("The cart cookie is malformed.");
  }
  const db::Value key = is_user ? db::Value{owner.user_id} : db::Value{ids::Sha256Hex(owner.guest_token)};
  TRY_ASSIGN(auto row, c.QueryOne(is_user ? kSelectUserCart : kSelectGuestCart, {key}));
  if (row) return std::optional<std::int64_t>(row->Int(0));
  if (!create) return std::optional<std::int64_t>();
  const std::int64_t now = clock_.NowMs();
  // ON CONFLICT: a concurrent request may have created it a moment ago.
  TRY(c.Exec(is_user ? kInsertUserCart : kInsertGuestCart, {key, now, now}));
  TRY_ASSIGN(row, c.QueryOne(is_user ? kSelectUserCart : kSelectGuestCart, {key}));
  if (!row) return Error::Internal("cart vanished after insert");
  return std::optional<std::int64_t>(row->Int(0));
}

Result<std::int64_t> CartService::LineCount(const CartOwner& owner) {
  return db_.Read([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(auto cart_id, CartIdWith(c, owner, false));
    if (!cart_id) return std::int64_t{0};
    return c.QueryInt(kCountLines, {*cart_id});
  });
}

Result<CartView> CartService::Get(const CartOwner& owner) {
  struct Loaded {
    StoredLine line;
    std::optional<catalog::ProductSnapshot> product;
  };
  TRY_ASSIGN(std::vector<Loaded> loaded, db_.Read([&](db::Connection& c) -> Result<std::vector<Loaded>> {
    std::vector<Loaded> out;
    TRY_ASSIGN(auto cart_id, CartIdWith(c, owner, false));
    if (!cart_id) return out;
    TRY_ASSIGN(std::vector<StoredLine> lines, LoadLines(c, *cart_id));
    for (const StoredLine& line : lines) {
      auto snapshot = inventory_.GetForOrder(c, line.product_id);
      if (!snapshot.ok() && snapshot.error().code != ErrorCode::kNotFound) return std::move(snapshot).error();
      out.push_back({line, snapshot.ok() ? std::optional(std::move(snapshot).value()) : std::nullopt});
    }
    return out;
  }));

  CartView view;
  std::map<std::int64_t, std::size_t> group_of_shop;
  for (Loaded& l : loaded) {
    CartLineView v;
    v.product_id = l.line.product_id;
    v.quantity = l.line.quantity;
    v.price_vnd_at_add = l.line.price_vnd_at_add;
    v.added_at = l.line.added_at;
    view.item_count += v.quantity;
    if (!l.product) {
      v.changes.push_back(LineChange::kUnavailable);
      view.changed = true;
      view.unavailable.push_back(std::move(v));
      continue;
    }
    const catalog::ProductSnapshot& p = *l.product;
    auto group = group_of_shop.find(p.seller_id);
    if (group == group_of_shop.end()) {
      TRY_ASSIGN(auto shop, shops_.Find(p.seller_id));
      CartShopGroup g;
      g.shop = shop ? *shop : ShopSummary{p.seller_id, "", "", false};
      view.shops.push_back(std::move(g));
      group = group_of_shop.emplace(p.seller_id, view.shops.size() - 1).first;
    }
    CartShopGroup& g = view.shops[group->second];
    v.found = true;
    v.sku = p.sku;
    v.name = p.name;
    v.unit = p.unit;
    v.cover_photo = p.cover_photo;
    v.unit_price_vnd = p.price_vnd;
    v.available = p.stock;
    v.weight_grams = p.weight_grams;
    v.orderable = p.Orderable() && g.shop.accepting_orders;
    auto total = money::MulVnd(p.price_vnd, v.quantity);
    if (!total) return TooLarge();
    v.line_total_vnd = *total;
    if (p.price_vnd > v.price_vnd_at_add) v.changes.push_back(LineChange::kPriceUp);
    if (p.price_vnd < v.price_vnd_at_add) v.changes.push_back(LineChange::kPriceDown);
    if (!v.orderable)
      v.changes.push_back(LineChange::kUnavailable);
    else if (p.stock < v.quantity)
      v.changes.push_back(LineChange::kNotEnoughStock);
    view.changed = view.changed || !v.changes.empty();
    if (v.orderable) {
      auto subtotal = money::AddVnd(g.subtotal_vnd, v.line_total_vnd);
      auto grand = subtotal ? money::AddVnd(view.subtotal_vnd, v.line_total_vnd) : std::nullopt;
      if (!grand) return TooLarge();
      g.subtotal_vnd = *subtotal;
      view.subtotal_vnd = *grand;
    }
    g.lines.push_back(std::move(v));
  }
  return view;
}

Status CartService::Write(const CartOwner& owner, std::int64_t product_id, std::int64_t quantity, bool add) {
  if (product_id <= 0) return Error::Field("product_id", "must be a positive product id");
  TRY(CheckQuantity(quantity, add ? 1 : 0));
  return db_.Write([&](db::Connection& c) -> Status {
    const std::int64_t now = clock_.NowMs();
    if (quantity == 0) {
      TRY_ASSIGN(auto cart_id, CartIdWith(c, owner, false));
      if (cart_id) TRY(c.Exec(kDeleteLine, {*cart_id, product_id}));
      return Ok{};
    }
    auto snapshot = inventory_.GetForOrder(c, product_id);
    if (!snapshot.ok()) return std::move(snapshot).error();
    TRY_ASSIGN(auto cart_id, CartIdWith(c, owner, true));
    TRY_ASSIGN(auto existing, c.QueryOne(kSelectLine, {*cart_id, product_id}));
    if (!snapshot->Orderable()) {
      // A product the public cannot see is "no such product", as on its own
      // page, to anyone who does not already hold it in this cart (nothing
      // is written: the error rolls the cart back).
      if (!existing) return Error::NotFound("product");
      return ProductUnavailable(product_id);
    }
    const std::int64_t new_quantity = add && existing ? existing->Int(0) + quantity : quantity;
    TRY(CheckQuantity(new_quantity, 1));
    if (new_quantity > snapshot->stock) return NotEnoughStock(product_id, new_quantity, snapshot->stock);
    if (!money::MulVnd(snapshot->price_vnd, new_quantity)) return TooLarge();
    if (existing) {
      TRY(c.Exec(kUpdateLine, {new_quantity, snapshot->price_vnd, now, *cart_id, product_id}));
    } else {
      TRY_ASSIGN(std::int64_t count, c.QueryInt(kCountLines, {*cart_id}));
      if (count >= static_cast<std::int64_t>(kMaxCartLines)) {
        return Error::Unprocessable("cart_full",
                                    "A cart holds at most " + std::to_string(kMaxCartLines) + " products.");
      }
      TRY(c.Exec(kInsertLine, {*cart_id, product_id, new_quantity, snapshot->price_vnd, now, now}));
    }
    TRY(c.Exec(kTouchCart, {now, *cart_id}));
    return Ok{};
  });
}

Status CartService::Add(const CartOwner& owner, std::int64_t product_id, std::int64_t quantity) {
  TRY(Write(owner, product_id, quantity, true));
  if (observer_ != nullptr) observer_->OnAddedToCart(product_id);
  return Ok{};
}

Status CartService::SetQuantity(const CartOwner& owner, std::int64_t product_id, std::int64_t quantity) {
  return Write(owner, product_id, quantity, false);
}

Status CartService::Remove(const CartOwner& owner, std::int64_t product_id) {
  return db_.Write([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto cart_id, CartIdWith(c, owner, false));
    if (!cart_id) return Error::NotFound("product in the cart");
    TRY_ASSIGN(std::int64_t removed, c.Exec(kDeleteLine, {*cart_id, product_id}));
    if (removed == 0) return Error::NotFound("product in the cart");
    return Ok{};
  });
}

Status CartService::Clear(const CartOwner& owner) {
  return db_.Write([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto cart_id, CartIdWith(c, owner, false));
    if (cart_id) TRY(c.Exec(kDeleteLines, {*cart_id}));
    return Ok{};
  });
}

Result<int> CartService::MergeGuestCart(std::string_view guest_token, std::int64_t user_id) {
  if (!IsWellFormedToken(guest_token) || user_id <= 0) return 0;
  return db_.Write([&](db::Connection& c) -> Result<int> {
    TRY_ASSIGN(auto guest_cart, CartIdWith(c, CartOwner{0, std::string(guest_token)}, false));
    if (!guest_cart) return 0;
    TRY_ASSIGN(auto user_cart, CartIdWith(c, CartOwner{user_id, ""}, true));
    TRY_ASSIGN(std::vector<StoredLine> guest_lines, LoadLines(c, *guest_cart));
    TRY_ASSIGN(std::vector<StoredLine> user_lines, LoadLines(c, *user_cart));
    std::map<std::int64_t, std::int64_t> user_quantity;
    for (const StoredLine& l : user_lines) user_quantity[l.product_id] = l.quantity;
    const std::int64_t now = clock_.NowMs();
    int merged = 0;
    for (const StoredLine& l : guest_lines) {
      auto mine = user_quantity.find(l.product_id);
      if (mine != user_quantity.end()) {
        const std::int64_t quantity = std::min(mine->second + l.quantity, kMaxLineQuantity);
        TRY(c.Exec(
            "UPDATE orders_cart_lines SET quantity = ?, updated_at = ? WHERE cart_id = ? AND product_id = ?",
            {quantity, now, *user_cart, l.product_id}));
      } else {
        if (user_quantity.size() >= kMaxCartLines) continue;
        TRY(c.Exec(kInsertLine, {*user_cart, l.product_id, l.quantity, l.price_vnd_at_add, l.added_at, now}));
        user_quantity[l.product_id] = l.quantity;
      }
      ++merged;
    }
    TRY(c.Exec(kDeleteLines, {*guest_cart}));
    TRY(c.Exec(kDeleteCart, {*guest_cart}));
    TRY(c.Exec(kTouchCart, {now, *user_cart}));
    return merged;
  });
}

Result<std::vector<CartItem>> CartService::ItemsWith(db::Connection& c, std::int64_t user_id) {
  TRY_ASSIGN(db::Rows rows, c.Query(kSelectUserItems, {user_id}));
  std::vector<CartItem> items;
  for (const db::Row& r : rows) items.push_back({r.Int(0), r.Int(1)});
  return items;
}

Status CartService::RemoveItemsWith(db::Connection& c, std::int64_t user_id,
                                    const std::vector<std::int64_t>& product_ids) {
  if (product_ids.empty()) return Ok{};
  std::string sql =
      "DELETE FROM orders_cart_lines WHERE cart_id = (SELECT id FROM orders_carts WHERE user_id = ?) "
      "AND product_id IN (";
  db::Params params{user_id};
  for (std::size_t i = 0; i < product_ids.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.push_back(product_ids[i]);
  }
  sql += ")";
  TRY(c.Exec(sql, params));
  return Ok{};
}

}  // namespace nongsan::orders
