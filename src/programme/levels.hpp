// The figures that are a level at a date rather than a sum over a period,
// computed exactly at the end of a Vietnam day from the programme's own
// tables (listing_rollups.hpp, rollups.hpp) and the covered products the
// quality module reports for that day:
//
//   products_listed       products on sale, in the commune they come from
//   ocop_products_listed  of those, covered by a valid OCOP certificate
//   certified_products    of those, covered by any valid certificate
//   shops_active          shops with a product on sale and an order placed
//                         in the kActiveShopWindowDays days ending that day,
//                         in the commune of their latest such order
//
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/metrics.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

// "At least one order in the last 90 days" (the definition).
inline constexpr std::int64_t kActiveShopWindowDays = 90;

// commune → metric → value at the end of the day
using LevelValues = std::map<std::string, std::map<Metric, std::int64_t>>;

// The figures at the end of `day` from the history (listing spans, level
// changes, shops' order days): any past day, and today so far. What a
// snapshot (snapshots.hpp) stores.
Result<LevelValues> LevelsAt(db::Connection& c, std::int64_t day, const std::vector<CoveredProduct>& covered);

// certified_products and ocop_products_listed at the end of `day`: the
// covered products on sale then, in the commune they came from. The costly
// part of a day's figures (certified_today.hpp keeps today's).
Result<LevelValues> CertifiedLevels(db::Connection& c, std::int64_t day,
                                    const std::vector<CoveredProduct>& covered);

// The same figures for today so far, from the state now rather than the
// history: shops_active from each shop's products on sale and latest order
// day (programme_shops), products_listed from the figures at the end of
// yesterday (its snapshot, when given) plus today's changes, and the two
// certified figures as given (CertifiedLevels of today, kept by
// CertifiedToday). Equal to LevelsAt(today) (tested).
Result<LevelValues> LevelsNow(db::Connection& c, std::int64_t today, const LevelValues& certified,
                              const LevelValues* yesterday);

}  // namespace nongsan::programme
