// The daily roll-ups the programme's metrics are read from: one row per
// (current commune, metric, Vietnam day) holding that day's change, added to
// in the same transaction as the event that causes it, so a committed event
// is always counted once and a rolled-back one never.
//
// OrderRollups is the orders module's OrderEventObserver, on the checkout
// path: it appends one row per placed order to programme_order_journal, in
// the order's transaction, with one statement per checkout and no read.
// FoldOrderJournal then moves journal rows, in one transaction of its own,
// into what they stand for: 1 to `orders` and the total to `gmv_vnd` in the
// commune the shop sold from on the day it was placed, the shop's order day
// (shops_active) and the week's order by the buyer's province (demand.hpp),
// deleting the rows it folded. Every committed order is therefore either in
// the journal or in the roll-ups, never both and never neither; whoever reads
// figures folds first (ProgrammeService, DemandService), and the
// RollupKeeper (snapshots.hpp) folds every kFoldInterval so the journal
// stays short. Nothing is held in memory, so a crash loses nothing.
//
// Thread-safety: stateless; safe to share.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/notifications.hpp"
#include "programme/metrics.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

struct RollupDelta {
  std::string commune_code;
  Metric metric = Metric::kOrders;
  std::int64_t day = 0;  // Vietnam calendar day (days since 1970-01-01)
  std::int64_t value = 0;
};

// Adds the deltas (merged by key first) on the caller's write connection.
Status AddToRollups(db::Connection& c, const std::vector<RollupDelta>& deltas);

// Adds changes of level figures (products_listed) on the caller's write
// connection; a level at a day is the sum of its changes up to that day.
Status AddToLevels(db::Connection& c, const std::vector<RollupDelta>& deltas);

// A shop had an order placed that day, in that commune (for shops_active).
struct ShopDay {
  std::int64_t seller_id = 0;
  std::int64_t day = 0;
  std::string commune_code;
};
// Also keeps each shop's latest order day and its commune (programme_shops).
Status RecordShopDays(db::Connection& c, const std::vector<ShopDay>& days);
// Adds to the shops' number of products on sale (programme_shops).
Status AddToShopListings(db::Connection& c, const std::map<std::int64_t, std::int64_t>& by_seller);
// Sets every shop's number of products on sale from the open listing spans.
Status RecountShopListings(db::Connection& c);

// A metric's sum over one commune and one month (yyyymm) of a day range.
struct RollupCell {
  std::string commune_code;
  std::string metric;
  std::int64_t month = 0;
  std::int64_t value = 0;
};

// Sums days [from_day, to_day] by commune, metric and month: whole months
// from programme_rollup_months, the cut first and last months from the
// daily rows.
Result<std::vector<RollupCell>> SumRollups(db::Connection& c, std::int64_t from_day, std::int64_t to_day);

// yyyymm of a day: 202611.
std::int64_t MonthOfDay(std::int64_t day);
// The first day of a month (yyyymm).
std::int64_t FirstDayOfMonth(std::int64_t yyyymm);

// Journal rows folded per statement (a fold loops until the journal is empty).
inline constexpr std::int64_t kJournalRowsPerFold = 2000;

// Folds the whole journal into the roll-ups on the caller's write
// connection; returns the number of orders folded.
Result<std::int64_t> FoldOrderJournal(db::Connection& c);
// The same in a write transaction of its own.
Result<std::int64_t> FoldOrderJournal(db::Database& db);

class OrderRollups final : public orders::OrderEventObserver {
 public:
  // The areas name the buyer's province (of the delivery commune) for the
  // demand figures' orders by province.
  explicit OrderRollups(const AreaPort& areas) : areas_(areas) {}
  Status OnOrderEvents(db::Connection& c, const std::vector<orders::OrderEvent>& events) override;

 private:
  const AreaPort& areas_;
};

}  // namespace nongsan::programme
