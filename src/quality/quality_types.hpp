// Value types of the quality module: certificate kinds and statuses, OCOP
// groups, certificates, badges, reviews and complaints as the rest of nongsan
// sees them, with their stable wire names. Plain data, thread-safe to copy.
//
// Dates of a certificate are calendar days (days since 1970-01-01, Vietnam
// local); a certificate is valid on every day from issued_on to expires_on
// inclusive. "expired" is never stored: it is computed from the clock when
// the certificate is read, so expiry takes effect everywhere at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quality/trademark.hpp"

namespace nongsan::quality {

enum class CertKind { kOcop, kVietGap, kOrganic, kGlobalGap, kTrademark, kOther };

// What is stored. kExpired exists only as an effective status (see EffectiveStatus).
enum class CertStatus { kPending, kVerified, kRejected, kExpired, kRevoked };

// The six OCOP product groups.
enum class OcopGroup { kFood, kDrinks, kHerbal, kTextiles, kSouvenirs, kTourism };

inline constexpr int kOcopMinStars = 3;  // the programme certifies 3★ and up
inline constexpr int kOcopMaxStars = 5;

std::string_view CertKindName(
    CertKind kind);  // "ocop", "vietgap", "organic", "globalgap", "trademark", "other"
std::optional<CertKind> ParseCertKind(std::string_view name);
std::string_view CertStatusName(CertStatus status);  // "pending", "verified", …
std::optional<CertStatus> ParseCertStatus(std::string_view name);
std::string_view OcopGroupName(
    OcopGroup group);  // "food", "drinks", "herbal", "textiles", "souvenirs", "tourism"
std::optional<OcopGroup> ParseOcopGroup(std::string_view name);
// Vietnamese label for pages and CSV: "OCOP", "VietGAP", "Hữu cơ", …
std::string_view CertKindLabel(CertKind kind);

struct EvidenceFile {
  std::int64_t id = 0;
  std::string content_type;  // application/pdf, image/jpeg, image/png, image/webp
  std::int64_t byte_size = 0;
  std::string sha256;  // hex, lets an officer compare with the paper copy's scan
  std::int64_t uploaded_at_ms = 0;
};

struct Certificate {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  CertKind kind = CertKind::kOther;
  std::string number;
  std::string issuer;
  std::optional<int> ocop_stars;
  std::optional<OcopGroup> ocop_group;
  std::int64_t issued_day = 0;
  std::int64_t expires_day = 0;
  CertStatus stored_status = CertStatus::kPending;
  CertStatus status = CertStatus::kPending;  // effective today (may be kExpired)
  std::string code;                          // public short code for /c/{code}
  std::string commune_code;                  // the shop's commune when last checked
  std::string province_code;
  std::vector<std::int64_t> product_ids;
  std::vector<EvidenceFile> evidence;
  std::int64_t submitted_by = 0;
  std::int64_t submitted_at_ms = 0;
  std::optional<std::int64_t> verified_by;
  std::optional<std::int64_t> verified_at_ms;
  std::string verifier_name;               // shown on the public verification page
  std::optional<std::int64_t> decided_by;  // who rejected or revoked
  std::optional<std::int64_t> decided_at_ms;
  std::string reason;                  // of the rejection or revocation
  std::optional<Trademark> trademark;  // kind trademark only
};

// What a product or shop page shows: a verified certificate valid today.
struct Badge {
  std::int64_t certificate_id = 0;
  CertKind kind = CertKind::kOther;
  std::optional<int> ocop_stars;
  std::string number;
  std::string issuer;
  std::int64_t expires_day = 0;
  std::string verify_url;
};

// The effective status on `today`: a pending or verified certificate whose
// expiry day has passed is expired; rejected and revoked stay as they are.
CertStatus EffectiveStatus(CertStatus stored, std::int64_t expires_day, std::int64_t today);

// Adds whole calendar months to a day, clamping to the month's last day
// (31 Jan + 1 month = 28/29 Feb), as validity periods are counted.
std::int64_t AddMonths(std::int64_t day, int months);

}  // namespace nongsan::quality
