#include "orders/shipping.hpp"

#include <array>

#include "core/money.hpp"

namespace nongsan::orders {
namespace {

constexpr std::array<const char*, kRouteCount> kRouteNames = {"same_commune", "same_province",
                                                              "other_province"};

// The province code under which the platform defaults are stored.
constexpr std::string_view kDefaultProvince{};

constexpr std::string_view kSelectBands =
    "SELECT route, up_to_grams, fee_vnd FROM orders_shipping_bands WHERE province_code = ? "
    "ORDER BY route, up_to_grams";
constexpr std::string_view kSelectRoutes =
    "SELECT route, extra_step_grams, extra_fee_vnd, updated_at, updated_by FROM orders_shipping_routes "
    "WHERE province_code = ?";
constexpr std::string_view kDeleteBands = "DELETE FROM orders_shipping_bands WHERE province_code = ?";
constexpr std::string_view kDeleteRoutes = "DELETE FROM orders_shipping_routes WHERE province_code = ?";
constexpr std::string_view kInsertBand =
    "INSERT INTO orders_shipping_bands (province_code, route, up_to_grams, fee_vnd) VALUES (?, ?, ?, ?)";
constexpr std::string_view kInsertRoute =
    "INSERT INTO orders_shipping_routes (province_code, route, extra_step_grams, extra_fee_vnd, updated_at, "
    "updated_by) VALUES (?, ?, ?, ?, ?, ?)";

RouteRates& RatesOf(RateTable& t, Route r) { return t.routes[static_cast<std::size_t>(r)]; }

bool IsPlainInteger(const nlohmann::json& v) { return v.is_number_integer(); }

}  // namespace

const char* RouteName(Route r) { return kRouteNames[static_cast<std::size_t>(r)]; }

std::optional<Route> ParseRoute(std::string_view s) {
  for (std::size_t i = 0; i < kRouteNames.size(); ++i) {
    if (s == kRouteNames[i]) return static_cast<Route>(i);
  }
  return std::nullopt;
}

Route RouteBetween(std::string_view from_commune, std::string_view from_province, std::string_view to_commune,
                   std::string_view to_province) {
  if (!from_commune.empty() && from_commune == to_commune) return Route::kSameCommune;
  if (!from_province.empty() && from_province == to_province) return Route::kSameProvince;
  return Route::kOtherProvince;
}

Result<std::int64_t> FeeFor(const RouteRates& rates, std::int64_t grams) {
  if (rates.bands.empty()) return Error::Internal("shipping rate table has no bands");
  for (const WeightBand& band : rates.bands) {
    if (grams <= band.up_to_grams) return band.fee_vnd;
  }
  const WeightBand& last = rates.bands.back();
  if (rates.extra_step_grams <= 0) return Error::Internal("shipping rate table has no extra step");
  const std::int64_t over = grams - last.up_to_grams;
  const std::int64_t steps = over / rates.extra_step_grams + (over % rates.extra_step_grams != 0 ? 1 : 0);
  auto extra = money::MulVnd(steps, rates.extra_fee_vnd);
  auto fee = extra ? money::AddVnd(last.fee_vnd, *extra) : std::nullopt;
  if (!fee) return Error::Unprocessable("amount_too_large", "The shipping fee for this parcel is too large.");
  return *fee;
}

// Shaped on what Vietnamese carriers charged small shops in 2025: cheapest
// within a commune, a first-kilogram price within the province, and a
// half-kilogram price between provinces. Must match the rows the orders
// migration seeds (a test checks that).
RateTable DefaultRateTable() {
  RateTable t;
  t.province_code = std::string(kDefaultProvince);
  RatesOf(t, Route::kSameCommune) = {{{1000, 15000}, {3000, 18000}, {5000, 22000}}, 1000, 2500};
  RatesOf(t, Route::kSameProvince) = {{{1000, 22000}, {3000, 27000}, {5000, 32000}}, 1000, 3000};
  RatesOf(t, Route::kOtherProvince) = {
      {{500, 30000}, {1000, 35000}, {3000, 45000}, {5000, 55000}}, 500, 5000};
  return t;
}

Status ValidateRateTable(const RateTable& table) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < kRouteCount; ++i) {
    const RouteRates& r = table.routes[i];
    const std::string prefix = std::string("routes.") + kRouteNames[i];
    if (r.bands.empty() || r.bands.size() > kMaxWeightBands) {
      errors.push_back(
          {prefix + ".bands", "Give 1 to " + std::to_string(kMaxWeightBands) + " weight bands."});
    }
    std::int64_t previous = 0;
    for (std::size_t b = 0; b < r.bands.size(); ++b) {
      const WeightBand& band = r.bands[b];
      const std::string field = prefix + ".bands[" + std::to_string(b) + "]";
      if (band.up_to_grams <= previous || band.up_to_grams > kMaxBandWeightGrams) {
        errors.push_back({field + ".up_to_grams", "Weights must rise band by band, up to " +
                                                      std::to_string(kMaxBandWeightGrams) + " g."});
      }
      if (band.fee_vnd < 0 || band.fee_vnd > kMaxShippingFeeVnd) {
        errors.push_back({field + ".fee_vnd", "A fee is 0 to " + money::FormatVnd(kMaxShippingFeeVnd) + "."});
      }
      previous = band.up_to_grams;
    }
    if (r.extra_step_grams <= 0 || r.extra_step_grams > kMaxBandWeightGrams) {
      errors.push_back(
          {prefix + ".extra_step_grams", "A step is 1 to " + std::to_string(kMaxBandWeightGrams) + " g."});
    }
    if (r.extra_fee_vnd < 0 || r.extra_fee_vnd > kMaxShippingFeeVnd) {
      errors.push_back(
          {prefix + ".extra_fee_vnd", "A fee is 0 to " + money::FormatVnd(kMaxShippingFeeVnd) + "."});
    }
  }
  if (errors.empty()) return Ok{};
  std::string detail = errors.front().field + ": " + errors.front().message;
  return Error::Invalid(std::move(detail), std::move(errors));
}

