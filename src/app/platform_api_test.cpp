// The platform endpoints over real HTTP on each backend: who may read
// /metrics (issue 13: only from allowed addresses, loopback by default), the
// metrics_allow setting, and the address lists it is written in.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "http/address_list.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::testing {
namespace {

class PlatformApi : public ::testing::TestWithParam<std::string> {};

TEST_P(PlatformApi, MetricsAreServedToLoopbackByDefault) {
  TestApp app(GetParam());
  const ClientResponse metrics = app.Client().Get("/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_NE(metrics.body.find("nongsan_http_connections"), std::string::npos);
}

TEST_P(PlatformApi, MetricsAreRefusedToAddressesOutsideTheList) {
  app::Config config;
  config.metrics_allow = "10.0.0.0/8, 2001:db8::/32";  // the test client is 127.0.0.1
  TestApp app(GetParam(), config);
  const ClientResponse metrics = app.Client().Get("/metrics");
  EXPECT_EQ(metrics.status, 403) << metrics.body;
  EXPECT_EQ(metrics.Header("content-type"), "application/problem+json");
  EXPECT_EQ(metrics.body.find("nongsan_http"), std::string::npos);
  EXPECT_EQ(app.Client().Get("/healthz").status, 200);  // the health check stays public
}

INSTANTIATE_TEST_SUITE_P(Platform, PlatformApi, ::testing::ValuesIn(TestBackends()), BackendName);

TEST(AddressListTest, MatchesAddressesAndNetworks) {
  auto list = http::AddressList::Parse("127.0.0.1, ::1 10.1.0.0/16,fd00::/8");
  ASSERT_TRUE(list.ok()) << list.error().detail;
  EXPECT_TRUE(list->Contains("127.0.0.1"));
  EXPECT_TRUE(list->Contains("::ffff:127.0.0.1"));  // IPv4-mapped on a dual-stack socket
  EXPECT_TRUE(list->Contains("::1"));
  EXPECT_TRUE(list->Contains("10.1.255.3"));
  EXPECT_TRUE(list->Contains("fd12:3456::1"));
  EXPECT_FALSE(list->Contains("127.0.0.2"));
  EXPECT_FALSE(list->Contains("10.2.0.1"));
  EXPECT_FALSE(list->Contains("fe80::1"));
  EXPECT_FALSE(list->Contains("not an address"));
  EXPECT_FALSE(list->Contains(""));

  auto nobody = http::AddressList::Parse("");
  ASSERT_TRUE(nobody.ok());
  EXPECT_FALSE(nobody->Contains("127.0.0.1"));

  auto odd = http::AddressList::Parse("10.0.0.0/12");
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(odd->Contains("10.15.0.1"));
  EXPECT_FALSE(odd->Contains("10.16.0.1"));

  for (const char* bad : {"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "1.2.3.4/x", "300.1.1.1"}) {
    EXPECT_FALSE(http::AddressList::Parse(bad).ok()) << bad;
  }
}

TEST(PlatformConfigTest, MetricsAllowIsCheckedWhenSet) {
  app::Config config;
  EXPECT_EQ(config.metrics_allow, app::kDefaultMetricsAllow);
  EXPECT_TRUE(app::ApplySettings(config, {{"metrics_allow", "192.168.1.0/24"}}, "test").ok());
  EXPECT_EQ(config.metrics_allow, "192.168.1.0/24");
  const Status bad = app::ApplySettings(config, {{"metrics_allow", "192.168.1.0/99"}}, "test");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().detail.find("metrics_allow"), std::string::npos);
  EXPECT_EQ(config.metrics_allow, "192.168.1.0/24");
}

TEST(PlatformConfigTest, HomeProvinceIsATwoDigitCode) {
  app::Config config;
  EXPECT_EQ(config.home_province, app::kDefaultHomeProvince);
  EXPECT_TRUE(app::ApplySettings(config, {{"home_province", "01"}}, "test").ok());
  EXPECT_EQ(config.home_province, "01");
  for (const char* bad : {"1", "019", "ab", "", "1 "}) {
    const Status st = app::ApplySettings(config, {{"home_province", bad}}, "test");
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_NE(st.error().detail.find("home_province"), std::string::npos);
  }
  EXPECT_EQ(config.home_province, "01");
}

}  // namespace
}  // namespace nongsan::testing
