#include "quality/review_service.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "core/text.hpp"
#include "quality/evidence.hpp"
#include "quality/officer_scope.hpp"
#include "quality/outbox.hpp"
#include "quality/text_input.hpp"

namespace nongsan::quality {
namespace {

constexpr std::string_view kReviewColumns =
    "id, order_id, product_id, seller_id, buyer_user_id, buyer_name, rating, body, status, "
    "created_at, reply_body, replied_at, report_count, moderation, moderation_reason, moderated_at";

constexpr const char* kBuyerFallbackName = "Người mua";
// Order statuses (the orders module's names) after delivery; a returned order
// was delivered first, and its buyer may say why it went back.
constexpr std::array<std::string_view, 3> kDeliveredStatuses = {"delivered", "completed", "returned"};

ReviewStatus ParseReviewStatus(const std::string& s) {
  return s == "hidden" ? ReviewStatus::kHidden : ReviewStatus::kPublished;
}

Moderation ParseModeration(const std::string& s) {
  if (s == "reported") return Moderation::kReported;
  if (s == "kept") return Moderation::kKept;
  if (s == "hidden") return Moderation::kHidden;
  return Moderation::kNone;
}

Review ReviewFromRow(const db::Row& r) {
  Review v;
  v.id = r.Int(0);
  v.order_id = r.Int(1);
  v.product_id = r.Int(2);
  v.seller_id = r.Int(3);
  v.buyer_user_id = r.Int(4);
  v.buyer_name = r.Text(5);
  v.rating = static_cast<int>(r.Int(6));
  v.body = r.Text(7);
  v.status = ParseReviewStatus(r.Text(8));
  v.created_at_ms = r.Int(9);
  v.reply = r.OptText(10);
  v.replied_at_ms = r.OptInt(11);
  v.report_count = static_cast<int>(r.Int(12));
  v.moderation = ParseModeration(r.Text(13));
  v.moderation_reason = r.Text(14);
  v.moderated_at_ms = r.OptInt(15);
  return v;
}

Status LoadPhotos(db::Connection& c, std::vector<Review>& reviews) {
  for (auto& v : reviews) {
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT id, content_type, byte_size FROM quality_review_photos WHERE "
                                      "review_id = ? ORDER BY position",
                                      {v.id}));
    for (const auto& r : rows) v.photos.push_back({r.Int(0), r.Text(1), r.Int(2)});
  }
  return Ok{};
}

std::optional<std::int64_t> ParseIdCursor(const std::string& cursor) {
  if (cursor.empty()) return std::int64_t{0};
  std::int64_t v = 0;
  for (char ch : cursor) {
    if (ch < '0' || ch > '9' || v > (INT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

}  // namespace

std::string_view ReviewStatusName(ReviewStatus status) {
  return status == ReviewStatus::kHidden ? "hidden" : "published";
}

std::string_view ModerationName(Moderation moderation) {
  switch (moderation) {
    case Moderation::kNone:
      return "none";
    case Moderation::kReported:
      return "reported";
    case Moderation::kKept:
      return "kept";
    case Moderation::kHidden:
      return "hidden";
  }
  return "none";
}

std::string ShortDisplayName(const std::string& full_name) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : text::Trim(full_name) + " ") {
    if (ch == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += ch;
    }
  }
  if (words.empty()) return kBuyerFallbackName;
  if (words.size() == 1) return words[0];
  // The family name's first letter, whole UTF-8 sequence included ("Đ").
  const std::string& family = words.front();
  std::size_t len = 1;
  while (len < family.size() && (static_cast<unsigned char>(family[len]) & 0xC0) == 0x80) ++len;
  return words.back() + " " + family.substr(0, len) + ".";
}

ReviewService::ReviewService(db::Database& db, const Clock& clock, ShopPort& shops, OrderPort& orders,
                             const AreaPort& areas, const StagedUploads& staged)
    : db_(db), clock_(clock), shops_(shops), orders_(orders), areas_(areas), staged_(staged) {}

Result<Review> ReviewService::Load(std::int64_t review_id) {
  return db_.Read([&](db::Connection& c) -> Result<Review> {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT " + std::string(kReviewColumns) + " FROM quality_reviews WHERE id = ?",
                          {review_id}));
    if (!row) return Error::NotFound("review");
    std::vector<Review> one{ReviewFromRow(*row)};
    TRY(LoadPhotos(c, one));
    return std::move(one[0]);
  });
}

