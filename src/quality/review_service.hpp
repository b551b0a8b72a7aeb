// Product reviews that can be trusted: only a buyer whose order was
// delivered may review its products, once per order line (the orders module
// says which orders reached whom, through OrderPort). A review has a rating of 1–5,
// text and up to kMaxReviewPhotos photos; the shop may reply once; anyone
// signed in may report it once; an officer of the shop's area then keeps or
// hides a reported review, with a reason, in the audit log. Ratings (average
// and count, per product and per shop) count published reviews only.
//
// Thread-safety: all methods may be called from any thread; ports are called
// outside this service's write transactions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/ports.hpp"
#include "quality/quality_service.hpp"

namespace nongsan::quality {

inline constexpr int kMinRating = 1;
inline constexpr int kMaxRating = 5;
inline constexpr std::size_t kMaxReviewChars = 2000;
inline constexpr std::size_t kMaxReplyChars = 1000;
inline constexpr std::size_t kMaxReportReasonChars = 500;

enum class ReviewStatus { kPublished, kHidden };
// Where a review stands with the moderators: never reported, waiting for an
// officer, or decided (kept or hidden).
enum class Moderation { kNone, kReported, kKept, kHidden };
enum class ModerationDecision { kKeep, kHide };

std::string_view ReviewStatusName(ReviewStatus status);
std::string_view ModerationName(Moderation moderation);

struct ReviewPhoto {
  std::int64_t id = 0;
  std::string content_type;
  std::int64_t byte_size = 0;
};

struct Review {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t product_id = 0;
  std::int64_t seller_id = 0;
  std::int64_t buyer_user_id = 0;
  std::string buyer_name;  // shortened for display: "Lan N."
  int rating = 0;
  std::string body;
  ReviewStatus status = ReviewStatus::kPublished;
  std::int64_t created_at_ms = 0;
  std::optional<std::string> reply;
  std::optional<std::int64_t> replied_at_ms;
  int report_count = 0;
  Moderation moderation = Moderation::kNone;
  std::string moderation_reason;
  std::optional<std::int64_t> moderated_at_ms;
  std::vector<ReviewPhoto> photos;
};

// A review of one product of one order (an order holds a product once).
struct ReviewInput {
  std::int64_t order_id = 0;
  std::int64_t product_id = 0;
  std::int64_t rating = 0;
  std::string body;
  std::vector<UploadInput> photos;
  // Photos the buyer staged on an earlier try of the page form
  // (StagedUploads); claimed with the review, once, after `photos`.
  std::vector<std::string> staged_photos;
};

struct RatingSummary {
  std::int64_t count = 0;
  double average = 0;                   // 0 when count is 0
  std::array<std::int64_t, 5> stars{};  // how many 1★ … 5★
};

struct ReviewPage {
  std::vector<Review> items;
  std::optional<std::string> next_cursor;
};

struct PhotoBlob {
  ReviewPhoto photo;
  std::string bytes;
};

// "Lan N." for "Nguyễn Thị Lan": Vietnamese names put the given name last.
std::string ShortDisplayName(const std::string& full_name);

class ReviewService {
 public:
  ReviewService(db::Database& db, const Clock& clock, ShopPort& shops, OrderPort& orders,
                const AreaPort& areas, const StagedUploads& staged);

  Result<Review> Create(const Principal* buyer, ReviewInput input);
  Result<Review> Reply(const Principal* principal, std::int64_t review_id, std::string body);
  Result<Review> Report(const Principal* principal, std::int64_t review_id, std::string reason);
  Result<Review> Moderate(const Principal* officer, std::int64_t review_id, ModerationDecision decision,
                          std::string reason);

  // A hidden review is seen only by its author, the shop and officers of its area.
  Result<Review> Get(const Principal* principal, std::int64_t review_id);
  // Published reviews, newest first.
  Result<ReviewPage> ForProduct(std::int64_t product_id, const std::string& cursor, std::size_t limit);
  Result<ReviewPage> ForShop(std::int64_t seller_id, const std::string& cursor, std::size_t limit);
  // Reviews waiting for an officer of the principal's area, oldest first.
  Result<std::vector<Review>> Reported(const Principal* officer, std::size_t limit);
  // A photo of a published review.
  Result<PhotoBlob> Photo(std::int64_t review_id, std::int64_t photo_id);

  Result<RatingSummary> ProductRating(std::int64_t product_id);
  Result<std::map<std::int64_t, RatingSummary>> ProductRatings(const std::vector<std::int64_t>& product_ids);
  Result<RatingSummary> ShopRating(std::int64_t seller_id);

 private:
  Result<Review> Load(std::int64_t review_id);
  Result<ReviewPage> Page(const std::string& column, std::int64_t id, const std::string& cursor,
                          std::size_t limit);
  Result<RatingSummary> Summary(const std::string& column, std::int64_t id);

  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  OrderPort& orders_;
  const AreaPort& areas_;
  const StagedUploads& staged_;
};

}  // namespace nongsan::quality