nlohmann::json RateTableJson(const RateTable& table) {
  nlohmann::json routes = nlohmann::json::object();
  for (std::size_t i = 0; i < kRouteCount; ++i) {
    const RouteRates& r = table.routes[i];
    nlohmann::json bands = nlohmann::json::array();
    for (const WeightBand& b : r.bands)
      bands.push_back({{"up_to_grams", b.up_to_grams}, {"fee_vnd", b.fee_vnd}});
    routes[kRouteNames[i]] = {
        {"bands", bands}, {"extra_step_grams", r.extra_step_grams}, {"extra_fee_vnd", r.extra_fee_vnd}};
  }
  return {{"province_code",
           table.province_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(table.province_code)},
          {"is_default", table.province_code.empty()},
          {"routes", routes}};
}

Result<RateTable> RateTableFromJson(const nlohmann::json& body) {
  RateTable table;
  std::vector<FieldError> errors;
  auto routes = body.find("routes");
  if (routes == body.end() || !routes->is_object()) {
    return Error::Field("routes",
                        "An object with same_commune, same_province and other_province is required.");
  }
  for (std::size_t i = 0; i < kRouteCount; ++i) {
    const std::string prefix = std::string("routes.") + kRouteNames[i];
    auto route = routes->find(kRouteNames[i]);
    if (route == routes->end() || !route->is_object()) {
      errors.push_back({prefix, "Required."});
      continue;
    }
    RouteRates& rates = table.routes[i];
    auto bands = route->find("bands");
    if (bands == route->end() || !bands->is_array() || bands->size() > kMaxWeightBands) {
      errors.push_back({prefix + ".bands", "An array of up to " + std::to_string(kMaxWeightBands) +
                                               " {up_to_grams, fee_vnd} is required."});
    } else {
      for (std::size_t b = 0; b < bands->size(); ++b) {
        const auto& band = (*bands)[b];
        const std::string field = prefix + ".bands[" + std::to_string(b) + "]";
        if (!band.is_object() || !IsPlainInteger(band.value("up_to_grams", nlohmann::json())) ||
            !IsPlainInteger(band.value("fee_vnd", nlohmann::json()))) {
          errors.push_back({field, "Needs integer up_to_grams and fee_vnd."});
          continue;
        }
        rates.bands.push_back({band["up_to_grams"].get<std::int64_t>(), band["fee_vnd"].get<std::int64_t>()});
      }
    }
    for (const char* key : {"extra_step_grams", "extra_fee_vnd"}) {
      auto v = route->find(key);
      if (v == route->end() || !IsPlainInteger(*v)) {
        errors.push_back({prefix + "." + key, "An integer is required."});
        continue;
      }
      (std::string_view(key) == "extra_step_grams" ? rates.extra_step_grams : rates.extra_fee_vnd) =
          v->get<std::int64_t>();
    }
  }
  if (!errors.empty()) {
    std::string detail = errors.front().field + ": " + errors.front().message;
    return Error::Invalid(std::move(detail), std::move(errors));
  }
  TRY(ValidateRateTable(table));
  return table;
}

