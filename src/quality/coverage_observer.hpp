// Told of every certificate decision that can change which products a
// certificate covers (quality/product_coverage.hpp): verified, rejected,
// revoked, a trademark's answer. Called inside the decision's write
// transaction, after quality's own writes, so what the observer writes
// commits or rolls back with the decision. Quality owns the interface; the
// programme module implements it (its cache of today's certified products,
// programme/certified_today.hpp, programme/product_state.hpp). Expiry needs no call: coverage is asked for
// by day.
//
// Thread-safety: implementations are called from any request thread.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::quality {

class CoverageObserver {
 public:
  virtual ~CoverageObserver() = default;
  // `at`: the decision's time (Unix ms); `product_ids`: the products the
  // certificate names, whose coverage may have changed (CoverageOfProducts
  // in product_coverage.hpp answers what it is now, on `c`).
  virtual Status OnCoverageChanged(db::Connection& c, std::int64_t at,
                                   const std::vector<std::int64_t>& product_ids) = 0;
};

}  // namespace nongsan::quality
