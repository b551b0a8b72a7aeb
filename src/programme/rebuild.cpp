#include "programme/rebuild.hpp"

#include "orders/placed_orders.hpp"
#include "programme/listing_rollups.hpp"
#include "programme/rollups.hpp"

namespace nongsan::programme {
namespace {

// Orders read per step; their deltas are merged before they are written.
constexpr int kOrdersPerStep = 5000;

}  // namespace

Result<RebuildReport> RebuildRollups(db::Database& db, const Clock& clock) {
  const std::int64_t today = timefmt::LocalDay(clock.NowMs());
  return db.Write([&](db::Connection& c) -> Result<RebuildReport> {
    RebuildReport report;
    TRY(c.Exec("DELETE FROM programme_rollups WHERE metric IN (?, ?)",
               {std::string(MetricName(Metric::kOrders)), std::string(MetricName(Metric::kGmvVnd))}));
    TRY(c.Exec("DELETE FROM programme_shop_days"));
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
    return report;
  });
}

}  // namespace nongsan::programme
