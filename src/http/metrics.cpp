#include "http/metrics.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace nongsan::http {

namespace {

constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kRequestsName = "nongsan_http_requests_total";
constexpr std::string_view kDurationName = "nongsan_http_request_duration_seconds";

std::string_view NormalizeMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (const auto known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

// Label values escape backslash, double quote and newline (format 0.0.4).
std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

std::string_view RouteLabel(std::string_view route) { return route.empty() ? kUnmatchedRoute : route; }

}  // namespace

struct Metrics::CounterSeries {
  std::string route;
  std::string method;
  int status = 0;
  std::atomic<std::uint64_t> count{0};
};

struct Metrics::HistogramSeries {
  std::string route;
  // Per-bucket (not cumulative) counts; the last slot is +Inf. Render sums.
  std::array<std::atomic<std::uint64_t>, kRequestDurationBuckets.size() + 1> buckets{};
  std::atomic<std::uint64_t> count{0};
  std::atomic<double> sum{0};
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::CounterSeries& Metrics::Counter(std::string_view route, std::string_view method, int status) {
  std::string key = fmt::format("{}\n{}\n{}", route, method, status);
  {
    std::shared_lock lock(series_mutex_);
    if (const auto it = counters_.find(key); it != counters_.end()) return *it->second;
  }
  std::unique_lock lock(series_mutex_);
  auto& slot = counters_[std::move(key)];
  if (!slot) {
    slot = std::make_unique<CounterSeries>();
    slot->route = route;
    slot->method = method;
    slot->status = status;
  }
  return *slot;
}

Metrics::HistogramSeries& Metrics::Histogram(std::string_view route) {
  {
    std::shared_lock lock(series_mutex_);
    if (const auto it = histograms_.find(route); it != histograms_.end()) return *it->second;
  }
  std::unique_lock lock(series_mutex_);
  auto& slot = histograms_[std::string(route)];
  if (!slot) {
    slot = std::make_unique<HistogramSeries>();
    slot->route = route;
  }
  return *slot;
}

void Metrics::ObserveRequest(std::string_view route, std::string_view method, int status, double seconds) {
  const std::string_view route_label = RouteLabel(route);
  Counter(route_label, NormalizeMethod(method), status).count.fetch_add(1, std::memory_order_relaxed);

  HistogramSeries& histogram = Histogram(route_label);
  std::size_t bucket = 0;
  while (bucket < kRequestDurationBuckets.size() && seconds > kRequestDurationBuckets[bucket]) {
    ++bucket;
  }
  histogram.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  histogram.count.fetch_add(1, std::memory_order_relaxed);
  histogram.sum.fetch_add(seconds, std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  if (!IsValidMetricName(name)) throw std::invalid_argument("invalid metric name: " + name);
  if (!read) throw std::invalid_argument("gauge without callback: " + name);
  std::lock_guard lock(gauges_mutex_);
  for (const auto& gauge : gauges_) {
    if (gauge.name == name) throw std::invalid_argument("gauge registered twice: " + name);
  }
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::Render() const {
  std::string out;
  {
    std::shared_lock lock(series_mutex_);
    fmt::format_to(std::back_inserter(out),
                   "# HELP {0} HTTP requests by route pattern, method and status.\n"
                   "# TYPE {0} counter\n",
                   kRequestsName);
    for (const auto& [key, series] : counters_) {
      fmt::format_to(std::back_inserter(out), "{}{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                     kRequestsName, EscapeLabel(series->route), series->method, series->status,
                     series->count.load(std::memory_order_relaxed));
    }
    fmt::format_to(std::back_inserter(out),
                   "# HELP {0} HTTP request duration by route pattern.\n"
                   "# TYPE {0} histogram\n",
                   kDurationName);
    for (const auto& [route, series] : histograms_) {
      const std::string label = EscapeLabel(route);
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kRequestDurationBuckets.size(); ++i) {
        cumulative += series->buckets[i].load(std::memory_order_relaxed);
        fmt::format_to(std::back_inserter(out), "{}_bucket{{route=\"{}\",le=\"{}\"}} {}\n", kDurationName,
                       label, FormatValue(kRequestDurationBuckets[i]), cumulative);
      }
      cumulative += series->buckets.back().load(std::memory_order_relaxed);
      fmt::format_to(std::back_inserter(out), "{}_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", kDurationName,
                     label, cumulative);
      fmt::format_to(std::back_inserter(out), "{}_sum{{route=\"{}\"}} {}\n", kDurationName, label,
                     FormatValue(series->sum.load(std::memory_order_relaxed)));
      // _count equals the +Inf bucket by definition; reusing it keeps the
      // two consistent even while other threads are observing.
      fmt::format_to(std::back_inserter(out), "{}_count{{route=\"{}\"}} {}\n", kDurationName, label,
                     cumulative);
    }
  }

  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(gauges_mutex_);
    gauges = gauges_;
  }
  for (const auto& gauge : gauges) {
    double value = std::nan("");
    try {
      value = gauge.read();
    } catch (const std::exception&) {
      // A failing probe (say, the database is down) shows as NaN rather than
      // breaking the whole scrape.
    }
    fmt::format_to(std::back_inserter(out), "# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", gauge.name,
                   EscapeHelp(gauge.help), FormatValue(value));
  }
  return out;
}

Response MetricsResponse(const Metrics& metrics) {
  return Response::Text(200, metrics.Render(), std::string(kExpositionContentType));
}

}  // namespace nongsan::http
