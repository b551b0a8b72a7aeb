#include "sellers/shop_counts.hpp"

#include "core/clock.hpp"

namespace nongsan::sellers {

Result<std::vector<ShopsCreated>> CountShopsCreated(db::Database& db, const std::string& province_code,
                                                   const std::string& type, std::int64_t from_day,
                                                   std::int64_t to_day) {
  // The day is computed in SQL (Vietnam is UTC+7 without DST) so only one
  // row per commune and day leaves the database.
  static const std::string kDay =
      "(created_at + " + std::to_string(kVietnamOffsetMs) + ") / " + std::to_string(kMsPerDay);
  static const std::string kSql = "SELECT commune_code, " + kDay + ", COUNT(*) FROM sellers "
                                  "WHERE province_code = ? AND type = ? AND created_at >= ? AND created_at < ? "
                                  "GROUP BY commune_code, " + kDay;
  const std::int64_t from_ms = from_day * kMsPerDay - kVietnamOffsetMs;
  const std::int64_t to_ms = (to_day + 1) * kMsPerDay - kVietnamOffsetMs;
  TRY_ASSIGN(auto rows, db.Read([&](db::Connection& c) {
    return c.Query(kSql, {province_code, type, from_ms, to_ms});
  }));
  std::vector<ShopsCreated> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Text(0), r.Int(1), r.Int(2)});
  return out;
}

}  // namespace nongsan::sellers