Result<std::optional<RateTable>> ShippingRates::Load(db::Connection& c, const std::string& province_code) {
  TRY_ASSIGN(db::Rows routes, c.Query(kSelectRoutes, {province_code}));
  if (routes.empty()) return std::optional<RateTable>();
  RateTable table;
  table.province_code = province_code;
  for (const db::Row& row : routes) {
    auto route = ParseRoute(row.Text(0));
    if (!route) continue;
    RouteRates& rates = RatesOf(table, *route);
    rates.extra_step_grams = row.Int(1);
    rates.extra_fee_vnd = row.Int(2);
    table.updated_at = std::max(table.updated_at, row.Int(3));
    table.updated_by = row.Int(4);
  }
  TRY_ASSIGN(db::Rows bands, c.Query(kSelectBands, {province_code}));
  for (const db::Row& row : bands) {
    auto route = ParseRoute(row.Text(0));
    if (!route) continue;
    RatesOf(table, *route).bands.push_back({row.Int(1), row.Int(2)});
  }
  return std::optional<RateTable>(std::move(table));
}

Result<RateTable> ShippingRates::ForProvince(const std::string& province_code) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(province_code);
    if (it != cache_.end() && now - it->second.loaded < kRateCacheTtl) return it->second.table;
  }
  TRY_ASSIGN(RateTable table, db_.Read([&](db::Connection& c) -> Result<RateTable> {
    TRY_ASSIGN(auto own, Load(c, province_code));
    if (own) return std::move(*own);
    TRY_ASSIGN(auto defaults, Load(c, std::string(kDefaultProvince)));
    if (!defaults) return Error::Internal("the default shipping rates are missing");
    return std::move(*defaults);
  }));
  std::lock_guard lock(mutex_);
  cache_[province_code] = Cached{table, now};
  return table;
}

Status ShippingRates::Replace(const RateTable& table) {
  TRY(ValidateRateTable(table));
  TRY(db_.Write([&](db::Connection& c) -> Status {
    TRY(c.Exec(kDeleteBands, {table.province_code}));
    TRY(c.Exec(kDeleteRoutes, {table.province_code}));
    for (std::size_t i = 0; i < kRouteCount; ++i) {
      const RouteRates& r = table.routes[i];
      TRY(c.Exec(kInsertRoute, {table.province_code, std::string(kRouteNames[i]), r.extra_step_grams,
                                r.extra_fee_vnd, table.updated_at, table.updated_by}));
      for (const WeightBand& b : r.bands) {
        TRY(c.Exec(kInsertBand,
                   {table.province_code, std::string(kRouteNames[i]), b.up_to_grams, b.fee_vnd}));
      }
    }
    return Ok{};
  }));
  std::lock_guard lock(mutex_);
  // Provinces without their own table cached the defaults under their own
  // code; dropping everything keeps the rule simple and the cache is small.
  cache_.clear();
  return Ok{};
}

Result<ShippingQuote> RateTableCarrier::Quote(const ShipmentRequest& request) {
  TRY_ASSIGN(RateTable table, rates_.ForProvince(request.from_province));
  const Route route =
      RouteBetween(request.from_commune, request.from_province, request.to_commune, request.to_province);
  TRY_ASSIGN(std::int64_t fee, FeeFor(table.routes[static_cast<std::size_t>(route)], request.weight_grams));
  return ShippingQuote{fee, route, std::string(Name())};
}

}  // namespace nongsan::orders
