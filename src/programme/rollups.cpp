#include "programme/rollups.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "core/clock.hpp"
#include "db/sql_lists.hpp"
#include "programme/demand.hpp"

namespace nongsan::programme {
namespace {

// Five values a row; a checkout of many shops stays far below any backend's
// parameter limit, but imports of many events are cut into statements.
constexpr std::size_t kRowsPerStatement = 500;

// PostgreSQL refuses to update one row twice in a statement, hence the merge
// before each of these; SQLite and PostgreSQL both take this ON CONFLICT form.
constexpr db::MultiRowStatement kUpsertRollups{
    "INSERT INTO programme_rollups (day, commune_code, metric, month, value) VALUES ",
    " ON CONFLICT (day, commune_code, metric) DO UPDATE SET value = programme_rollups.value + excluded.value",
    5, kRowsPerStatement};
constexpr db::MultiRowStatement kUpsertMonths{
    "INSERT INTO programme_rollup_months (month, commune_code, metric, value) VALUES ",
    " ON CONFLICT (month, commune_code, metric) DO UPDATE SET value = programme_rollup_months.value + "
    "excluded.value",
    4, kRowsPerStatement};
// Level changes (four values a row): one statement per few hundred communes,
// not one per commune (a bulk import's batch touches dozens).
constexpr db::MultiRowStatement kUpsertLevels{
    "INSERT INTO programme_level_deltas (metric, day, commune_code, value) VALUES ",
    " ON CONFLICT (metric, day, commune_code) DO UPDATE SET value = programme_level_deltas.value + "
    "excluded.value",
    4, kRowsPerStatement};

constexpr const char* kJournalInsertHead =
    "INSERT INTO programme_order_journal (day, seller_id, commune_code, total_vnd, buyer_province) VALUES ";
// Reads and deletes in one statement, so a row committed meanwhile (with a
// lower id, on PostgreSQL) is neither deleted unread nor folded twice.
constexpr const char* kJournalTake =
    "DELETE FROM programme_order_journal WHERE id IN (SELECT id FROM programme_order_journal ORDER BY id "
    "LIMIT ?) RETURNING id, day, seller_id, commune_code, total_vnd, buyer_province";

// Three values a row.
constexpr std::size_t kShopDaysPerStatement = 500;
constexpr db::MultiRowStatement kUpsertShopDays{
    "INSERT INTO programme_shop_days (seller_id, day, commune_code) VALUES ",
    // The latest order of the day names the commune (the recount's rule).
    " ON CONFLICT (seller_id, day) DO UPDATE SET commune_code = excluded.commune_code", 3,
    kShopDaysPerStatement};
constexpr db::MultiRowStatement kUpsertShopLastDays{
    "INSERT INTO programme_shops (seller_id, on_sale, last_day, last_commune) VALUES ",
    " ON CONFLICT (seller_id) DO UPDATE SET last_day = excluded.last_day, last_commune = "
    "excluded.last_commune WHERE excluded.last_day >= programme_shops.last_day",
    3, kShopDaysPerStatement, "(?, 0, ?, ?)"};
// Changes of the products on sale per shop (two values a row).
constexpr db::MultiRowStatement kUpsertShopListings{
    "INSERT INTO programme_shops (seller_id, on_sale, last_day, last_commune) VALUES ",
    " ON CONFLICT (seller_id) DO UPDATE SET on_sale = programme_shops.on_sale + excluded.on_sale", 2,
    kShopDaysPerStatement, "(?, ?, 0, '')"};

constexpr const char* kSumSql =
    "SELECT commune_code, metric, month, SUM(value) FROM programme_rollups WHERE day >= ? AND day <= ? "
    "GROUP BY commune_code, metric, month";
constexpr const char* kMonthsSql =
    "SELECT commune_code, metric, month, value FROM programme_rollup_months WHERE month >= ? AND month <= ?";

std::int64_t NextMonth(std::int64_t m) { return (m % 100 == 12) ? (m / 100 + 1) * 100 + 1 : m + 1; }

}  // namespace

std::int64_t MonthOfDay(std::int64_t day) {
  const std::string iso = timefmt::IsoDate(day);  // YYYY-MM-DD
  return std::stoll(iso.substr(0, 4)) * 100 + std::stoll(iso.substr(5, 2));
}

std::int64_t FirstDayOfMonth(std::int64_t yyyymm) {
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-01", static_cast<int>(yyyymm / 100),
                static_cast<int>(yyyymm % 100));
  return timefmt::ParseIsoDate(iso).value_or(0);
}

