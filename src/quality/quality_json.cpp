#include "quality/quality_json.hpp"

#include <cmath>

#include "core/clock.hpp"

namespace nongsan::quality {
namespace {

nlohmann::json OptInstant(const std::optional<std::int64_t>& ms) {
  return ms ? nlohmann::json(timefmt::Rfc3339(*ms)) : nlohmann::json(nullptr);
}

template <typename T>
nlohmann::json OptValue(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// Shares and averages are shown to one or three decimals; more is noise.
double Round(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

nlohmann::json OptRounded(const std::optional<double>& v, int decimals) {
  return v ? nlohmann::json(Round(*v, decimals)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json BadgeJson(const Badge& badge) {
  return {{"kind", CertKindName(badge.kind)},
          {"ocop_stars", OptValue(badge.ocop_stars)},
          {"number", badge.number},
          {"issuer", badge.issuer},
          {"expires_on", timefmt::IsoDate(badge.expires_day)},
          {"verify_url", badge.verify_url}};
}

nlohmann::json BadgesJson(const std::vector<Badge>& badges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& b : badges) out.push_back(BadgeJson(b));
  return out;
}

nlohmann::json CertificateJson(const Certificate& cert, const std::string& verify_url) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& f : cert.evidence) {
    evidence.push_back(
        {{"id", f.id},
         {"content_type", f.content_type},
         {"byte_size", f.byte_size},
         {"sha256", f.sha256},
         {"uploaded_at", timefmt::Rfc3339(f.uploaded_at_ms)},
         {"url", "/api/v1/certificates/" + std::to_string(cert.id) + "/evidence/" + std::to_string(f.id)}});
  }
  const bool decided =
      cert.stored_status == CertStatus::kRejected || cert.stored_status == CertStatus::kRevoked;
  const std::optional<Trademark>& tm = cert.trademark;
  return {
      {"id", cert.id},
      {"seller_id", cert.seller_id},
      {"kind", CertKindName(cert.kind)},
      {"number", cert.number},
      {"issuer", cert.issuer},
      {"ocop_stars", OptValue(cert.ocop_stars)},
      {"ocop_group",
       cert.ocop_group ? nlohmann::json(OcopGroupName(*cert.ocop_group)) : nlohmann::json(nullptr)},
      {"issued_on", timefmt::IsoDate(cert.issued_day)},
      {"expires_on", timefmt::IsoDate(cert.expires_day)},
      {"status", CertStatusName(cert.status)},
      {"product_ids", cert.product_ids},
      {"evidence", std::move(evidence)},
      {"submitted_at", timefmt::Rfc3339(cert.submitted_at_ms)},
      {"verified_by", OptValue(cert.verified_by)},
      {"verified_at", OptInstant(cert.verified_at_ms)},
      {"decided_by", OptValue(cert.decided_by)},
      {"decided_at", OptInstant(cert.decided_at_ms)},
      {"reason", decided ? nlohmann::json(cert.reason) : nlohmann::json(nullptr)},
      {"code", cert.code},
      {"verify_url", verify_url},
      {"warnings", ValidityWarnings(cert.kind, cert.issued_day, cert.expires_day)},
      {"application_number", tm ? nlohmann::json(tm->application_number) : nlohmann::json(nullptr)},
      {"filing_date", tm ? nlohmann::json(timefmt::IsoDate(tm->filing_day)) : nlohmann::json(nullptr)},
      {"trademark_status", tm ? nlohmann::json(TrademarkStatusName(tm->status)) : nlohmann::json(nullptr)},
      {"refusal_reason", tm && tm->status == TrademarkStatus::kRefused ? nlohmann::json(tm->refusal_reason)
                                                                       : nlohmann::json(nullptr)}};
}

nlohmann::json RegisterEntryJson(const RegisterEntry& entry, const AreaPort& areas) {
  nlohmann::json cert = BadgeJson(entry.badge);
  cert["id"] = entry.badge.certificate_id;
  cert["issued_on"] = timefmt::IsoDate(entry.issued_day);
  cert["ocop_group"] =
      entry.ocop_group ? nlohmann::json(OcopGroupName(*entry.ocop_group)) : nlohmann::json(nullptr);
  return {{"product_id", entry.product_id},       {"product_name", entry.product_name},
          {"seller_id", entry.seller_id},         {"shop_name", entry.shop_name},
          {"commune_code", entry.commune_code},   {"commune_name", areas.UnitName(entry.commune_code)},
          {"province_code", entry.province_code}, {"province_name", areas.UnitName(entry.province_code)},
          {"certificate", std::move(cert)}};
}

nlohmann::json FacetsJson(const CertificationFacets& facets) {
  nlohmann::json certified = nlohmann::json::object();
  for (const auto& [kind, n] : facets.by_kind) certified[std::string(CertKindName(kind))] = n;
  nlohmann::json ocop = nlohmann::json::object();
  for (int stars = kOcopMinStars; stars <= kOcopMaxStars; ++stars) {
    auto it = facets.ocop_min.find(stars);
    ocop[std::to_string(stars)] = it == facets.ocop_min.end() ? 0 : it->second;
  }
  return {{"certified", std::move(certified)}, {"ocop_min", std::move(ocop)}};
}

nlohmann::json RatingJson(const RatingSummary& rating) {
  nlohmann::json stars = nlohmann::json::object();
  for (std::size_t i = 0; i < rating.stars.size(); ++i) stars[std::to_string(i + 1)] = rating.stars[i];
  return {{"count", rating.count},
          {"average", rating.count > 0 ? nlohmann::json(Round(rating.average, 1)) : nlohmann::json(nullptr)},
          {"stars", std::move(stars)}};
}

nlohmann::json ReviewJson(const Review& review) {
  nlohmann::json photos = nlohmann::json::array();
  for (const auto& p : review.photos) {
    photos.push_back(
        {{"id", p.id},
         {"content_type", p.content_type},
         {"url", "/api/v1/reviews/" + std::to_string(review.id) + "/photos/" + std::to_string(p.id)}});
  }
  return {{"id", review.id},
          {"product_id", review.product_id},
          {"seller_id", review.seller_id},
          {"order_id", review.order_id},
          {"buyer_name", review.buyer_name},
          {"rating", review.rating},
          {"text", review.body},
          {"photos", std::move(photos)},
          {"status", ReviewStatusName(review.status)},
          {"created_at", timefmt::Rfc3339(review.created_at_ms)},
          {"reply", review.reply ? nlohmann::json({{"text", *review.reply},
                                                   {"created_at", OptInstant(review.replied_at_ms)}})
                                 : nlohmann::json(nullptr)},
          {"report_count", review.report_count},
          {"moderation", ModerationName(review.moderation)},
          {"moderation_reason", review.moderation_reason.empty() ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(review.moderation_reason)}};
}

nlohmann::json ComplaintJson(const Complaint& complaint) {
  return {{"id", complaint.id},
          {"order_id", complaint.order_id},
          {"seller_id", complaint.seller_id},
          {"product_id", OptValue(complaint.product_id)},
          {"text", complaint.body},
          {"status", ComplaintStatusName(complaint.status)},
          {"created_at", timefmt::Rfc3339(complaint.created_at_ms)},
          {"shop_response", complaint.shop_response
                                ? nlohmann::json({{"text", *complaint.shop_response},
                                                  {"created_at", OptInstant(complaint.responded_at_ms)}})
                                : nlohmann::json(nullptr)},
          {"resolution", complaint.resolution ? nlohmann::json(ResolutionName(*complaint.resolution))
                                              : nlohmann::json(nullptr)},
          {"resolution_note", complaint.resolution_note.empty() ? nlohmann::json(nullptr)
                                                                : nlohmann::json(complaint.resolution_note)},
          {"resolved_by", OptValue(complaint.resolved_by)},
          {"resolved_at", OptInstant(complaint.resolved_at_ms)}};
}

nlohmann::json EnforcementJson(const EnforcementAction& action) {
  return {{"id", action.id},
          {"target", EnforcementTargetName(action.target)},
          {"target_id", action.target_id},
          {"seller_id", action.seller_id},
          {"action", action.suspend ? "suspend" : "reinstate"},
          {"reason", action.reason},
          {"complaint_id", OptValue(action.complaint_id)},
          {"actor_user_id", action.actor_user_id},
          {"at", timefmt::Rfc3339(action.at_ms)},
          {"flagged_orders", OptValue(action.flagged_orders)}};
}

nlohmann::json ReputationJson(const Reputation& rep) {
  return {
      {"seller_id", rep.seller_id},
      {"window_days", rep.window_days},
      {"orders", rep.orders ? nlohmann::json(rep.orders->orders) : nlohmann::json(nullptr)},
      {"cancelled", rep.orders ? nlohmann::json(rep.orders->cancelled) : nlohmann::json(nullptr)},
      {"shipped", rep.orders ? nlohmann::json(rep.orders->shipped) : nlohmann::json(nullptr)},
      {"shipped_on_time", rep.orders ? nlohmann::json(rep.orders->shipped_on_time) : nlohmann::json(nullptr)},
      {"on_time_share", OptRounded(rep.on_time_share, 3)},
      {"cancellation_rate", OptRounded(rep.cancellation_rate, 3)},
      {"rating", RatingJson(rep.rating)},
      {"complaints", rep.complaints},
      {"complaints_answered", rep.complaints_answered},
      {"median_complaint_response_hours", OptRounded(rep.median_response_hours, 1)}};
}

nlohmann::json OutboxJson(const OutboxMessage& message) {
  return {{"id", message.id},
          {"topic", message.topic},
          {"subject_id", message.subject_id},
          {"message", message.message},
          {"created_at", timefmt::Rfc3339(message.created_at_ms)}};
}

}  // namespace nongsan::quality
