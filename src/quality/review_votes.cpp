#include "quality/review_votes.hpp"

#include <algorithm>

#include "quality/quality_service.hpp"

namespace nongsan::quality {

Result<std::int64_t> ReviewVotes::Vote(const Principal* principal, std::int64_t review_id) {
  if (principal == nullptr) return Error::Unauthorized();
  return db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(auto review, c.QueryOne("SELECT buyer_user_id FROM quality_reviews WHERE id = ? AND status = "
                                       "'published'",
                                       {review_id}));
    if (!review) return Error::NotFound("review");
    if (review->Int(0) == principal->user_id) {
      Error e = Error::Forbidden("A review cannot be voted helpful by its own author.");
      e.type = "own_review";
      return e;
    }
    TRY_ASSIGN(auto voted,
               c.QueryOne("SELECT 1 FROM quality_review_votes WHERE review_id = ? AND user_id = ?",
                          {review_id, principal->user_id}));
    if (voted) return Error::Conflict("already_voted", "You already said this review was helpful.");
    TRY(c.Exec("INSERT INTO quality_review_votes (review_id, user_id, created_at) VALUES (?, ?, ?)",
               {review_id, principal->user_id, clock_.NowMs()}));
    return c.QueryInt("SELECT COUNT(*) FROM quality_review_votes WHERE review_id = ?", {review_id});
  });
}

Result<std::map<std::int64_t, std::int64_t>> ReviewVotes::Counts(
    const std::vector<std::int64_t>& review_ids) {
  std::map<std::int64_t, std::int64_t> out;
  if (review_ids.empty()) return out;
  return db_.Read([&](db::Connection& c) -> Result<std::map<std::int64_t, std::int64_t>> {
    for (std::size_t start = 0; start < review_ids.size(); start += kMaxIdsPerQuery) {
      const std::size_t end = std::min(review_ids.size(), start + kMaxIdsPerQuery);
      std::string in = "(";
      db::Params params;
      for (std::size_t i = start; i < end; ++i) {
        in += i == start ? "?" : ", ?";
        params.push_back(review_ids[i]);
      }
      TRY_ASSIGN(db::Rows rows,
                 c.Query("SELECT review_id, COUNT(*) FROM quality_review_votes WHERE review_id IN " + in +
                             ") GROUP BY review_id",
                         params));
      for (const db::Row& r : rows) out[r.Int(0)] = r.Int(1);
    }
    return out;
  });
}

Result<std::vector<std::int64_t>> ReviewVotes::MostHelpful(std::int64_t product_id, std::size_t limit) {
  limit = std::clamp<std::size_t>(limit, 1, kMaxPageSize);
  return db_.Read([&](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    TRY_ASSIGN(
        db::Rows rows,
        // Counted per review through the votes' primary key, only for this product's reviews.
        c.Query("SELECT r.id FROM quality_reviews r WHERE r.product_id = ? AND r.status = 'published' "
                "ORDER BY (SELECT COUNT(*) FROM quality_review_votes v WHERE v.review_id = r.id) DESC, "
                "r.id DESC LIMIT ?",
                {product_id, static_cast<std::int64_t>(limit)}));
    std::vector<std::int64_t> ids;
    for (const db::Row& r : rows) ids.push_back(r.Int(0));
    return ids;
  });
}

}  // namespace nongsan::quality
