// What the certificate workflows of QualityService share across its source
// files (quality_service.cpp, trademark_decisions.cpp): the number compared
// for duplicates, the audit record of a change, and the title in the shop's
// notices. Internal to the quality module. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/quality_types.hpp"

namespace nongsan::quality {

// The certificate number as compared for duplicates: folded, letters and
// digits only, so "VietGAP-TT-19-0015" and "vietgap tt 19 0015" clash.
std::string CertificateNumberKey(std::string_view number);

// Records a change of a certificate in the audit log, inside the caller's
// transaction: `after` null for a creation (before is then the new one).
Status AuditCertificate(db::Connection& c, const Principal& actor, const std::string& action,
                        const Certificate& before, const Certificate* after, std::int64_t now);

// "OCOP 4 sao số 123/QĐ-UBND", as the shop's notices name a certificate.
std::string CertificateTitle(const Certificate& c);

}  // namespace nongsan::quality
