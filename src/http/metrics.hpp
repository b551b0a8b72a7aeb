// Prometheus metrics for the HTTP server, rendered in text exposition format
// 0.0.4: a request counter by route/method/status, a request-duration
// histogram by route, and gauges read through callbacks at scrape time (the
// app registers database pool figures this way).
//
// Thread-safety: ObserveRequest and Render may be called from any thread at
// once; a known series is updated with atomics under a shared lock. Gauges
// are usually registered at start-up; their callbacks run on the scraping
// thread without any Metrics lock held, so they may take their own locks.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"

namespace nongsan::http {

// Upper bounds (seconds) of the duration histogram buckets; +Inf is implied.
inline constexpr std::array<double, 13> kRequestDurationBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

// Label used for requests that matched no route, so that scanners probing
// random paths cannot create unbounded series.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `route` is the matched pattern (empty → kUnmatchedRoute); methods outside
  // the standard set are counted as "OTHER" for the same reason.
  void ObserveRequest(std::string_view route, std::string_view method, int status, double seconds);

  // Registers a gauge whose value `read` returns at scrape time. `name` must
  // be a valid Prometheus metric name and unique; violations throw
  // std::invalid_argument because they are wiring bugs.
  void AddGauge(std::string name, std::string help, std::function<double()> read);

  std::string Render() const;

 private:
  struct CounterSeries;
  struct HistogramSeries;
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };

  CounterSeries& Counter(std::string_view route, std::string_view method, int status);
  HistogramSeries& Histogram(std::string_view route);

  mutable std::shared_mutex series_mutex_;
  std::map<std::string, std::unique_ptr<CounterSeries>, std::less<>> counters_;
  std::map<std::string, std::unique_ptr<HistogramSeries>, std::less<>> histograms_;
  mutable std::mutex gauges_mutex_;
  std::vector<Gauge> gauges_;
};

// The /metrics response body with the Prometheus content type.
Response MetricsResponse(const Metrics& metrics);

}  // namespace nongsan::http
