// Shipping fees for one shop's order. A fee depends on the parcel's weight and
// its route: within one commune, within one province, or to another province.
// Each province sets its own rate table for the shops inside it (a province
// admin edits it through the API); a province without one uses the platform
// defaults seeded by the migration (province code "").
//
// A rate table per route: weight bands ("up to 1 kg: 15.000 ₫", …) and a price
// for each further step beyond the last band ("+2.500 ₫ per started kg").
//
// Real carriers (VNPost, Viettel Post, GHN) come later behind the Carrier
// interface; RateTableCarrier quotes from the province's table.
//
// Thread-safety: the pure functions are thread-safe; ShippingRates and
// RateTableCarrier are safe to share between threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::orders {

enum class Route { kSameCommune, kSameProvince, kOtherProvince };
inline constexpr std::size_t kRouteCount = 3;

// Limits on a rate table a province may set.
inline constexpr std::size_t kMaxWeightBands = 20;
inline constexpr std::int64_t kMaxBandWeightGrams = 1'000'000;
inline constexpr std::int64_t kMaxShippingFeeVnd = 10'000'000;
// A table read from the database is reused for this long, so a change made
// through another app server shows within it; changes made here show at once.
inline constexpr std::chrono::seconds kRateCacheTtl{30};

const char* RouteName(Route r);
std::optional<Route> ParseRoute(std::string_view s);

struct WeightBand {
  std::int64_t up_to_grams = 0;
  std::int64_t fee_vnd = 0;
};

struct RouteRates {
  std::vector<WeightBand> bands;      // ascending up_to_grams
  std::int64_t extra_step_grams = 0;  // beyond the last band, per started step…
  std::int64_t extra_fee_vnd = 0;     // …this much more
};

struct RateTable {
  std::string province_code;  // "" for the platform defaults
  std::array<RouteRates, kRouteCount> routes;
  std::int64_t updated_at = 0;
  std::int64_t updated_by = 0;  // user id, 0 for the seeded defaults
};

// The route between two current communes given their provinces.
Route RouteBetween(std::string_view from_commune, std::string_view from_province, std::string_view to_commune,
                   std::string_view to_province);
// Fee for a parcel of `grams` (overflow-checked: kUnprocessable past money::kMaxVnd).
Result<std::int64_t> FeeFor(const RouteRates& rates, std::int64_t grams);
// The seeded platform defaults (also what the migration inserts).
RateTable DefaultRateTable();
// Checks a table a province wants to set; one kInvalid error naming each problem.
Status ValidateRateTable(const RateTable& table);

nlohmann::json RateTableJson(const RateTable& table);
// Reads {"routes": {"same_commune": {"bands": [{"up_to_grams", "fee_vnd"}…],
// "extra_step_grams", "extra_fee_vnd"}, …}}; every route is required.
Result<RateTable> RateTableFromJson(const nlohmann::json& body);

// The rate tables in the database, cached per province.
class ShippingRates {
 public:
  explicit ShippingRates(db::Database& db) : db_(db) {}
  // The table that applies to shops in `province_code`: its own, else the defaults.
  Result<RateTable> ForProvince(const std::string& province_code);
  // Replaces a province's table (validated) in one transaction.
  Status Replace(const RateTable& table);

 private:
  struct Cached {
    RateTable table;
    std::chrono::steady_clock::time_point loaded;
  };
  Result<std::optional<RateTable>> Load(db::Connection& c, const std::string& province_code);

  db::Database& db_;
  std::mutex mutex_;
  std::map<std::string, Cached> cache_;
};

// One parcel to price: from the shop's commune to the buyer's.
struct ShipmentRequest {
  std::string from_commune;
  std::string from_province;
  std::string to_commune;
  std::string to_province;
  std::int64_t weight_grams = 0;
  std::int64_t cod_vnd = 0;  // carriers charge for collecting large COD amounts
};

struct ShippingQuote {
  std::int64_t fee_vnd = 0;
  Route route = Route::kOtherProvince;
  std::string carrier;
};

// A carrier that can price (and later book and track) a parcel.
class Carrier {
 public:
  virtual ~Carrier() = default;
  virtual std::string_view Name() const = 0;
  virtual Result<ShippingQuote> Quote(const ShipmentRequest& request) = 0;
};

// Prices from the rate table of the origin province.
class RateTableCarrier final : public Carrier {
 public:
  explicit RateTableCarrier(ShippingRates& rates) : rates_(rates) {}
  std::string_view Name() const override { return "rate_table"; }
  Result<ShippingQuote> Quote(const ShipmentRequest& request) override;

 private:
  ShippingRates& rates_;
};

}  // namespace nongsan::orders
