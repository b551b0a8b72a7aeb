// Which products a certificate covered at the end of a given day, for
// figures (the programme module's certified_products and
// ocop_products_listed), read from the quality module's own tables by its own
// rule for "valid on a day" (verified, issued on or before it, expiring on or
// after it — the rule QualityService applies for today), as the platform knew
// it then: verified before the day ended and not revoked by then. A
// certificate verified late does not count for the days before its
// verification; one revoked later still counts for the days before.
// Aggregate use only; no authorization. Stateless over the database;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::quality {

struct ProductCoverage {
  std::int64_t product_id = 0;
  bool ocop = false;  // among its valid certificates, an OCOP rating
};

// Products with at least one certificate valid at the end of `day` (days
// since 1970-01-01, Vietnam time), by product id. All provinces: a product
// may be said to come from a commune outside its shop's province.
Result<std::vector<ProductCoverage>> CoveredProductsOn(db::Database& db, std::int64_t day);

}  // namespace nongsan::quality
