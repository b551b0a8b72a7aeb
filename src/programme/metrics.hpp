// The programme's metrics, by name, and how each is kept. Each metric is
// defined once, in docs/programme-metrics.md; this file is its code.
//
//   kRollup    kept in daily roll-up rows (programme_rollups) per current
//              commune, written in the same transaction as the event that
//              changes it; a period's value is the sum of its days.
//   kCounted   counted per commune and day by the owning module at query
//              time, through a port (household shops created, by sellers).
//   kPort      counted per commune and day by another module at query time,
//              through a port (livestreams); summed like kCounted.
//   kLevel     a level at a date (products on sale, active shops): computed
//              exactly at the end of the period (today if it ends later)
//              from the programme's own listing spans and shop days
//              (levels.hpp); no monthly series.
//   kPending   named and accepted as a target, not yet computed from the
//              data (the API reports its value as null). None today.
//
// Pure; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace nongsan::programme {

enum class Metric {
  kHouseholdsOnboarded,
  kShopsActive,
  kProductsListed,
  kOcopProductsListed,
  kCertifiedProducts,
  kOrders,
  kGmvVnd,
  kCooperativesSupported,
  kSupportRequestsDone,
  kPeopleTrained,
  kTrainingAttendances,
  kLivestreamSessions,
};
inline constexpr std::size_t kMetricCount = 12;

enum class MetricSource { kRollup, kCounted, kPort, kLevel, kPending };

// Rolled up or counted per commune and day (here or through a port): summed
// over a unit and period, with a monthly series.
bool IsSummedPerDay(Metric metric);

const std::array<Metric, kMetricCount>& AllMetrics();
std::string_view MetricName(Metric metric);
std::optional<Metric> ParseMetric(std::string_view name);
MetricSource SourceOf(Metric metric);
// The Vietnamese label the province reports under ("Lượt người tập huấn").
std::string_view MetricLabel(Metric metric);

}  // namespace nongsan::programme
