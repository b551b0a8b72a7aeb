// The daily roll-ups the programme's metrics are read from: one row per
// (current commune, metric, Vietnam day) holding that day's change, added to
// in the same transaction as the event that causes it, so a committed event
// is always counted once and a rolled-back one never.
//
// OrderRollups is the orders module's OrderEventObserver: a placed order adds
// 1 to `orders` and its total to `gmv_vnd` in the commune the shop sold from,
// on the day it was placed, notes the day for the shop (shops_active) and
// counts the order for the week by the buyer's province (demand.hpp). It
// does three writes per checkout and reads nothing.
//
// Thread-safety: stateless; safe to share.
#pragma once

#include <cstdint>
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
Status RecordShopDays(db::Connection& c, const std::vector<ShopDay>& days);

// A metric's sum over one commune and one month (yyyymm) of a day range.
struct RollupCell {
  std::string commune_code;
  std::string metric;
  std::int64_t month = 0;
  std::int64_t value = 0;
};

// Sums the rows of days [from_day, to_day] by commune, metric and month.
Result<std::vector<RollupCell>> SumRollups(db::Connection& c, std::int64_t from_day, std::int64_t to_day);

// yyyymm of a day: 202611.
std::int64_t MonthOfDay(std::int64_t day);

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
