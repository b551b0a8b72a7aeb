// "Hữu ích" votes on reviews: anyone signed in may say once that a published
// review helped them, but not of their own review. The product page lists a
// product's reviews newest first or most helpful first (ties: newest first).
//
// Storage: quality_review_votes, one row per (review, account); the count is
// read with the reviews (a product has tens of reviews, not millions).
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::quality {

class ReviewVotes {
 public:
  ReviewVotes(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Records the principal's vote; returns the review's helpful count.
  // 401 signed out; 404 unknown or hidden review; 403 own_review; 409
  // already_voted (nothing changes).
  Result<std::int64_t> Vote(const Principal* principal, std::int64_t review_id);
  // Helpful counts of the reviews given (0 for those nobody voted for).
  Result<std::map<std::int64_t, std::int64_t>> Counts(const std::vector<std::int64_t>& review_ids);
  // The ids of the product's published reviews, most helpful first, at most `limit`.
  Result<std::vector<std::int64_t>> MostHelpful(std::int64_t product_id, std::size_t limit);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace nongsan::quality
