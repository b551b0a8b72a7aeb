#include "http/metrics.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace nongsan::http {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(HttpMetricsTest, CountsRequestsByRouteMethodAndStatus) {
  Metrics metrics;
  metrics.ObserveRequest("/api/v1/products/{id}", "GET", 200, 0.003);
  metrics.ObserveRequest("/api/v1/products/{id}", "GET", 200, 0.004);
  metrics.ObserveRequest("/api/v1/products/{id}", "GET", 404, 0.001);
  metrics.ObserveRequest("", "BREW", 404, 0.0001);

  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE nongsan_http_requests_total counter\n"));
  EXPECT_TRUE(Contains(
      text,
      "nongsan_http_requests_total{route=\"/api/v1/products/{id}\",method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_TRUE(Contains(
      text,
      "nongsan_http_requests_total{route=\"/api/v1/products/{id}\",method=\"GET\",status=\"404\"} 1\n"));
  // Unmatched paths and odd methods collapse into bounded label values.
  EXPECT_TRUE(
      Contains(text, "nongsan_http_requests_total{route=\"unmatched\",method=\"OTHER\",status=\"404\"} 1\n"));
}

TEST(HttpMetricsTest, HistogramIsCumulative) {
  Metrics metrics;
  metrics.ObserveRequest("/r", "GET", 200, 0.0004);  // first bucket
  metrics.ObserveRequest("/r", "GET", 200, 0.003);   // le=0.005
  metrics.ObserveRequest("/r", "GET", 200, 7.0);     // only +Inf
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE nongsan_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.0025\"} 1\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_bucket{route=\"/r\",le=\"5\"} 2\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_count{route=\"/r\"} 3\n"));
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_sum{route=\"/r\"} 7.003"));
}

TEST(HttpMetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.ObserveRequest("/a\"b\\c\nd", "GET", 200, 0.01);
  EXPECT_TRUE(Contains(metrics.Render(), "route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(HttpMetricsTest, GaugesAreReadAtScrapeTime) {
  Metrics metrics;
  double in_use = 2;
  metrics.AddGauge("nongsan_db_pool_in_use", "Connections lent out", [&] { return in_use; });
  metrics.AddGauge("nongsan_broken", "Throws", []() -> double { throw std::runtime_error("down"); });
  EXPECT_TRUE(Contains(metrics.Render(),
                       "# HELP nongsan_db_pool_in_use Connections lent out\n"
                       "# TYPE nongsan_db_pool_in_use gauge\n"
                       "nongsan_db_pool_in_use 2\n"));
  in_use = 5;
  EXPECT_TRUE(Contains(metrics.Render(), "nongsan_db_pool_in_use 5\n"));
  EXPECT_TRUE(Contains(metrics.Render(), "nongsan_broken NaN\n"));
  EXPECT_THROW(metrics.AddGauge("nongsan_db_pool_in_use", "again", [] { return 0.0; }),
               std::invalid_argument);
  EXPECT_THROW(metrics.AddGauge("9bad name", "bad", [] { return 0.0; }), std::invalid_argument);
}

TEST(HttpMetricsTest, ConcurrentObservationsAreAllCounted) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.ObserveRequest(i % 2 ? "/odd" : "/even", "POST", 200 + t, 0.001);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "nongsan_http_request_duration_seconds_count{route=\"/odd\"} 4000\n"));
  EXPECT_TRUE(
      Contains(text, "nongsan_http_requests_total{route=\"/even\",method=\"POST\",status=\"203\"} 1000\n"));
}

TEST(HttpMetricsTest, MetricsResponseUsesExpositionFormat) {
  Metrics metrics;
  Response response = MetricsResponse(metrics);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(Contains(response.body, "nongsan_http_requests_total"));
}

}  // namespace
}  // namespace nongsan::http
