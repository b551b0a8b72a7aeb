#include "programme/snapshots.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>

#include "programme/product_state.hpp"
#include "programme/rollups.hpp"

namespace nongsan::programme {
namespace {

constexpr const char* kSnapshotTaken = "SELECT 1 FROM programme_snapshot_days WHERE day = ?";
constexpr const char* kSnapshotRead =
    "SELECT commune_code, metric, value FROM programme_level_snapshots WHERE day = ?";
// Four values a row.
constexpr std::size_t kSnapshotRowsPerStatement = 500;

Result<std::optional<LevelValues>> ReadSnapshot(db::Connection& c, std::int64_t day) {
  TRY_ASSIGN(auto taken, c.QueryOne(kSnapshotTaken, {day}));
  if (!taken) return std::optional<LevelValues>();
  TRY_ASSIGN(db::Rows rows, c.Query(kSnapshotRead, {day}));
  LevelValues out;
  for (const auto& r : rows) {
    if (auto metric = ParseMetric(r.Text(1))) out[r.Text(0)][*metric] = r.Int(2);
  }
  return std::optional<LevelValues>(std::move(out));
}

Status WriteSnapshot(db::Connection& c, std::int64_t day, const LevelValues& values, std::int64_t now_ms) {
  TRY(c.Exec("DELETE FROM programme_level_snapshots WHERE day = ?", {day}));
  std::vector<std::tuple<std::string, std::string, std::int64_t>> rows;
  for (const auto& [commune, metrics] : values) {
    for (const auto& [metric, value] : metrics) {
      if (value != 0) rows.emplace_back(commune, std::string(MetricName(metric)), value);
    }
  }
  for (std::size_t start = 0; start < rows.size(); start += kSnapshotRowsPerStatement) {
    const std::size_t end = std::min(rows.size(), start + kSnapshotRowsPerStatement);
    std::string sql = "INSERT INTO programme_level_snapshots (day, commune_code, metric, value) VALUES ";
    db::Params params;
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
      params.insert(params.end(), {day, std::get<0>(rows[i]), std::get<1>(rows[i]), std::get<2>(rows[i])});
    }
    // Two servers taking the same day write the same figures.
    TRY(c.Exec(sql + " ON CONFLICT (day, commune_code, metric) DO UPDATE SET value = excluded.value",
               params));
  }
  TRY(c.Exec("INSERT INTO programme_snapshot_days (day, taken_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING",
             {day, now_ms}));
  return Ok{};
}

// Computes the settled day's figures and stores them. The computation runs
// on a reader, not holding the writer: the day's rows no longer change once
// the journal is folded (its orders all committed within the grace).
Result<LevelValues> TakeSnapshot(db::Database& db, CertificationPort& certifications, std::int64_t day,
                                 std::int64_t now_ms) {
  if (day >= FirstUnsettledDay(now_ms)) {
    return Error::Invalid("day " + timefmt::IsoDate(day) + " is not settled yet");
  }
  TRY(FoldOrderJournal(db));
  TRY_ASSIGN(auto covered, certifications.CoveredOn(day));
  TRY_ASSIGN(LevelValues values, db.Read([&](db::Connection& c) { return LevelsAt(c, day, covered); }));
  TRY(db.Write([&](db::Connection& c) { return WriteSnapshot(c, day, values, now_ms); }));
  return values;
}

}  // namespace

std::int64_t FirstUnsettledDay(std::int64_t now_ms) { return timefmt::LocalDay(now_ms - kSnapshotGraceMs); }

Result<LevelValues> LevelsOn(db::Database& db, CertificationPort& certifications,
                             CertifiedToday& certified_today, std::int64_t day, std::int64_t now_ms) {
  if (day < FirstUnsettledDay(now_ms)) {
    TRY_ASSIGN(auto stored, db.Read([&](db::Connection& c) { return ReadSnapshot(c, day); }));
    if (stored) return std::move(*stored);
    return TakeSnapshot(db, certifications, day, now_ms);
  }
  if (day == timefmt::LocalDay(now_ms)) {
    // Today: the state now, plus yesterday's snapshot when it is kept, and
    // the certified figures as last computed if nothing changed them since.
    TRY_ASSIGN(LevelValues certified, certified_today.Get(day, now_ms));
    std::optional<LevelValues> yesterday;
    if (day - 1 < FirstUnsettledDay(now_ms)) {
      TRY_ASSIGN(yesterday, db.Read([&](db::Connection& c) { return ReadSnapshot(c, day - 1); }));
    }
    return db.Read(
        [&](db::Connection& c) { return LevelsNow(c, day, certified, yesterday ? &*yesterday : nullptr); });
  }
  // Yesterday within the grace: from the history, not kept.
  TRY_ASSIGN(auto covered, certifications.CoveredOn(day));
  return db.Read([&](db::Connection& c) { return LevelsAt(c, day, covered); });
}

Status StoreSnapshot(db::Database& db, CertificationPort& certifications, std::int64_t day,
                     std::int64_t now_ms) {
  TRY(TakeSnapshot(db, certifications, day, now_ms));
  return Ok{};
}

Result<std::vector<std::int64_t>> SnapshotDays(db::Connection& c) {
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT day FROM programme_snapshot_days ORDER BY day"));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.Int(0));
  return out;
}

RollupKeeper::RollupKeeper(db::Database& db, const Clock& clock, CertificationPort& certifications,
                           CertifiedToday& certified_today)
    : db_(db), clock_(clock), certifications_(certifications), certified_today_(certified_today) {
  thread_ = std::thread([this] { Run(); });
}

RollupKeeper::~RollupKeeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status RollupKeeper::RunOnce() {
  std::lock_guard round(round_mu_);
  TRY(FoldOrderJournal(db_));
  const std::int64_t now = clock_.NowMs();
  // The products' coverage of a new day before today's answer (product_state.hpp).
  TRY(RefreshCoverage(db_, certifications_, timefmt::LocalDay(now)));
  TRY(certified_today_.RefreshIfWanted(timefmt::LocalDay(now), now));
  const std::int64_t day = FirstUnsettledDay(now) - 1;
  if (day == last_snapshot_day_) return Ok{};
  TRY(db_.Write([&](db::Connection& c) { return PruneLevelChanges(c, timefmt::LocalDay(now)); }));
  TRY_ASSIGN(bool taken, db_.Read([&](db::Connection& c) -> Result<bool> {
    TRY_ASSIGN(auto row, c.QueryOne(kSnapshotTaken, {day}));
    return row.has_value();
  }));
  if (!taken) TRY(StoreSnapshot(db_, certifications_, day, now));
  last_snapshot_day_ = day;
  return Ok{};
}

void RollupKeeper::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, kFoldInterval, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (Status st = RunOnce(); !st.ok()) spdlog::warn("programme roll-ups not kept: {}", st.error().detail);
    lock.lock();
  }
}

}  // namespace nongsan::programme
