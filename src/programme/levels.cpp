#include "programme/levels.hpp"

namespace nongsan::programme {
namespace {

constexpr std::size_t kIdsPerQuery = 500;

// A span is on sale at the end of `day` when it began on or before it and
// had not ended by it.
constexpr const char* kOnSaleAt = "from_day <= ? AND (to_day IS NULL OR to_day > ?)";

Status ProductsListed(db::Connection& c, std::int64_t day, LevelValues& out) {
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT commune_code, SUM(value) FROM programme_level_deltas "
                                    "WHERE metric = ? AND day <= ? GROUP BY commune_code",
                                    {std::string(MetricName(Metric::kProductsListed)), day}));
  for (const auto& r : rows) out[r.Text(0)][Metric::kProductsListed] = r.Int(1);
  return Ok{};
}

Status Certified(db::Connection& c, std::int64_t day, const std::vector<CoveredProduct>& covered,
                 LevelValues& out) {
  for (std::size_t start = 0; start < covered.size(); start += kIdsPerQuery) {
    const std::size_t end = std::min(covered.size(), start + kIdsPerQuery);
    std::map<std::int64_t, bool> ocop;
    std::string sql = std::string("SELECT product_id, commune_code FROM programme_listing_spans WHERE ") +
                      kOnSaleAt + " AND product_id IN (";
    db::Params params{day, day};
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ", ?";
      params.emplace_back(covered[i].product_id);
      ocop[covered[i].product_id] = covered[i].ocop;
    }
    TRY_ASSIGN(db::Rows rows, c.Query(sql + ")", params));
    for (const auto& r : rows) {
      if (r.Text(1).empty()) continue;
      auto& commune = out[r.Text(1)];
      commune[Metric::kCertifiedProducts] += 1;
      if (ocop[r.Int(0)]) commune[Metric::kOcopProductsListed] += 1;
    }
  }
  return Ok{};
}

Status ShopsActive(db::Connection& c, std::int64_t day, LevelValues& out) {
  // Each shop with an order in the window once (its latest order day), then
  // the on-sale check per shop rather than per order day.
  TRY_ASSIGN(
      db::Rows rows,
      c.Query(
          "SELECT d.commune_code, COUNT(*) FROM (SELECT seller_id, MAX(day) AS last FROM programme_shop_days "
          "WHERE day > ? AND day <= ? GROUP BY seller_id) r JOIN programme_shop_days d ON "
          "d.seller_id = r.seller_id AND d.day = r.last WHERE EXISTS (SELECT 1 FROM "
          "programme_listing_spans s WHERE s.seller_id = r.seller_id AND s.from_day <= ? AND "
          "(s.to_day IS NULL OR s.to_day > ?)) GROUP BY d.commune_code",
          {day - kActiveShopWindowDays, day, day, day}));
  for (const auto& r : rows) {
    if (!r.Text(0).empty()) out[r.Text(0)][Metric::kShopsActive] += r.Int(1);
  }
  return Ok{};
}

Status ProductsListedSince(db::Connection& c, std::int64_t day, const LevelValues& before, LevelValues& out) {
  for (const auto& [commune, metrics] : before) {
    if (auto it = metrics.find(Metric::kProductsListed); it != metrics.end())
      out[commune][Metric::kProductsListed] = it->second;
  }
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT commune_code, value FROM programme_level_deltas "
                                    "WHERE metric = ? AND day = ?",
                                    {std::string(MetricName(Metric::kProductsListed)), day}));
  for (const auto& r : rows) out[r.Text(0)][Metric::kProductsListed] += r.Int(1);
  return Ok{};
}

Status ShopsActiveNow(db::Connection& c, std::int64_t today, LevelValues& out) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT last_commune, COUNT(*) FROM programme_shops WHERE on_sale > 0 AND "
                     "last_day > ? AND last_day <= ? GROUP BY last_commune",
                     {today - kActiveShopWindowDays, today}));
  for (const auto& r : rows) {
    if (!r.Text(0).empty()) out[r.Text(0)][Metric::kShopsActive] += r.Int(1);
  }
  return Ok{};
}

}  // namespace

Result<LevelValues> CertifiedLevels(db::Connection& c, std::int64_t day,
                                    const std::vector<CoveredProduct>& covered) {
  LevelValues out;
  TRY(Certified(c, day, covered, out));
  return out;
}

Result<LevelValues> LevelsNow(db::Connection& c, std::int64_t today, const LevelValues& certified,
                              const LevelValues* yesterday) {
  LevelValues out;
  if (yesterday != nullptr) {
    TRY(ProductsListedSince(c, today, *yesterday, out));
  } else {
    TRY(ProductsListed(c, today, out));
  }
  for (const auto& [commune, metrics] : certified) {
    for (const auto& [metric, value] : metrics) out[commune][metric] += value;
  }
  TRY(ShopsActiveNow(c, today, out));
  return out;
}

Result<LevelValues> LevelsAt(db::Connection& c, std::int64_t day,
                             const std::vector<CoveredProduct>& covered) {
  LevelValues out;
  TRY(ProductsListed(c, day, out));
  TRY(Certified(c, day, covered, out));
  TRY(ShopsActive(c, day, out));
  return out;
}

}  // namespace nongsan::programme
