// The catalogue's repository: SQL over catalog_products and catalog_photos,
// shared by the services in this module (and nothing outside it). Functions
// take the caller's connection, so they compose inside one transaction.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/product.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog::store {

// The label columns, in LabelTextFields() order then shelf_life_days, and
// their values for a product (for inserts written elsewhere in the module).
inline constexpr const char* kLabelColumnNames =
    "brand, net_quantity, ingredients, usage_instructions, storage_instructions, warnings, shelf_life_days";
inline constexpr std::size_t kLabelColumnCount = 7;
db::Params LabelParams(const LabelData& label);

// A product that is not deleted, with its photos.
Result<std::optional<Product>> Load(db::Connection& c, std::int64_t id);
// Several products by id (no photos), in no particular order; deleted ones
// are skipped.
Result<std::vector<Product>> LoadMany(db::Connection& c, const std::vector<std::int64_t>& ids);
Result<std::vector<Photo>> LoadPhotos(db::Connection& c, std::int64_t product_id);

// Inserts p (id, created_at and updated_at are taken from it except id) and
// returns the new id; an 'initial' ledger row records the opening stock.
Result<std::int64_t> Insert(db::Connection& c, const Product& p);
// Writes every editable column of p (not stock, which moves through the
// ledger, nor status-of-suspension bookkeeping).
Status Update(db::Connection& c, const Product& p);

// Page of a shop's products, newest first, ids below `before_id` (0 = from
// the top). public_only keeps active products of a visible shop.
Result<std::vector<Product>> ListBySeller(db::Connection& c, const std::vector<std::int64_t>& seller_ids,
                                          bool public_only, std::optional<ProductStatus> status,
                                          std::int64_t before_id, int limit);

}  // namespace nongsan::catalog::store
