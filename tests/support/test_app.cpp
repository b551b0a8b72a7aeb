#include "support/test_app.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_db.hpp"

namespace nongsan::testing {

TestApp::TestApp(const std::string& backend, app::Config config)
    : backend_(backend), clock_(std::make_shared<FakeClock>(kTestNowMs)) {
  config.host = "127.0.0.1";
  config.port = 0;
  config.database = FreshTestDatabaseUrl(backend);
  if (config.data_dir == app::kDefaultDataDir) {
    config.data_dir =
        (std::filesystem::temp_directory_path() / ("nongsan-app-" + std::to_string(::getpid()) + "-" +
                                                   std::to_string(reinterpret_cast<std::uintptr_t>(this))))
            .string();
    std::filesystem::create_directories(config.data_dir);
  }
  config.access_log = false;
  if (config.threads == 0) config.threads = 4;
  auto opened = app::App::Open(config, clock_);
  if (!opened.ok()) {
    ADD_FAILURE() << "App::Open failed: " << opened.error().detail;
    return;
  }
  app_ = std::move(opened).value();
  auto migrated = app_->Migrate();
  if (!migrated.ok()) {
    ADD_FAILURE() << "Migrate failed: " << migrated.error().detail;
    return;
  }
  Status listening = app_->Listen();
  if (!listening.ok()) {
    ADD_FAILURE() << "Listen failed: " << listening.error().detail;
    return;
  }
  port_ = app_->port();
  thread_ = std::thread([this] { app_->Run(); });
}

TestApp::~TestApp() {
  if (app_) app_->Stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace nongsan::testing
