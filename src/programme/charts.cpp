#include "programme/charts.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"

namespace nongsan::programme {
namespace {

constexpr int kBarWidth = 120;
constexpr int kBarHeight = 12;
constexpr int kChartWidth = 640;
constexpr int kChartHeight = 220;
constexpr int kChartTop = 28;     // room for the title
constexpr int kChartBottom = 36;  // room for the month labels
constexpr const char* kLagging = "#b3261e";
constexpr const char* kBehind = "#b26a00";
constexpr const char* kOnTrack = "#1b6e3a";

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// 1234567 → "1.234.567", the Vietnamese grouping.
std::string Grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace

std::string ProgressBarSvg(std::optional<double> progress) {
  if (!progress) {
    return "<svg class=\"progress\" width=\"" + std::to_string(kBarWidth) + "\" height=\"" +
           std::to_string(kBarHeight) + "\" role=\"img\" aria-label=\"Chưa có chỉ tiêu\"><rect width=\"" +
           std::to_string(kBarWidth) + "\" height=\"" + std::to_string(kBarHeight) +
           "\" fill=\"#e6e6e6\"/></svg>";
  }
  const double share = std::clamp(*progress, 0.0, 1.0);
  const char* colour = *progress < kLaggingShare ? kLagging : *progress < kOnTrackShare ? kBehind : kOnTrack;
  const std::string percent = std::to_string(static_cast<int>(std::floor(*progress * 100))) + "%";
  return "<svg class=\"progress\" width=\"" + std::to_string(kBarWidth) + "\" height=\"" +
         std::to_string(kBarHeight) + "\" role=\"img\" aria-label=\"" + percent + "\"><rect width=\"" +
         std::to_string(kBarWidth) + "\" height=\"" + std::to_string(kBarHeight) +
         "\" fill=\"#e6e6e6\"/><rect width=\"" + Num(share * kBarWidth) + "\" height=\"" +
         std::to_string(kBarHeight) + "\" fill=\"" + colour + "\"/></svg>";
}

std::string MonthlyBarsSvg(const std::string& title,
                           const std::vector<std::pair<std::string, std::int64_t>>& points) {
  std::int64_t top = 1;
  for (const auto& [_, v] : points) top = std::max(top, v);
  const int plot_height = kChartHeight - kChartTop - kChartBottom;
  const double slot = points.empty() ? kChartWidth : double(kChartWidth) / double(points.size());
  const double bar = std::max(2.0, slot * 0.7);
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(kChartWidth) + " " +
                    std::to_string(kChartHeight) + "\" width=\"100%\" role=\"img\" aria-label=\"" +
                    text::HtmlEscape(title) + "\"><title>" + text::HtmlEscape(title) + "</title>";
  svg += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">" +
         text::HtmlEscape(title) + "</text>";
  const int baseline = kChartTop + plot_height;
  svg += "<line x1=\"0\" x2=\"" + std::to_string(kChartWidth) + "\" y1=\"" + std::to_string(baseline) +
         "\" y2=\"" + std::to_string(baseline) + "\" stroke=\"#999\"/>";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& [label, value] = points[i];
    const double h = value <= 0 ? 0 : double(plot_height) * double(value) / double(top);
    const double x = slot * double(i) + (slot - bar) / 2;
    svg += "<rect x=\"" + Num(x) + "\" y=\"" + Num(baseline - h) + "\" width=\"" + Num(bar) + "\" height=\"" +
           Num(h) + "\" fill=\"" + kOnTrack + "\"><title>" + text::HtmlEscape(label) + ": " + Grouped(value) +
           "</title></rect>";
    if (value > 0) {
      svg += "<text x=\"" + Num(x + bar / 2) + "\" y=\"" + Num(baseline - h - 3) +
             "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222\">" + Grouped(value) + "</text>";
    }
    // Month labels: "11/26" fits under a bar on a phone.
    const std::string short_label = label.size() == 7 ? label.substr(5, 2) + "/" + label.substr(2, 2) : label;
    svg += "<text x=\"" + Num(x + bar / 2) + "\" y=\"" + std::to_string(baseline + 16) +
           "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#444\">" + text::HtmlEscape(short_label) +
           "</text>";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace nongsan::programme