Result<Review> ReviewService::Create(const Principal* buyer, ReviewInput input) {
  TRY(RequireSignedIn(buyer));
  TRY_ASSIGN(auto order, orders_.FindVisible(*buyer, input.order_id));
  // Someone who cannot see the order learns nothing of it; the shop side sees
  // it but is not its buyer.
  if (!order) return Error::NotFound("order");
  if (order->buyer_user_id != buyer->user_id)
    return Error::Forbidden("Only the buyer of an order may review it.");
  const bool delivered = order->delivered_at_ms &&
                         std::find(kDeliveredStatuses.begin(), kDeliveredStatuses.end(), order->status) !=
                             kDeliveredStatuses.end();
  const bool has_product = std::find(order->product_ids.begin(), order->product_ids.end(),
                                     input.product_id) != order->product_ids.end();
  if (!delivered || !has_product) {
    Error e = Error::Forbidden(
        "You can review a product once an order of yours containing it has been "
        "delivered.");
    e.type = "not_delivered";
    return e;
  }
  std::vector<FieldError> errors;
  if (input.rating < kMinRating || input.rating > kMaxRating) {
    errors.push_back({"rating", "must be a whole number of stars from 1 to 5"});
  }
  auto body = CleanText(input.body, "text", 0, kMaxReviewChars, Lines::kMulti, errors);
  std::vector<CheckedFile> photos;
  if (input.photos.size() + input.staged_photos.size() > kMaxReviewPhotos) {
    errors.push_back({"photos", "at most " + std::to_string(kMaxReviewPhotos) + " photos"});
  } else {
    for (std::size_t i = 0; i < input.photos.size(); ++i) {
      auto checked =
          CheckUpload(std::move(input.photos[i].bytes), input.photos[i].content_type, kMaxReviewPhotoBytes,
                      AllowedFiles::kImageOnly, kReviewPhotoWidth, "photos[" + std::to_string(i) + "]");
      if (!checked.ok()) {
        if (checked.error().code != ErrorCode::kInvalid) return std::move(checked).error();
        for (const auto& f : checked.error().fields) errors.push_back(f);
        continue;
      }
      photos.push_back(std::move(checked).value());
    }
    for (std::size_t i = 0; i < input.staged_photos.size(); ++i) {
      auto kept = staged_.Load(buyer, StagedPurpose::kReviewPhoto, input.staged_photos[i],
                               "photos[" + std::to_string(input.photos.size() + i) + "]");
      if (!kept.ok()) {
        if (kept.error().code != ErrorCode::kInvalid) return std::move(kept).error();
        for (const auto& f : kept.error().fields) errors.push_back(f);
        continue;
      }
      photos.push_back(std::move(kept).value());
    }
  }
  TRY(CheckFields(std::move(errors)));

  TRY_ASSIGN(auto shop, shops_.Find(order->seller_id));
  const std::string commune = shop ? shop->commune_code : "";
  const std::string province = areas_.ProvinceOf(commune).value_or("");
  const std::int64_t now = clock_.NowMs();
  auto id = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(std::int64_t review_id,
               c.QueryInt("INSERT INTO quality_reviews (order_id, product_id, seller_id, buyer_user_id, "
                          "buyer_name, rating, body, status, created_at, commune_code, province_code) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?) RETURNING id",
                          {order->id, input.product_id, order->seller_id, buyer->user_id,
                           ShortDisplayName(buyer->full_name), input.rating, *body, now, commune, province}));
    for (std::size_t i = 0; i < photos.size(); ++i) {
      TRY(
          c.Exec("INSERT INTO quality_review_photos (review_id, position, content_type, byte_size, data) "
                 "VALUES (?, ?, ?, ?, ?)",
                 {review_id, static_cast<std::int64_t>(i), std::string(ContentTypeOf(photos[i].kind)),
                  static_cast<std::int64_t>(photos[i].bytes.size()), photos[i].bytes}));
    }
    for (std::size_t i = 0; i < input.staged_photos.size(); ++i) {
      TRY(StagedUploads::Claim(c, *buyer, StagedPurpose::kReviewPhoto, input.staged_photos[i],
                               "photos[" + std::to_string(input.photos.size() + i) + "]"));
    }
    return review_id;
  });
  if (!id.ok()) {
    if (db::IsUniqueViolation(id.error())) {
      return Error::Conflict("already_reviewed", "You have already reviewed this product of this order.");
    }
    return std::move(id).error();
  }
  return Load(*id);
}

Result<Review> ReviewService::Reply(const Principal* principal, std::int64_t review_id, std::string body) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Review review, Load(review_id));
  TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, review.seller_id));
  if (!may_manage) {
    if (principal->user_id == review.buyer_user_id)
      return Error::Forbidden("Only the shop may reply to a review.");
    return Error::NotFound("review");
  }
  std::vector<FieldError> errors;
  auto clean = CleanText(body, "text", 1, kMaxReplyChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(std::int64_t changed,
               c.Exec("UPDATE quality_reviews SET reply_body = ?, reply_by = ?, replied_at = ? "
                      "WHERE id = ? AND reply_body IS NULL",
                      {*clean, principal->user_id, now, review_id}));
    if (changed == 0)
      return Error::Conflict("already_replied", "The shop has already replied to this review.");
    return Ok{};
  }));
  return Load(review_id);
}