Status AddToRollups(db::Connection& c, const std::vector<RollupDelta>& deltas) {
  std::map<std::tuple<std::int64_t, std::string, std::string_view>, std::int64_t> merged;
  std::map<std::tuple<std::int64_t, std::string, std::string_view>, std::int64_t> months;
  std::map<std::int64_t, std::int64_t> month_of;  // day → yyyymm
  for (const RollupDelta& d : deltas) {
    if (d.commune_code.empty() || d.value == 0) continue;
    merged[{d.day, d.commune_code, MetricName(d.metric)}] += d.value;
    auto [m, fresh] = month_of.try_emplace(d.day, 0);
    if (fresh) m->second = MonthOfDay(d.day);
    months[{m->second, d.commune_code, MetricName(d.metric)}] += d.value;
  }
  auto mt = months.begin();
  TRY(db::ExecInChunks(c, kUpsertMonths, months.size(), [&](std::size_t, db::Params& params) {
    const auto& [month, commune, metric] = mt->first;
    params.insert(params.end(), {month, commune, std::string(metric), mt->second});
    ++mt;
  }));
  auto it = merged.begin();
  TRY(db::ExecInChunks(c, kUpsertRollups, merged.size(), [&](std::size_t, db::Params& params) {
    const auto& [day, commune, metric] = it->first;
    params.insert(params.end(), {day, commune, std::string(metric), month_of[day], it->second});
    ++it;
  }));
  return Ok{};
}

Status AddToLevels(db::Connection& c, const std::vector<RollupDelta>& deltas) {
  std::map<std::tuple<std::string_view, std::int64_t, std::string>, std::int64_t> merged;
  for (const RollupDelta& d : deltas) {
    if (d.commune_code.empty() || d.value == 0) continue;
    merged[{MetricName(d.metric), d.day, d.commune_code}] += d.value;
  }
  std::erase_if(merged, [](const auto& entry) { return entry.second == 0; });
  auto it = merged.begin();
  TRY(db::ExecInChunks(c, kUpsertLevels, merged.size(), [&](std::size_t, db::Params& params) {
    const auto& [metric, day, commune] = it->first;
    params.insert(params.end(), {std::string(metric), day, commune, it->second});
    ++it;
  }));
  return Ok{};
}

Status RecordShopDays(db::Connection& c, const std::vector<ShopDay>& days) {
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> merged;  // (seller, day) → commune
  for (const ShopDay& d : days) merged[{d.seller_id, d.day}] = d.commune_code;
  auto it = merged.begin();
  TRY(db::ExecInChunks(c, kUpsertShopDays, merged.size(), [&](std::size_t, db::Params& params) {
    params.insert(params.end(), {it->first.first, it->first.second, it->second});
    ++it;
  }));
  // Each shop's latest day of these (the map is in (seller, day) order).
  std::map<std::int64_t, std::pair<std::int64_t, std::string>> latest;
  for (const auto& [key, commune] : merged) latest[key.first] = {key.second, commune};
  auto at = latest.begin();
  TRY(db::ExecInChunks(c, kUpsertShopLastDays, latest.size(), [&](std::size_t, db::Params& params) {
    params.insert(params.end(), {at->first, at->second.first, at->second.second});
    ++at;
  }));
  return Ok{};
}

Status AddToShopListings(db::Connection& c, const std::map<std::int64_t, std::int64_t>& by_seller) {
  std::vector<std::pair<std::int64_t, std::int64_t>> changes;
  for (const auto& [seller, n] : by_seller) {
    if (n != 0) changes.emplace_back(seller, n);
  }
  TRY(db::ExecInChunks(c, kUpsertShopListings, changes.size(), [&](std::size_t i, db::Params& params) {
    params.insert(params.end(), {changes[i].first, changes[i].second});
  }));
  return Ok{};
}

Status RecountShopListings(db::Connection& c) {
  TRY(c.Exec("UPDATE programme_shops SET on_sale = 0"));
  TRY(
      c.Exec("INSERT INTO programme_shops (seller_id, on_sale, last_day, last_commune) SELECT seller_id, "
             "COUNT(*), 0, "
             "'' FROM programme_listing_spans WHERE to_day IS NULL GROUP BY seller_id "
             "ON CONFLICT (seller_id) DO UPDATE SET on_sale = excluded.on_sale"));
  return Ok{};
}

