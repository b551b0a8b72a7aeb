// Each product as it is now, for today's certified_products and
// ocop_products_listed without crossing quality's whole coverage with the
// listing spans on every change (certified_today.hpp): one row per product
// the programme has heard of (programme_products, programme migration 8)
// with the commune it counts in, whether it is on sale now (an open listing
// span), and whether a certificate covers it and whether one of those is an
// OCOP rating, as of the coverage day kept beside it
// (programme_coverage_state).
//
// Kept by the writers that already tell the programme of changes, each in
// its own transaction:
//   listed, commune_code  the listing observer whenever a span opens, closes
//                         or moves (ApplyListingStates), the back-fill and
//                         the rebuild (RebuildProductListings);
//   certified, ocop       quality's CoverageObserver on every certificate
//                         decision, for the certificate's products, through
//                         quality's own rule (CoverageOfProducts); and once a
//                         day, for every product, by RefreshCoverage (the
//                         keeper), because certificates start and lapse by
//                         day with no write at all.
// The coverage flags hold for the coverage day only: a reader of another day
// gets no answer (CertifiedNow) and computes from scratch. A decision bumps
// the state's version in its transaction, and the refresh writes only if the
// version is the one it read before reading the coverage, so a decision
// committing meanwhile is never overwritten by an older coverage (the
// refresh tries again on the next round).
//
// Thread-safety: stateless; safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/levels.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

// A product's listing now: on sale or not, and the commune it counts in.
struct ListingMark {
  std::int64_t product_id = 0;
  std::string commune_code;
  bool listed = false;
};

// Writes the products' listing state, in the caller's transaction.
Status MarkListings(db::Connection& c, const std::vector<ListingMark>& marks);

// Sets every product's listing state from the open listing spans (the
// rebuild and the back-fill, which write spans outside the observer).
Status RebuildProductListings(db::Connection& c);

// A certificate decision: the coverage of `product_ids` as of the coverage
// day, asked of quality on `c` (inside the decision's transaction).
Status MarkCoverage(db::Connection& c, CertificationPort& certifications,
                    const std::vector<std::int64_t>& product_ids);

// Brings every product's coverage to `today` if it is of another day.
// Returns whether it wrote (false: already of today, or a decision committed
// while the coverage was read; the next call tries again).
Result<bool> RefreshCoverage(db::Database& db, CertificationPort& certifications, std::int64_t today);

// certified_products and ocop_products_listed per commune now, from the
// products' state, if its coverage is of `today`; nullopt otherwise.
Result<std::optional<LevelValues>> CertifiedNow(db::Connection& c, std::int64_t today);

}  // namespace nongsan::programme
