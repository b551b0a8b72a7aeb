#include "programme/metrics.hpp"

namespace nongsan::programme {
namespace {

struct MetricInfo {
  Metric metric;
  std::string_view name;
  MetricSource source;
  std::string_view label;
};

// In the order the province reports them.
constexpr std::array<MetricInfo, kMetricCount> kMetrics{{
    {Metric::kHouseholdsOnboarded, "households_onboarded", MetricSource::kCounted, "Hộ lên sàn"},
    {Metric::kShopsActive, "shops_active", MetricSource::kLevel, "Cửa hàng hoạt động"},
    {Metric::kProductsListed, "products_listed", MetricSource::kLevel, "Sản phẩm trên sàn"},
    {Metric::kOcopProductsListed, "ocop_products_listed", MetricSource::kLevel, "Sản phẩm OCOP trên sàn"},
    {Metric::kCertifiedProducts, "certified_products", MetricSource::kLevel, "Sản phẩm có chứng nhận"},
    {Metric::kOrders, "orders", MetricSource::kRollup, "Đơn hàng"},
    {Metric::kGmvVnd, "gmv_vnd", MetricSource::kRollup, "Doanh số (đồng)"},
    {Metric::kCooperativesSupported, "cooperatives_supported", MetricSource::kRollup, "HTX được hỗ trợ"},
    {Metric::kSupportRequestsDone, "support_requests_done", MetricSource::kRollup, "Yêu cầu hỗ trợ đã xong"},
    {Metric::kPeopleTrained, "people_trained", MetricSource::kRollup, "Người được tập huấn"},
    {Metric::kTrainingAttendances, "training_attendances", MetricSource::kRollup, "Lượt người tập huấn"},
    {Metric::kLivestreamSessions, "livestream_sessions", MetricSource::kPort, "Phiên livestream"},
}};

constexpr std::array<Metric, kMetricCount> MetricList() {
  std::array<Metric, kMetricCount> out{};
  for (std::size_t i = 0; i < kMetricCount; ++i) out[i] = kMetrics[i].metric;
  return out;
}

}  // namespace

const std::array<Metric, kMetricCount>& AllMetrics() {
  static constexpr auto kList = MetricList();
  return kList;
}

std::string_view MetricName(Metric metric) { return kMetrics[static_cast<std::size_t>(metric)].name; }

std::string_view MetricLabel(Metric metric) { return kMetrics[static_cast<std::size_t>(metric)].label; }

MetricSource SourceOf(Metric metric) { return kMetrics[static_cast<std::size_t>(metric)].source; }

bool IsSummedPerDay(Metric metric) {
  const MetricSource source = SourceOf(metric);
  return source == MetricSource::kRollup || source == MetricSource::kCounted || source == MetricSource::kPort;
}

std::optional<Metric> ParseMetric(std::string_view name) {
  for (const MetricInfo& m : kMetrics) {
    if (m.name == name) return m.metric;
  }
  return std::nullopt;
}

}  // namespace nongsan::programme
