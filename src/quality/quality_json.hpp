// The JSON shapes of the quality module's values, shared by its routes and by
// other modules that embed them (the catalogue puts BadgesJson under a
// product's "certifications" and RatingJson under "rating"; the shop page
// adds ReputationJson). Dates are YYYY-MM-DD, instants RFC 3339 in Vietnam
// time, as docs/api.md sets out. Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quality/complaint_service.hpp"
#include "quality/outbox.hpp"
#include "quality/quality_service.hpp"
#include "quality/review_service.hpp"

namespace nongsan::quality {

// {kind, ocop_stars, number, issuer, expires_on, verify_url}
nlohmann::json BadgeJson(const Badge& badge);
nlohmann::json BadgesJson(const std::vector<Badge>& badges);
// The full certificate as its shop and officers see it; `warnings` computed
// from its dates; evidence files with their download URLs.
nlohmann::json CertificateJson(const Certificate& cert, const std::string& verify_url);
nlohmann::json RegisterEntryJson(const RegisterEntry& entry, const AreaPort& areas);
nlohmann::json FacetsJson(const CertificationFacets& facets);
// {count, average (one decimal, null when count is 0), stars: {"1": n, …, "5": n}}
nlohmann::json RatingJson(const RatingSummary& rating);
nlohmann::json ReviewJson(const Review& review);
nlohmann::json ComplaintJson(const Complaint& complaint);
nlohmann::json EnforcementJson(const EnforcementAction& action);
nlohmann::json ReputationJson(const Reputation& reputation);
nlohmann::json OutboxJson(const OutboxMessage& message);

}  // namespace nongsan::quality
