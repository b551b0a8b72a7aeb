// Internal to src/web: view models of the quality module's values that the
// officials' pages and the seller centre share (a certificate with its
// evidence, an enforcement action). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "quality/complaint_service.hpp"
#include "quality/quality_types.hpp"
#include "quality/review_service.hpp"
#include "quality/staged_uploads.hpp"
#include "web/i18n.hpp"

namespace nongsan::web::detail {

// "/api/v1/certificates/7/evidence/3": served to the shop and the officers of
// its area only (the quality service decides), with a sandboxing CSP.
std::string EvidenceUrl(std::int64_t certificate_id, std::int64_t evidence_id);

// {id, kind, kind_label, number, issuer, stars, group, issued_on, expires_on,
//  status, status_label, reason, code, products[], evidence[{url, image, pdf,
//  size_kb, sha256}], pending, verified, rejected}. `product_names` maps the
// certificate's product ids to names (ids without a name are left out).
nlohmann::json CertificateView(const quality::Certificate& certificate,
                               const std::map<std::int64_t, std::string>& product_names,
                               const Translations& translations, Lang lang);

// {what, target_label, reason, at, flagged_orders} of one suspension or
// reinstatement.
nlohmann::json EnforcementView(const quality::EnforcementAction& action, const std::string& target_name,
                               const Translations& translations, Lang lang);

// {id, rating, stars, buyer, date, text, reply, reply_date, photos[{url}],
//  report_url} of a published review.
nlohmann::json ReviewView(const quality::Review& review, const Translations& translations, Lang lang);

// A file kept from an earlier try of a form: {token, name, size_kb, image,
// thumb{src, width}}; the thumbnail is inline (a data: URL, which the CSP
// allows for images), so no route serves another person's staged file.
nlohmann::json StagedFileView(const quality::StagedUpload& staged);

// The reviews section of a product page (#danh-gia): {has_reviews, items[]}.
nlohmann::json ProductReviewsView(const std::vector<quality::Review>& reviews,
                                  const Translations& translations, Lang lang);

}  // namespace nongsan::web::detail
