#include "web/quality_views.hpp"

#include <sodium.h>

#include "core/clock.hpp"
#include "web/format.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::int64_t kBytesPerKb = 1024;

std::string Stars(int count) {
  std::string stars;
  for (int i = 0; i < count; ++i) stars += "\u2605";
  return stars;
}

}  // namespace

nlohmann::json StagedFileView(const quality::StagedUpload& staged) {
  nlohmann::json view = {{"token", staged.token},
                         {"name", staged.file_name},
                         {"size_kb", (staged.byte_size + kBytesPerKb - 1) / kBytesPerKb},
                         {"image", !staged.thumbnail.empty()}};
  if (!staged.thumbnail.empty()) {
    std::string b64(sodium_base64_ENCODED_LEN(staged.thumbnail.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(staged.thumbnail.data()),
                      staged.thumbnail.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(b64.size() - 1);  // the terminating NUL
    view["thumb"] = {{"src", "data:image/jpeg;base64," + b64}, {"width", quality::kStagedThumbWidth}};
  }
  return view;
}

std::string EvidenceUrl(std::int64_t certificate_id, std::int64_t evidence_id) {
  return "/api/v1/certificates/" + std::to_string(certificate_id) + "/evidence/" +
         std::to_string(evidence_id);
}

nlohmann::json CertificateView(const quality::Certificate& certificate,
                               const std::map<std::int64_t, std::string>& product_names,
                               const Translations& translations, Lang lang) {
  const std::string status(quality::CertStatusName(certificate.status));
  nlohmann::json products = nlohmann::json::array();
  for (std::int64_t id : certificate.product_ids) {
    if (auto it = product_names.find(id); it != product_names.end()) {
      products.push_back({{"id", id}, {"name", it->second}, {"url", ProductPath(it->second, id)}});
    }
  }
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& file : certificate.evidence) {
    const bool pdf = file.content_type == "application/pdf";
    evidence.push_back({{"url", EvidenceUrl(certificate.id, file.id)},
                        {"pdf", pdf},
                        {"image", !pdf},
                        {"size_kb", (file.byte_size + kBytesPerKb - 1) / kBytesPerKb},
                        {"sha256", file.sha256}});
  }
  nlohmann::json view = {
      {"id", certificate.id},
      {"kind", quality::CertKindName(certificate.kind)},
      {"kind_label",
       translations.Get(lang, "cert.kind_" + std::string(quality::CertKindName(certificate.kind)))},
      {"number", certificate.number},
      {"issuer", certificate.issuer},
      {"stars", Stars(certificate.ocop_stars.value_or(0))},
      {"star_count", certificate.ocop_stars.value_or(0)},
      {"issued_on", timefmt::DisplayIsoDays(certificate.issued_day)},
      {"expires_on", timefmt::DisplayIsoDays(certificate.expires_day)},
      {"status", status},
      {"status_label", translations.Get(lang, "cert.status_" + status)},
      {"reason", certificate.reason},
      {"code", certificate.code},
      {"submitted_at", DateTime(certificate.submitted_at_ms)},
      {"products", std::move(products)},
      {"evidence", std::move(evidence)},
      {"pending", certificate.status == quality::CertStatus::kPending},
      {"verified", certificate.status == quality::CertStatus::kVerified},
      {"rejected", certificate.status == quality::CertStatus::kRejected},
  };
  if (const auto& tm = certificate.trademark) {
    const std::string tm_status(quality::TrademarkStatusName(tm->status));
    view["trademark"] = {{"application_number", tm->application_number},
                         {"filing_date", timefmt::DisplayIsoDays(tm->filing_day)},
                         {"status_label", translations.Get(lang, "certs.tm_" + tm_status)},
                         {"refusal_reason", tm->refusal_reason}};
  }
  if (certificate.ocop_group) {
    view["group"] =
        translations.Get(lang, "cert.group_" + std::string(quality::OcopGroupName(*certificate.ocop_group)));
  }
  return view;
}

nlohmann::json EnforcementView(const quality::EnforcementAction& action, const std::string& target_name,
                               const Translations& translations, Lang lang) {
  const bool product = action.target == quality::EnforcementTarget::kProduct;
  std::string what = action.suspend ? "officials.suspended" : "officials.reinstated";
  nlohmann::json view = {
      {"what", translations.Get(lang, what)},
      {"target", translations.Get(lang, product ? "officials.target_product" : "officials.target_shop")},
      {"name", target_name},
      {"reason", action.reason},
      {"at", DateTime(action.at_ms)},
      {"suspend", action.suspend},
  };
  if (action.flagged_orders) view["flagged_orders"] = *action.flagged_orders;
  return view;
}

nlohmann::json ReviewView(const quality::Review& review, const Translations& translations, Lang lang) {
  nlohmann::json photos = nlohmann::json::array();
  for (const auto& photo : review.photos) {
    photos.push_back(
        {{"url", "/api/v1/reviews/" + std::to_string(review.id) + "/photos/" + std::to_string(photo.id)}});
  }
  return {{"id", review.id},
          {"rating", review.rating},
          {"stars", Stars(review.rating)},
          {"stars_label", translations.Get(lang, "reviews.stars_" + std::to_string(review.rating))},
          {"buyer", review.buyer_name},
          {"date", Date(review.created_at_ms)},
          {"text", review.body},
          {"reply", review.reply.value_or("")},
          {"reply_date", review.replied_at_ms ? Date(*review.replied_at_ms) : std::string()},
          {"photos", std::move(photos)},
          {"report_url", "/danh-gia/" + std::to_string(review.id) + "/bao-cao"}};
}

nlohmann::json ProductReviewsView(const std::vector<quality::Review>& reviews,
                                  const Translations& translations, Lang lang) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& review : reviews) items.push_back(ReviewView(review, translations, lang));
  return {{"has_reviews", !reviews.empty()}, {"items", std::move(items)}};
}

}  // namespace nongsan::web::detail