Result<Review> ReviewService::Report(const Principal* principal, std::int64_t review_id, std::string reason) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Review review, Load(review_id));
  if (review.status == ReviewStatus::kHidden) return Error::NotFound("review");
  std::vector<FieldError> errors;
  auto clean = CleanText(reason, "reason", kMinReasonChars, kMaxReportReasonChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));
  const std::int64_t now = clock_.NowMs();
  Status st = db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(
        c.Exec("INSERT INTO quality_review_reports (review_id, reporter_user_id, reason, created_at) "
               "VALUES (?, ?, ?, ?)",
               {review_id, principal->user_id, *clean, now}));
    // A review an officer already kept is not queued again by later reports.
    TRY(c.Exec(
        "UPDATE quality_reviews SET report_count = report_count + 1, moderation = CASE WHEN moderation = "
        "'none' THEN 'reported' ELSE moderation END WHERE id = ?",
        {review_id}));
    return Ok{};
  });
  if (!st.ok()) {
    if (db::IsUniqueViolation(st.error())) {
      return Error::Conflict("already_reported", "You have already reported this review.");
    }
    return std::move(st).error();
  }
  return Load(review_id);
}

Result<Review> ReviewService::Moderate(const Principal* officer, std::int64_t review_id,
                                       ModerationDecision decision, std::string reason) {
  TRY(RequireSignedIn(officer));
  TRY_ASSIGN(Review review, Load(review_id));
  TRY_ASSIGN(ShopRef shop, RequireOfficerOf(officer, shops_, areas_, review.seller_id, "review",
                                            officer->user_id == review.buyer_user_id));
  std::vector<FieldError> errors;
  auto clean = CleanText(reason, "reason", kMinReasonChars, kMaxReasonChars, Lines::kMulti, errors);
  TRY(CheckFields(std::move(errors)));
  const bool hide = decision == ModerationDecision::kHide;
  const bool allowed =
      hide ? (review.moderation == Moderation::kReported || review.moderation == Moderation::kKept)
           : (review.moderation == Moderation::kReported || review.moderation == Moderation::kHidden);
  if (!allowed) {
    return Error::Conflict("invalid_transition", "Only a reported review can be moderated (this one is " +
                                                     std::string(ModerationName(review.moderation)) + ").");
  }
  const std::int64_t now = clock_.NowMs();
  const std::string to_status = hide ? "hidden" : "published";
  const std::string to_moderation = hide ? "hidden" : "kept";
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(
        c.Exec("UPDATE quality_reviews SET status = ?, moderation = ?, moderated_by = ?, moderated_at = ?, "
               "moderation_reason = ? WHERE id = ?",
               {to_status, to_moderation, officer->user_id, now, *clean, review_id}));
    accounts::AuditEntry entry;
    entry.actor_user_id = officer->user_id;
    entry.action = hide ? "review.hide" : "review.keep";
    entry.object_type = "review";
    entry.object_id = std::to_string(review_id);
    entry.before = {{"status", ReviewStatusName(review.status)},
                    {"moderation", ModerationName(review.moderation)}};
    entry.after = {{"status", to_status}, {"moderation", to_moderation}, {"reason", *clean}};
    entry.province_code = areas_.ProvinceOf(shop.commune_code).value_or("");
    return accounts::RecordAudit(c, entry, now);
  }));
  return Load(review_id);
}

Result<Review> ReviewService::Get(const Principal* principal, std::int64_t review_id) {
  TRY_ASSIGN(Review review, Load(review_id));
  if (review.status == ReviewStatus::kPublished) return review;
  if (principal != nullptr) {
    if (principal->user_id == review.buyer_user_id) return review;
    TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, review.seller_id));
    if (may_manage) return review;
    if (IsOfficer(*principal)) {
      TRY_ASSIGN(auto shop, shops_.Find(review.seller_id));
      if (shop && CoversCommune(*principal, areas_, shop->commune_code)) return review;
    }
  }
  return Error::NotFound("review");
}

Result<ReviewPage> ReviewService::Page(const std::string& column, std::int64_t id, const std::string& cursor,
                                       std::size_t limit) {
  const auto before = ParseIdCursor(cursor);
  if (!before) return Error::Field("cursor", "is not a cursor this endpoint gave out");
  limit = std::clamp<std::size_t>(limit, 1, kMaxPageSize);
  return db_.Read([&](db::Connection& c) -> Result<ReviewPage> {
    TRY_ASSIGN(db::Rows rows,
               c.Query("SELECT " + std::string(kReviewColumns) + " FROM quality_reviews WHERE " + column +
                           " = ? AND status = 'published' AND (? = 0 OR id < ?) "
                           "ORDER BY id DESC LIMIT ?",
                       {id, *before, *before, static_cast<std::int64_t>(limit + 1)}));
    ReviewPage page;
    for (const auto& r : rows) page.items.push_back(ReviewFromRow(r));
    if (page.items.size() > limit) {
      page.items.resize(limit);
      page.next_cursor = std::to_string(page.items.back().id);
    }
    TRY(LoadPhotos(c, page.items));
    return page;
  });
}

