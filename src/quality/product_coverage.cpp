#include "quality/product_coverage.hpp"

#include "core/clock.hpp"

namespace nongsan::quality {

Result<std::vector<ProductCoverage>> CoveredProductsOn(db::Database& db, std::int64_t day) {
  // The end of the day in Unix ms: verified before it, not revoked before it.
  const std::int64_t end_ms = (day + 1) * kMsPerDay - kVietnamOffsetMs;
  TRY_ASSIGN(db::Rows rows, db.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT cp.product_id, MAX(CASE WHEN cp.kind = 'ocop' THEN 1 ELSE 0 END) FROM "
        "quality_certificate_products cp "
        "JOIN quality_certificates c ON c.id = cp.certificate_id "
        "WHERE cp.issued_day <= ? AND cp.expires_day >= ? AND c.verified_at < ? "
        "AND (cp.verified = 1 OR (c.status = 'revoked' AND c.decided_at >= ? "
        "AND (c.kind <> 'trademark' OR c.trademark_status = 'granted'))) "
        "GROUP BY cp.product_id ORDER BY cp.product_id",
        {day, day, end_ms, end_ms});
  }));
  std::vector<ProductCoverage> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1) == 1});
  return out;
}

}  // namespace nongsan::quality
