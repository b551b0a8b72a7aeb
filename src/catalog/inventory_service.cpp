#include "catalog/inventory_service.hpp"

#include <string>

#include "catalog/change_log.hpp"

namespace nongsan::catalog {
namespace {

Status CheckQuantity(std::int64_t qty) {
  if (qty < 1 || qty > kMaxMovementQuantity) {
    return Error::Field("quantity", "must be from 1 to " + std::to_string(kMaxMovementQuantity));
  }
  return Ok{};
}

Status AddLedger(db::Connection& c, std::int64_t product_id, const char* kind, std::int64_t qty,
                 std::string_view reference, std::int64_t now) {
  TRY(
      c.Exec("INSERT INTO catalog_stock_ledger (product_id, kind, quantity, reference, created_at) "
             "VALUES (?, ?, ?, ?, ?)",
             {product_id, std::string(kind), qty, std::string(reference), now}));
  return Ok{};
}

// Search ranks in-stock products first, so the index hears when a product
// runs out or comes back, and not on every movement.
Status LogIfStockCrossedZero(db::Connection& c, std::int64_t product_id, std::int64_t before,
                             std::int64_t after, std::int64_t now) {
  if ((before == 0) != (after == 0)) return LogProductChange(c, product_id, now);
  return Ok{};
}

Error OutOfStock(std::int64_t product_id, std::int64_t requested, std::int64_t available) {
  Error e = Error::Conflict("out_of_stock", "Not enough stock: " + std::to_string(available) + " left.");
  e.extra = {{"product_id", product_id}, {"requested", requested}, {"available", available}};
  return e;
}

}  // namespace

Result<ProductSnapshot> InventoryService::GetForOrder(db::Connection& c, std::int64_t product_id) const {
  TRY_ASSIGN(auto row,
             c.QueryOne("SELECT id, seller_id, sku, name, unit, price_vnd, weight_grams, stock, status, "
                        "seller_visible, cover_photo FROM catalog_products "
                        "WHERE id = ? AND deleted_at IS NULL",
                        {product_id}));
  if (!row) return Error::NotFound("product");
  ProductSnapshot s;
  s.id = row->Int(0);
  s.seller_id = row->Int(1);
  s.sku = row->Text(2);
  s.name = row->Text(3);
  s.unit = row->Text(4);
  s.price_vnd = row->Int(5);
  s.weight_grams = row->Int(6);
  s.stock = row->Int(7);
  s.status = ParseStatus(row->Text(8)).value_or(ProductStatus::kHidden);
  s.seller_visible = row->Int(9) != 0;
  s.cover_photo = row->Text(10);
  return s;
}

Result<std::int64_t> InventoryService::Reserve(db::Connection& c, std::int64_t product_id, std::int64_t qty,
                                               std::string_view reference) const {
  TRY(CheckQuantity(qty));
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(db::Rows taken,
             c.Query("UPDATE catalog_products SET stock = stock - ? WHERE id = ? AND stock >= ? "
                     "AND status = 'active' AND seller_visible = 1 AND deleted_at IS NULL RETURNING stock",
                     {qty, product_id, qty}));
  if (taken.empty()) {
    TRY_ASSIGN(ProductSnapshot snapshot, GetForOrder(c, product_id));
    if (!snapshot.Orderable()) {
      Error e = Error::Conflict("product_unavailable", "This product is not on sale now.");
      e.extra = {{"product_id", product_id}};
      return e;
    }
    return OutOfStock(product_id, qty, snapshot.stock);
  }
  const std::int64_t left = taken[0].Int(0);
  TRY(AddLedger(c, product_id, "reserve", qty, reference, now));
  TRY(LogIfStockCrossedZero(c, product_id, left + qty, left, now));
  return left;
}

Result<std::int64_t> InventoryService::HeldBy(db::Connection& c, std::int64_t product_id,
                                              std::string_view reference) const {
  return c.QueryInt(
      "SELECT COALESCE(SUM(CASE kind WHEN 'reserve' THEN quantity ELSE -quantity END), 0) "
      "FROM catalog_stock_ledger WHERE product_id = ? AND reference = ? AND kind IN ('reserve', 'release', "
      "'sale')",
      {product_id, std::string(reference)});
}

Result<std::int64_t> InventoryService::Release(db::Connection& c, std::int64_t product_id, std::int64_t qty,
                                               std::string_view reference) const {
  TRY(CheckQuantity(qty));
  TRY_ASSIGN(std::int64_t held, HeldBy(c, product_id, reference));
  if (qty > held) {
    Error e =
        Error::Conflict("not_held", "This order holds only " + std::to_string(held) + " of the product.");
    e.extra = {{"product_id", product_id}, {"held", held}};
    return e;
  }
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(db::Rows rows,
             c.Query("UPDATE catalog_products SET stock = stock + ? WHERE id = ? RETURNING stock",
                     {qty, product_id}));
  if (rows.empty()) return Error::NotFound("product");
  const std::int64_t after = rows[0].Int(0);
  TRY(AddLedger(c, product_id, "release", qty, reference, now));
  TRY(LogIfStockCrossedZero(c, product_id, after - qty, after, now));
  return after;
}

Status InventoryService::ConfirmSale(db::Connection& c, std::int64_t product_id, std::int64_t qty,
                                     std::string_view reference) const {
  TRY(CheckQuantity(qty));
  TRY_ASSIGN(std::int64_t held, HeldBy(c, product_id, reference));
  if (qty > held) {
    Error e =
        Error::Conflict("not_held", "This order holds only " + std::to_string(held) + " of the product.");
    e.extra = {{"product_id", product_id}, {"held", held}};
    return e;
  }
  return AddLedger(c, product_id, "sale", qty, reference, clock_.NowMs());
}

Result<std::int64_t> InventoryService::Restock(db::Connection& c, std::int64_t product_id, std::int64_t delta,
                                               std::string_view reference) const {
  if (delta < -kMaxStock || delta > kMaxStock) {
    return Error::Field("stock", "a change of stock must be within ±" + std::to_string(kMaxStock));
  }
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(
      db::Rows rows,
      c.Query("UPDATE catalog_products SET stock = stock + ?, updated_at = ? "
              "WHERE id = ? AND deleted_at IS NULL AND stock + ? >= 0 AND stock + ? <= ? RETURNING stock",
              {delta, now, product_id, delta, delta, kMaxStock}));
  if (rows.empty()) {
    TRY_ASSIGN(ProductSnapshot snapshot, GetForOrder(c, product_id));
    if (snapshot.stock + delta > kMaxStock) {
      return Error::Field("stock", "must be at most " + std::to_string(kMaxStock));
    }
    return OutOfStock(product_id, -delta, snapshot.stock);
  }
  const std::int64_t after = rows[0].Int(0);
  if (delta != 0) TRY(AddLedger(c, product_id, "restock", delta, reference, now));
  TRY(LogIfStockCrossedZero(c, product_id, after - delta, after, now));
  return after;
}

Result<StockAccount> InventoryService::Account(db::Connection& c, std::int64_t product_id) const {
  TRY_ASSIGN(auto stock, c.QueryOne("SELECT stock FROM catalog_products WHERE id = ?", {product_id}));
  if (!stock) return Error::NotFound("product");
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT kind, COALESCE(SUM(quantity), 0) FROM catalog_stock_ledger "
                                    "WHERE product_id = ? GROUP BY kind",
                                    {product_id}));
  StockAccount a;
  a.available = stock->Int(0);
  std::int64_t reserved = 0;
  std::int64_t released = 0;
  for (const auto& r : rows) {
    const std::string kind = r.Text(0);
    const std::int64_t sum = r.Int(1);
    if (kind == "initial")
      a.initial = sum;
    else if (kind == "restock")
      a.restocked = sum;
    else if (kind == "reserve")
      reserved = sum;
    else if (kind == "release")
      released = sum;
    else if (kind == "sale")
      a.sold = sum;
  }
  a.held = reserved - released - a.sold;
  return a;
}

}  // namespace nongsan::catalog