Result<ReviewPage> ReviewService::ForProduct(std::int64_t product_id, const std::string& cursor,
                                             std::size_t limit) {
  return Page("product_id", product_id, cursor, limit);
}

Result<ReviewPage> ReviewService::ForShop(std::int64_t seller_id, const std::string& cursor,
                                          std::size_t limit) {
  return Page("seller_id", seller_id, cursor, limit);
}

Result<std::vector<Review>> ReviewService::Reported(const Principal* officer, std::size_t limit) {
  TRY(RequireSignedIn(officer));
  if (!IsOfficer(*officer)) {
    return Error::Forbidden("Only a commune officer or the province administration may do this.");
  }
  limit = std::clamp<std::size_t>(limit, 1, kMaxPageSize);
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query("SELECT " + std::string(kReviewColumns) +
                       ", commune_code FROM quality_reviews WHERE "
                       "moderation = 'reported' ORDER BY id",
                   {});
  }));
  std::vector<Review> out;
  for (const auto& r : rows) {
    if (!CoversCommune(*officer, areas_, r.Text(16))) continue;
    out.push_back(ReviewFromRow(r));
    if (out.size() == limit) break;
  }
  TRY(db_.ReadWith([&](db::Connection& c) { return LoadPhotos(c, out); }));
  return out;
}

Result<PhotoBlob> ReviewService::Photo(std::int64_t review_id, std::int64_t photo_id) {
  return db_.Read([&](db::Connection& c) -> Result<PhotoBlob> {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT p.id, p.content_type, p.byte_size, p.data FROM quality_review_photos p "
                          "JOIN quality_reviews r ON r.id = p.review_id WHERE p.id = ? AND "
                          "p.review_id = ? AND r.status = 'published'",
                          {photo_id, review_id}));
    if (!row) return Error::NotFound("photo");
    return PhotoBlob{{row->Int(0), row->Text(1), row->Int(2)}, row->Text(3)};
  });
}

Result<RatingSummary> ReviewService::Summary(const std::string& column, std::int64_t id) {
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query("SELECT rating, COUNT(*) FROM quality_reviews WHERE " + column +
                       " = ? AND status = 'published' GROUP BY rating",
                   {id});
  }));
  RatingSummary s;
  std::int64_t total = 0;
  for (const auto& r : rows) {
    const auto rating = r.Int(0);
    if (rating < kMinRating || rating > kMaxRating) continue;
    s.stars[static_cast<std::size_t>(rating - 1)] = r.Int(1);
    s.count += r.Int(1);
    total += rating * r.Int(1);
  }
  if (s.count > 0) s.average = static_cast<double>(total) / static_cast<double>(s.count);
  return s;
}

Result<RatingSummary> ReviewService::ProductRating(std::int64_t product_id) {
  return Summary("product_id", product_id);
}

Result<RatingSummary> ReviewService::ShopRating(std::int64_t seller_id) {
  return Summary("seller_id", seller_id);
}

Result<std::map<std::int64_t, RatingSummary>> ReviewService::ProductRatings(
    const std::vector<std::int64_t>& product_ids) {
  std::map<std::int64_t, RatingSummary> out;
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    for (std::size_t start = 0; start < product_ids.size(); start += kMaxIdsPerQuery) {
      const std::size_t n = std::min(kMaxIdsPerQuery, product_ids.size() - start);
      std::string sql =
          "SELECT product_id, rating, COUNT(*) FROM quality_reviews WHERE status = 'published' AND "
          "product_id IN (";
      db::Params params;
      for (std::size_t i = 0; i < n; ++i) {
        sql += i == 0 ? "?" : ", ?";
        params.emplace_back(product_ids[start + i]);
      }
      sql += ") GROUP BY product_id, rating";
      TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
      for (const auto& r : rows) {
        const auto rating = r.Int(1);
        if (rating < kMinRating || rating > kMaxRating) continue;
        RatingSummary& s = out[r.Int(0)];
        s.stars[static_cast<std::size_t>(rating - 1)] = r.Int(2);
        s.count += r.Int(2);
      }
    }
    return Ok{};
  }));
  for (auto& [id, s] : out) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < s.stars.size(); ++i) total += static_cast<std::int64_t>(i + 1) * s.stars[i];
    if (s.count > 0) s.average = static_cast<double>(total) / static_cast<double>(s.count);
  }
  return out;
}

}  // namespace nongsan::quality
