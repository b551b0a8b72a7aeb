#include "sellers/shop_counts.hpp"

namespace nongsan::sellers {

Result<std::vector<ShopsCreated>> CountShopsCreated(db::Database& db, const std::string& province_code,
                                                    const std::string& type,
                                                    const std::vector<std::int64_t>& period_starts_ms,
                                                    std::int64_t end_ms) {
  if (period_starts_ms.empty()) return std::vector<ShopsCreated>{};
  if (period_starts_ms.size() > kMaxCountPeriods) return Error::Invalid("too many periods to count shops in");
  // CASE puts each shop in its period; the index sellers_created covers the rest.
  // One period needs no CASE (and PostgreSQL refuses a CASE without WHEN).
  std::string period = "0";
  db::Params params;
  if (period_starts_ms.size() > 1) {
    period = "CASE";
    for (std::size_t i = 1; i < period_starts_ms.size(); ++i) {
      period += " WHEN created_at < ? THEN " + std::to_string(i - 1);
      params.push_back(period_starts_ms[i]);
    }
    period += " ELSE " + std::to_string(period_starts_ms.size() - 1) + " END";
  }
  params.insert(params.end(), {province_code, type, period_starts_ms.front(), end_ms});
  const std::string sql = "SELECT commune_code, " + period +
                          " AS period, COUNT(*) FROM sellers "
                          "WHERE province_code = ? AND type = ? AND created_at >= ? AND created_at < ? "
                          "GROUP BY 1, 2";
  TRY_ASSIGN(auto rows, db.Read([&](db::Connection& c) { return c.Query(sql, params); }));
  std::vector<ShopsCreated> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Text(0), static_cast<std::size_t>(r.Int(1)), r.Int(2)});
  return out;
}

}  // namespace nongsan::sellers
