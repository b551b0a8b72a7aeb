// Stock for the orders module. Every operation runs inside a transaction the
// caller owns (the order's), so taking stock and writing the order commit or
// roll back together. Stock is taken by one conditional decrement
//   UPDATE … SET stock = stock - ? WHERE id = ? AND stock >= ? AND status = 'active' …
// so it can never oversell on either backend, whatever the concurrency.
//
// Every movement is also written to catalog_stock_ledger, so for any product
//   initial + restock = available + held + sold
// where held = reserve − release − sale and sold = sale (see StockAccount).
//
// Thread-safety: stateless apart from the clock; safe from any thread. The
// Connection must be a write transaction (Database::Write) for the mutating calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/product.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

// Largest quantity of one product in one movement (one order line).
inline constexpr std::int64_t kMaxMovementQuantity = 100'000;

// What an order line copies from the product when it is placed.
struct ProductSnapshot {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string sku;
  std::string name;
  std::string unit;
  std::int64_t price_vnd = 0;
  std::int64_t weight_grams = 0;
  std::int64_t stock = 0;
  ProductStatus status = ProductStatus::kDraft;
  bool seller_visible = false;
  std::string cover_photo;  // storage key, "" if none

  // May be ordered now (stock aside).
  bool Orderable() const { return status == ProductStatus::kActive && seller_visible; }
};

// The ledger summed for one product, and the stock column beside it.
struct StockAccount {
  std::int64_t initial = 0;
  std::int64_t restocked = 0;  // signed: corrections may be negative
  std::int64_t available = 0;  // catalog_products.stock
  std::int64_t held = 0;       // reserved by open orders
  std::int64_t sold = 0;
  bool Balanced() const { return initial + restocked == available + held + sold; }
};

class InventoryService {
 public:
  explicit InventoryService(const Clock& clock) : clock_(clock) {}

  // The product as an order line needs it; kNotFound if missing or deleted.
  Result<ProductSnapshot> GetForOrder(db::Connection& c, std::int64_t product_id) const;

  // Takes qty (1..kMaxMovementQuantity) from stock for `reference` (e.g. an
  // order id) and returns the stock left. Errors: kConflict "out_of_stock"
  // (extra: product_id, requested, available) when stock is short;
  // kConflict "product_unavailable" when the product is not active or its
  // shop is hidden; kNotFound when it does not exist; kInvalid for a bad qty.
  Result<std::int64_t> Reserve(db::Connection& c, std::int64_t product_id, std::int64_t qty,
                               std::string_view reference) const;
  // Puts back qty held for `reference` (a cancelled order). Refuses (kConflict
  // "not_held") to release more than the reference holds, so a retried cancel
  // cannot add stock twice. Works whatever the product's status. Returns the
  // stock after.
  Result<std::int64_t> Release(db::Connection& c, std::int64_t product_id, std::int64_t qty,
                               std::string_view reference) const;
  // Marks qty held for `reference` as sold (delivered); stock is unchanged.
  // Refuses (kConflict "not_held") more than the reference holds.
  Status ConfirmSale(db::Connection& c, std::int64_t product_id, std::int64_t qty,
                     std::string_view reference) const;
  // The seller's stock correction: adds delta (may be negative) to stock;
  // kConflict "out_of_stock" if that would go below zero. Returns the stock after.
  Result<std::int64_t> Restock(db::Connection& c, std::int64_t product_id, std::int64_t delta,
                               std::string_view reference) const;

  Result<StockAccount> Account(db::Connection& c, std::int64_t product_id) const;
  // What `reference` holds of the product now (reserve − release − sale).
  Result<std::int64_t> HeldBy(db::Connection& c, std::int64_t product_id, std::string_view reference) const;

 private:
  const Clock& clock_;
};

}  // namespace nongsan::catalog
