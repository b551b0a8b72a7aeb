// What the product figures are computed from: the catalogue's
// ListingObserver, called in the catalogue's write transaction with each
// touched product's state after the write. Programme keeps, in its own
// tables, one span per stretch a product was on sale
// (programme_listing_spans) and the day's change of the number on sale per
// commune (programme_level_deltas, metric products_listed); a call that
// changes nothing writes nothing. A product counts in the commune it comes
// from (its origin commune; the shop's unless the seller named another).
//
// ApplyListingStates is also the back-fill's way in (rebuild.hpp).
//
// Thread-safety: stateless; safe to share.
#pragma once

#include <cstdint>
#include <vector>

#include "catalog/listing_observer.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::programme {

// Brings the spans and level changes in line with `states` as of `day`.
Status ApplyListingStates(db::Connection& c, const std::vector<catalog::ListingState>& states,
                          std::int64_t day);

// The back-fill: brings the spans in line with the catalogue as it is now.
// A product on sale without a span gets one from the day it was created (the
// catalogue keeps no earlier history, so a product hidden for a while before
// the module existed counts as listed since its creation); a span of a
// product no longer on sale (or gone) is closed today. Returns the number
// of spans opened or closed. Idempotent.
Result<std::int64_t> BackfillListings(db::Connection& c, std::int64_t today);

class ListingRollups final : public catalog::ListingObserver {
 public:
  Status OnListingChanges(db::Connection& c, const std::vector<catalog::ListingState>& states,
                          std::int64_t at) override;
};

}  // namespace nongsan::programme
