// Charts drawn on the server as inline SVG, so the dashboard, the public
// figures page and the reports read without JavaScript. Sizes and colours
// come from SVG presentation attributes (the pages' CSP allows no inline
// CSS). Every label is escaped. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nongsan::programme {

// Progress below this share of the target is shown as lagging (red), below
// kOnTrackShare as behind (amber), else on track (green).
inline constexpr double kLaggingShare = 0.5;
inline constexpr double kOnTrackShare = 0.8;

// A horizontal bar for progress towards a target (nullopt: no target).
std::string ProgressBarSvg(std::optional<double> progress);

// Vertical bars of one value per period ("2026-11" → 12), titled.
std::string MonthlyBarsSvg(const std::string& title,
                           const std::vector<std::pair<std::string, std::int64_t>>& points);

}  // namespace nongsan::programme
