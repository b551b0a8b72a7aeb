#include "quality/product_coverage.hpp"

#include <algorithm>

#include "core/clock.hpp"

namespace nongsan::quality {
namespace {

// Products per statement of CoverageOfProducts.
constexpr std::size_t kIdsPerQuery = 500;

// The rule, with `{{PRODUCTS}}` for an optional restriction to some products.
constexpr std::string_view kCoveredSql =
    "SELECT cp.product_id, MAX(CASE WHEN cp.kind = 'ocop' THEN 1 ELSE 0 END) FROM "
    "quality_certificate_products cp "
    "JOIN quality_certificates c ON c.id = cp.certificate_id "
    "WHERE cp.issued_day <= ? AND cp.expires_day >= ? AND c.verified_at < ? "
    "AND (cp.verified = 1 OR (c.status = 'revoked' AND c.decided_at >= ? "
    "AND (c.kind <> 'trademark' OR c.trademark_status = 'granted'))){{PRODUCTS}} "
    "GROUP BY cp.product_id ORDER BY cp.product_id";

std::string CoveredSql(const std::string& products) {
  std::string sql(kCoveredSql);
  const std::string mark = "{{PRODUCTS}}";
  return sql.replace(sql.find(mark), mark.size(), products);
}

db::Params DayParams(std::int64_t day) {
  // The end of the day in Unix ms: verified before it, not revoked before it.
  const std::int64_t end_ms = (day + 1) * kMsPerDay - kVietnamOffsetMs;
  return {day, day, end_ms, end_ms};
}

void Append(const db::Rows& rows, std::vector<ProductCoverage>& out) {
  for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1) == 1});
}

}  // namespace

Result<std::vector<ProductCoverage>> CoveredProductsOn(db::Database& db, std::int64_t day) {
  TRY_ASSIGN(db::Rows rows,
             db.Read([&](db::Connection& c) { return c.Query(CoveredSql(""), DayParams(day)); }));
  std::vector<ProductCoverage> out;
  out.reserve(rows.size());
  Append(rows, out);
  return out;
}

Result<std::vector<ProductCoverage>> CoverageOfProducts(db::Connection& c, std::int64_t day,
                                                        const std::vector<std::int64_t>& product_ids) {
  std::vector<ProductCoverage> out;
  for (std::size_t start = 0; start < product_ids.size(); start += kIdsPerQuery) {
    const std::size_t end = std::min(product_ids.size(), start + kIdsPerQuery);
    std::string in = " AND cp.product_id IN (";
    db::Params params = DayParams(day);
    for (std::size_t i = start; i < end; ++i) {
      in += i == start ? "?" : ", ?";
      params.emplace_back(product_ids[i]);
    }
    TRY_ASSIGN(db::Rows rows, c.Query(CoveredSql(in + ")"), params));
    Append(rows, out);
  }
  return out;
}

Result<std::vector<std::int64_t>> CertificateProductIds(db::Connection& c, std::int64_t certificate_id) {
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT product_id FROM quality_certificate_products WHERE "
                                    "certificate_id = ? ORDER BY product_id",
                                    {certificate_id}));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.Int(0));
  return out;
}

}  // namespace nongsan::quality
