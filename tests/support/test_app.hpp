// Runs a real nongsan App in-process for API tests: a fresh database on the
// chosen backend ("sqlite" or "postgres"), migrated, a FakeClock the test can
// move, listening on a free loopback port and served on background threads.
// Tests talk to it over real HTTP with HttpClient.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "app/app.hpp"
#include "core/clock.hpp"
#include "support/http_client.hpp"

namespace nongsan::testing {

// 2026-11-29T10:00:00+07:00, the tests' "now".
inline constexpr std::int64_t kTestNowMs = 1795921200000;

class TestApp {
 public:
  // Starts the app; the test fails (ASSERT) if it cannot.
  explicit TestApp(const std::string& backend, app::Config config = {});
  ~TestApp();
  TestApp(const TestApp&) = delete;
  TestApp& operator=(const TestApp&) = delete;

  app::App& app() { return *app_; }
  FakeClock& clock() { return *clock_; }
  unsigned short port() const { return port_; }
  HttpClient Client() const { return HttpClient("127.0.0.1", port_); }
  const std::string& backend() const { return backend_; }

 private:
  std::string backend_;
  std::shared_ptr<FakeClock> clock_;
  std::unique_ptr<app::App> app_;
  std::thread thread_;
  unsigned short port_ = 0;
};

}  // namespace nongsan::testing
