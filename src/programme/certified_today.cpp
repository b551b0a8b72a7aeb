#include "programme/certified_today.hpp"

#include "core/clock.hpp"
#include "programme/product_state.hpp"

namespace nongsan::programme {

Status RecordLevelChange(db::Connection& c, std::int64_t day) {
  TRY(c.Exec("INSERT INTO programme_level_changes (day) VALUES (?)", {day}));
  return Ok{};
}

Result<std::int64_t> RecentLevelChanges(db::Connection& c, std::int64_t day) {
  // Yesterday's too: a write made before midnight that commits after it
  // (its span closed yesterday) changes what is on sale at the end of today.
  TRY_ASSIGN(auto row, c.QueryOne("SELECT COUNT(*) FROM programme_level_changes WHERE day >= ?", {day - 1}));
  return row ? row->Int(0) : 0;
}

Status PruneLevelChanges(db::Connection& c, std::int64_t today) {
  TRY(c.Exec("DELETE FROM programme_level_changes WHERE day < ?", {today - kLevelChangesKeptDays}));
  return Ok{};
}

Status CoverageWatch::OnCoverageChanged(db::Connection& c, std::int64_t at,
                                        const std::vector<std::int64_t>& product_ids) {
  TRY(MarkCoverage(c, certifications_, product_ids));
  return RecordLevelChange(c, timefmt::LocalDay(at));
}

CertifiedToday::CertifiedToday(db::Database& db, CertificationPort& certifications)
    : db_(db), certifications_(certifications) {}

std::optional<LevelValues> CertifiedToday::Stored(std::int64_t today, std::int64_t changes) const {
  std::lock_guard lock(mu_);
  if (answer_ && answer_->day == today && answer_->changes == changes) return answer_->values;
  return std::nullopt;
}

Result<LevelValues> CertifiedToday::Current(std::int64_t today) {
  // The count is read before the inputs: a write committing after this read
  // makes the stored count stale, never a stale answer current.
  auto count = [&] { return db_.Read([&](db::Connection& c) { return RecentLevelChanges(c, today); }); };
  TRY_ASSIGN(std::int64_t changes, count());
  if (auto stored = Stored(today, changes)) return std::move(*stored);
  std::lock_guard computing(compute_mu_);
  // Another reader may have computed it meanwhile.
  TRY_ASSIGN(changes, count());
  if (auto stored = Stored(today, changes)) return std::move(*stored);
  TRY_ASSIGN(auto kept, db_.Read([&](db::Connection& c) { return CertifiedNow(c, today); }));
  const bool scratch = !kept.has_value();
  LevelValues values;
  if (kept) {
    values = std::move(*kept);
  } else {
    TRY_ASSIGN(auto covered, certifications_.CoveredOn(today));
    TRY_ASSIGN(values, db_.Read([&](db::Connection& c) { return CertifiedLevels(c, today, covered); }));
  }
  std::lock_guard lock(mu_);
  answer_ = Answer{today, changes, values};
  ++computations_;
  if (scratch) ++from_scratch_;
  return values;
}

Result<LevelValues> CertifiedToday::Get(std::int64_t today, std::int64_t now_ms) {
  {
    std::lock_guard lock(mu_);
    wanted_at_ms_ = std::max(wanted_at_ms_, now_ms);
  }
  return Current(today);
}

Status CertifiedToday::RefreshIfWanted(std::int64_t today, std::int64_t now_ms) {
  {
    std::lock_guard lock(mu_);
    if (wanted_at_ms_ < 0 || now_ms - wanted_at_ms_ > kCertifiedTodayWarmMs) return Ok{};
  }
  TRY(Current(today));
  return Ok{};
}

std::int64_t CertifiedToday::Computations() const {
  std::lock_guard lock(mu_);
  return computations_;
}

std::int64_t CertifiedToday::FromScratch() const {
  std::lock_guard lock(mu_);
  return from_scratch_;
}

}  // namespace nongsan::programme
