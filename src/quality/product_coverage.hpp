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

// The same rule for the given products only, on the caller's connection (so
// inside a decision's transaction it sees the decision): those of them
// covered at the end of `day`, by product id.
Result<std::vector<ProductCoverage>> CoverageOfProducts(db::Connection& c, std::int64_t day,
                                                        const std::vector<std::int64_t>& product_ids);

// The products a certificate names, by id (what a decision on it can change).
Result<std::vector<std::int64_t>> CertificateProductIds(db::Connection& c, std::int64_t certificate_id);

}  // namespace nongsan::quality