Result<std::vector<RollupCell>> SumRollups(db::Connection& c, std::int64_t from_day, std::int64_t to_day) {
  std::vector<RollupCell> out;
  if (from_day > to_day) return out;
  auto add = [&](const db::Rows& rows) {
    for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3)});
  };
  // The months wholly inside the range are contiguous: all but perhaps the
  // first and the last.
  const std::int64_t first = MonthOfDay(from_day);
  const std::int64_t last = MonthOfDay(to_day);
  const bool first_whole = FirstDayOfMonth(first) == from_day;
  const bool last_whole = FirstDayOfMonth(NextMonth(last)) - 1 == to_day;
  if (first == last) {
    if (first_whole && last_whole) {
      TRY_ASSIGN(auto rows, c.Query(kMonthsSql, {first, first}));
      add(rows);
    } else {
      TRY_ASSIGN(auto rows, c.Query(kSumSql, {from_day, to_day}));
      add(rows);
    }
    return out;
  }
  std::int64_t whole_from = first;
  std::int64_t whole_to = last;
  if (!first_whole) {
    TRY_ASSIGN(auto rows, c.Query(kSumSql, {from_day, FirstDayOfMonth(NextMonth(first)) - 1}));
    add(rows);
    whole_from = NextMonth(first);
  }
  if (!last_whole) {
    TRY_ASSIGN(auto rows, c.Query(kSumSql, {FirstDayOfMonth(last), to_day}));
    add(rows);
    whole_to = (last % 100 == 1) ? (last / 100 - 1) * 100 + 12 : last - 1;
  }
  if (whole_from <= whole_to) {
    TRY_ASSIGN(auto rows, c.Query(kMonthsSql, {whole_from, whole_to}));
    add(rows);
  }
  return out;
}

Status OrderRollups::OnOrderEvents(db::Connection& c, const std::vector<orders::OrderEvent>& events) {
  std::string sql;
  db::Params params;
  std::size_t rows = 0;
  for (const orders::OrderEvent& e : events) {
    if (e.status != orders::OrderStatus::kPlaced) continue;
    sql += rows++ == 0 ? kJournalInsertHead : ", ";
    sql += "(?, ?, ?, ?, ?)";
    params.insert(params.end(), {timefmt::LocalDay(e.at), e.seller_id, e.from_commune_code, e.total_vnd,
                                 areas_.ProvinceOf(e.ship_commune_code).value_or("")});
  }
  // One statement: a checkout places at most one order per shop of its cart,
  // far below any backend's parameter limit.
  if (rows == 0) return Ok{};
  TRY(c.Exec(sql, params));
  return Ok{};
}

Result<std::int64_t> FoldOrderJournal(db::Connection& c) {
  std::int64_t folded = 0;
  for (;;) {
    TRY_ASSIGN(db::Rows rows, c.Query(kJournalTake, {kJournalRowsPerFold}));
    if (rows.empty()) break;
    // In id order, so the latest order of a shop's day names its commune.
    std::vector<const db::Row*> ordered;
    ordered.reserve(rows.size());
    for (const auto& r : rows) ordered.push_back(&r);
    std::sort(ordered.begin(), ordered.end(),
              [](const db::Row* a, const db::Row* b) { return a->Int(0) < b->Int(0); });
    std::vector<RollupDelta> deltas;
    std::vector<ShopDay> shop_days;
    // (week, commune, buyer province) → orders
    std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> demand;
    for (const db::Row* r : ordered) {
      const std::int64_t day = r->Int(1);
      const std::string commune = r->Text(3);
      deltas.push_back({commune, Metric::kOrders, day, 1});
      deltas.push_back({commune, Metric::kGmvVnd, day, r->Int(4)});
      shop_days.push_back({r->Int(2), day, commune});
      if (!commune.empty()) demand[{WeekOf(day), commune, r->Text(5)}] += 1;
    }
    TRY(AddToRollups(c, deltas));
    TRY(RecordShopDays(c, shop_days));
    for (const auto& [key, n] : demand) {
      const auto& [week, commune, province] = key;
      TRY(AddDemandProducts(c, week, commune, province, 0, 0, n));
    }
    folded += static_cast<std::int64_t>(rows.size());
    if (static_cast<std::int64_t>(rows.size()) < kJournalRowsPerFold) break;
  }
  return folded;
}

Result<std::int64_t> FoldOrderJournal(db::Database& db) {
  return db.Write([](db::Connection& c) { return FoldOrderJournal(c); });
}

}  // namespace nongsan::programme
