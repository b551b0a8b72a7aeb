// Today's certified_products and ocop_products_listed per commune, kept
// between requests. Computing them crosses quality's coverage of today (at
// 1 M products about 63,000 certified ones) with the listing spans, the one
// costly part of today's level figures (levels.hpp); every other figure of
// today is a read of a few hundred rows or one pass over the shops.
//
// The answer stays exact without being recomputed per request: every write
// that can change it appends a row to programme_level_changes inside its own
// transaction (the listing observer when a span opens, closes or moves; the
// coverage observer quality calls in each certificate decision; the
// back-fill), and certificates lapse or start by day, so an answer is current
// while its day is today and the number of change rows of today and yesterday
// is the number it was computed at. The count is read before the inputs, so
// a write committing while an answer is computed leaves the count behind and
// the next reader computes again; the count only grows within a day (rows are
// pruned two days late), so an equal count means no write committed. Exact
// for every process sharing the database, not only this one.
//
// Readers compute when the answer is stale (one at a time; the others wait and
// take its answer); the RollupKeeper refreshes a stale answer in the
// background while readers have asked lately, so a reader rarely pays.
// Computing is cheap while the products' state (product_state.hpp) holds
// today's coverage: a count over the listed certified products (a few ms at
// 1 M products). Only when it does not (after midnight until the keeper has
// refreshed it, or before its first refresh) is the answer computed from
// scratch as above.
//
// Thread-safety: CertifiedToday is safe to share; the free functions are
// stateless.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/levels.hpp"
#include "programme/ports.hpp"
#include "quality/coverage_observer.hpp"

namespace nongsan::programme {

// The RollupKeeper refreshes a stale answer while a reader asked within this.
inline constexpr std::int64_t kCertifiedTodayWarmMs = 15 * 60 * 1000;
// Change rows older than this many days before today are deleted by the keeper
// (one more than the readers count, for a server whose clock is behind).
inline constexpr std::int64_t kLevelChangesKeptDays = 2;

// Records, in the caller's transaction, a write made on Vietnam day `day`
// that may change which certified products are on sale.
Status RecordLevelChange(db::Connection& c, std::int64_t day);
// The number of change rows of `day` and the day before.
Result<std::int64_t> RecentLevelChanges(db::Connection& c, std::int64_t day);
// Deletes the change rows no reader of `today` counts any more.
Status PruneLevelChanges(db::Connection& c, std::int64_t today);

// quality's CoverageObserver: a certificate decision is a change, and the
// coverage of its products is written into the products' state.
class CoverageWatch final : public quality::CoverageObserver {
 public:
  explicit CoverageWatch(CertificationPort& certifications) : certifications_(certifications) {}
  Status OnCoverageChanged(db::Connection& c, std::int64_t at,
                           const std::vector<std::int64_t>& product_ids) override;

 private:
  CertificationPort& certifications_;
};

class CertifiedToday {
 public:
  CertifiedToday(db::Database& db, CertificationPort& certifications);
  CertifiedToday(const CertifiedToday&) = delete;
  CertifiedToday& operator=(const CertifiedToday&) = delete;

  // certified_products and ocop_products_listed per commune at the end of
  // `today` so far (CertifiedLevels over quality's coverage of the day);
  // `now_ms` marks the answer as wanted.
  Result<LevelValues> Get(std::int64_t today, std::int64_t now_ms);
  // Computes the answer again if a reader asked within kCertifiedTodayWarmMs
  // of `now_ms` and it is stale; the keeper's call.
  Status RefreshIfWanted(std::int64_t today, std::int64_t now_ms);
  // Answers computed so far (tests, benchmarks), and of those the ones
  // computed from scratch (the products' state not of today).
  std::int64_t Computations() const;
  std::int64_t FromScratch() const;

 private:
  struct Answer {
    std::int64_t day = 0;
    std::int64_t changes = 0;  // RecentLevelChanges when it was computed
    LevelValues values;
  };
  // The current answer, computed (under compute_mu_) when stale.
  Result<LevelValues> Current(std::int64_t today);
  // The stored answer if it is of `today` at `changes`.
  std::optional<LevelValues> Stored(std::int64_t today, std::int64_t changes) const;

  db::Database& db_;
  CertificationPort& certifications_;
  std::mutex compute_mu_;  // one computation at a time
  mutable std::mutex mu_;
  std::optional<Answer> answer_;    // guarded by mu_
  std::int64_t wanted_at_ms_ = -1;  // guarded by mu_
  std::int64_t computations_ = 0;   // guarded by mu_
  std::int64_t from_scratch_ = 0;   // guarded by mu_
};

}  // namespace nongsan::programme
