#include "programme/rollups.hpp"

#include <map>
#include <tuple>

#include "core/clock.hpp"
#include "programme/demand.hpp"

namespace nongsan::programme {
namespace {

// Five values a row; a checkout of many shops stays far below any backend's
// parameter limit, but imports of many events are cut into statements.
constexpr std::size_t kRowsPerStatement = 500;

constexpr const char* kUpsertHead =
    "INSERT INTO programme_rollups (day, commune_code, metric, month, value) VALUES ";
// PostgreSQL refuses to update one row twice in a statement, hence the merge
// before; SQLite and PostgreSQL both take this ON CONFLICT form.
constexpr const char* kUpsertTail =
    " ON CONFLICT (day, commune_code, metric) DO UPDATE SET value = programme_rollups.value + excluded.value";

constexpr const char* kLevelUpsert =
    "INSERT INTO programme_level_deltas (metric, day, commune_code, value) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (metric, day, commune_code) DO UPDATE SET value = programme_level_deltas.value + "
    "excluded.value";

// Three values a row.
constexpr std::size_t kShopDaysPerStatement = 500;

constexpr const char* kSumSql =
    "SELECT commune_code, metric, month, SUM(value) FROM programme_rollups WHERE day >= ? AND day <= ? "
    "GROUP BY commune_code, metric, month";

}  // namespace

std::int64_t MonthOfDay(std::int64_t day) {
  const std::string iso = timefmt::IsoDate(day);  // YYYY-MM-DD
  return std::stoll(iso.substr(0, 4)) * 100 + std::stoll(iso.substr(5, 2));
}

Status AddToRollups(db::Connection& c, const std::vector<RollupDelta>& deltas) {
  std::map<std::tuple<std::int64_t, std::string, std::string_view>, std::int64_t> merged;
  for (const RollupDelta& d : deltas) {
    if (d.commune_code.empty() || d.value == 0) continue;
    merged[{d.day, d.commune_code, MetricName(d.metric)}] += d.value;
  }
  auto it = merged.begin();
  while (it != merged.end()) {
    std::string sql = kUpsertHead;
    db::Params params;
    for (std::size_t n = 0; n < kRowsPerStatement && it != merged.end(); ++n, ++it) {
      const auto& [day, commune, metric] = it->first;
      if (n > 0) sql += ", ";
      sql += "(?, ?, ?, ?, ?)";
      params.insert(params.end(), {day, commune, std::string(metric), MonthOfDay(day), it->second});
    }
    sql += kUpsertTail;
    TRY(c.Exec(sql, params));
  }
  return Ok{};
}

Status AddToLevels(db::Connection& c, const std::vector<RollupDelta>& deltas) {
  std::map<std::tuple<std::string_view, std::int64_t, std::string>, std::int64_t> merged;
  for (const RollupDelta& d : deltas) {
    if (d.commune_code.empty() || d.value == 0) continue;
    merged[{MetricName(d.metric), d.day, d.commune_code}] += d.value;
  }
  for (const auto& [key, value] : merged) {
    if (value == 0) continue;
    const auto& [metric, day, commune] = key;
    TRY(c.Exec(kLevelUpsert, {std::string(metric), day, commune, value}));
  }
  return Ok{};
}

Status RecordShopDays(db::Connection& c, const std::vector<ShopDay>& days) {
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> merged;  // (seller, day) → commune
  for (const ShopDay& d : days) merged[{d.seller_id, d.day}] = d.commune_code;
  auto it = merged.begin();
  while (it != merged.end()) {
    std::string sql = "INSERT INTO programme_shop_days (seller_id, day, commune_code) VALUES ";
    db::Params params;
    for (std::size_t n = 0; n < kShopDaysPerStatement && it != merged.end(); ++n, ++it) {
      if (n > 0) sql += ", ";
      sql += "(?, ?, ?)";
      params.insert(params.end(), {it->first.first, it->first.second, it->second});
    }
    TRY(c.Exec(sql + " ON CONFLICT (seller_id, day) DO NOTHING", params));
  }
  return Ok{};
}

Result<std::vector<RollupCell>> SumRollups(db::Connection& c, std::int64_t from_day, std::int64_t to_day) {
  TRY_ASSIGN(auto rows, c.Query(kSumSql, {from_day, to_day}));
  std::vector<RollupCell> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3)});
  return out;
}

Status OrderRollups::OnOrderEvents(db::Connection& c, const std::vector<orders::OrderEvent>& events) {
  std::vector<RollupDelta> deltas;
  std::vector<ShopDay> shop_days;
  for (const orders::OrderEvent& e : events) {
    if (e.status != orders::OrderStatus::kPlaced) continue;
    const std::int64_t day = timefmt::LocalDay(e.at);
    deltas.push_back({e.from_commune_code, Metric::kOrders, day, 1});
    deltas.push_back({e.from_commune_code, Metric::kGmvVnd, day, e.total_vnd});
    shop_days.push_back({e.seller_id, day, e.from_commune_code});
  }
  if (deltas.empty()) return Ok{};
  TRY(AddToRollups(c, deltas));
  TRY(RecordShopDays(c, shop_days));
  for (const orders::OrderEvent& e : events) {
    if (e.status != orders::OrderStatus::kPlaced || e.from_commune_code.empty()) continue;
    const std::string buyer_province = areas_.ProvinceOf(e.ship_commune_code).value_or("");
    TRY(AddDemandProducts(c, WeekOf(timefmt::LocalDay(e.at)), e.from_commune_code, buyer_province, 0, 0, 1));
  }
  return Ok{};
}

}  // namespace nongsan::programme
