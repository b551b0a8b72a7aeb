#include "programme/rebuild.hpp"

#include "orders/placed_orders.hpp"
#include "programme/certified_today.hpp"
#include "programme/listing_rollups.hpp"
#include "programme/product_state.hpp"
#include "programme/rollups.hpp"
#include "programme/service_adapters.hpp"
#include "programme/snapshots.hpp"

namespace nongsan::programme {
namespace {

// Orders read per step; their deltas are merged before they are written.
constexpr int kOrdersPerStep = 5000;

}  // namespace

Result<RebuildReport> RebuildRollups(db::Database& db, const Clock& clock) {
  const std::int64_t now_ms = clock.NowMs();
  const std::int64_t today = timefmt::LocalDay(now_ms);
  std::vector<std::int64_t> snapshot_days;
  TRY_ASSIGN(RebuildReport rebuilt, db.Write([&](db::Connection& c) -> Result<RebuildReport> {
    RebuildReport report;
    // The journal's demand counts are kept; its orders are recounted below.
    TRY(FoldOrderJournal(c));
    const db::Params recounted{std::string(MetricName(Metric::kOrders)),
                               std::string(MetricName(Metric::kGmvVnd))};
    TRY(c.Exec("DELETE FROM programme_rollups WHERE metric IN (?, ?)", recounted));
    TRY(c.Exec("DELETE FROM programme_rollup_months WHERE metric IN (?, ?)", recounted));
    // The past may change: no snapshot survives this transaction.
    TRY_ASSIGN(snapshot_days, SnapshotDays(c));
    TRY(c.Exec("DELETE FROM programme_level_snapshots"));
    TRY(c.Exec("DELETE FROM programme_snapshot_days"));
    TRY(c.Exec("DELETE FROM programme_shop_days"));
    TRY(c.Exec("UPDATE programme_shops SET last_day = 0, last_commune = ''"));
    for (std::int64_t after = 0;;) {
      TRY_ASSIGN(auto placed, orders::PlacedOrdersAfter(c, after, kOrdersPerStep));
      if (placed.empty()) break;
      after = placed.back().id;
      std::vector<RollupDelta> deltas;
      std::vector<ShopDay> days;
      for (const orders::PlacedOrder& o : placed) {
        const std::int64_t day = timefmt::LocalDay(o.placed_at);
        deltas.push_back({o.from_commune_code, Metric::kOrders, day, 1});
        deltas.push_back({o.from_commune_code, Metric::kGmvVnd, day, o.total_vnd});
        days.push_back({o.seller_id, day, o.from_commune_code});
      }
      TRY(AddToRollups(c, deltas));
      TRY(RecordShopDays(c, days));
      report.orders += static_cast<std::int64_t>(placed.size());
    }
    TRY_ASSIGN(report.listing_spans, BackfillListings(c, today));
    TRY(RecountShopListings(c));
    // The spans were written outside the observer: each product's listing
    // state is taken again from them (product_state.hpp).
    TRY(RebuildProductListings(c));
    // Spans were written outside the listing observer: today's certified
    // figures are computed again (certified_today.hpp).
    TRY(RecordLevelChange(c, today));
    return report;
  }));
  // The snapshots that were there, taken again from what is there now (a
  // day asked for meanwhile is computed, and stored, on its own).
  QualityCoveragePort certifications(db);
  for (std::int64_t day : snapshot_days) {
    if (day >= FirstUnsettledDay(now_ms)) continue;
    TRY(StoreSnapshot(db, certifications, day, now_ms));
    ++rebuilt.snapshots;
  }
  return rebuilt;
}

}  // namespace nongsan::programme
