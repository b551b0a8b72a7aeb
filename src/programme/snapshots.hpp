// The level figures (levels.hpp) of settled days, kept: a day that ended
// more than kSnapshotGraceMs ago never changes again (listing spans and
// shops' order days are only ever written for today, certificates count as
// the platform knew them then), so its figures are computed once from the
// listing spans, shops' order days and quality's coverage and stored per
// commune (programme_level_snapshots, programme_snapshot_days). A request
// for such a day reads about a hundred rows instead of a pass over the
// 90-day window of order days.
//
//   LevelsOn          the figures at the end of a day: the stored snapshot of
//                     a settled day (taken now when missing: lazily, once);
//                     today and a day not yet settled are computed.
//   StoreSnapshot     takes (or retakes) the snapshot of one settled day.
//   RollupKeeper      a thread folding the orders journal every
//                     kFoldInterval, taking the snapshot of each day as it
//                     settles and refreshing today's certified figures
//                     (certified_today.hpp), so no request pays for these.
//
// The grace lets an order's transaction that began before midnight (or an
// app server whose clock is a little behind) commit into its day before the
// day is frozen. The back-fill (rebuild.hpp) changes the past: it deletes
// every snapshot in its transaction and retakes them after.
//
// Thread-safety: functions are stateless; RollupKeeper owns its thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/certified_today.hpp"
#include "programme/levels.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

// A day is settled (and its snapshot may be kept) this long after it ended.
inline constexpr std::int64_t kSnapshotGraceMs = 10 * 60 * 1000;
// How often the keeper folds the orders journal.
inline constexpr std::chrono::seconds kFoldInterval{2};

// The days before this one are settled at `now_ms`.
std::int64_t FirstUnsettledDay(std::int64_t now_ms);

// Today's certified figures come from `certified_today` (certified_today.hpp).
Result<LevelValues> LevelsOn(db::Database& db, CertificationPort& certifications,
                             CertifiedToday& certified_today, std::int64_t day, std::int64_t now_ms);

// Computes the day's figures and stores them (replacing what was stored).
// Refused for a day not settled at now_ms.
Status StoreSnapshot(db::Database& db, CertificationPort& certifications, std::int64_t day,
                     std::int64_t now_ms);

// The days with a stored snapshot, in order.
Result<std::vector<std::int64_t>> SnapshotDays(db::Connection& c);

class RollupKeeper {
 public:
  RollupKeeper(db::Database& db, const Clock& clock, CertificationPort& certifications,
               CertifiedToday& certified_today);
  ~RollupKeeper();
  RollupKeeper(const RollupKeeper&) = delete;
  RollupKeeper& operator=(const RollupKeeper&) = delete;

  // One round: fold the journal, snapshot the last settled day if it has
  // none, bring the products' coverage to a new day (product_state.hpp),
  // refresh today's certified figures if readers want them and they
  // are stale, and prune the old change rows once a day. The thread calls
  // it every kFoldInterval.
  Status RunOnce();

 private:
  void Run();

  db::Database& db_;
  const Clock& clock_;
  CertificationPort& certifications_;
  CertifiedToday& certified_today_;
  std::int64_t last_snapshot_day_ = 0;  // only touched by RunOnce's caller
  std::mutex round_mu_;                 // one round at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace nongsan::programme
