// The IPN endpoints over real HTTP (the project's server and router, a real
// database on each backend): VNPay's JSON answers, MoMo's 204 and
// problem+json, body limits, and duplicate IPNs racing on separate
// connections applying once.
#include "payments/gateways/gateway_routes.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "accounts/migrations.hpp"
#include "http/server.hpp"
#include "payments/gateways/gateway_test_support.hpp"
#include "payments/gateways/migrations.hpp"
#include "support/fake_gateways.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::payments::gateways {
namespace {

using testing::FakeMomo;
using testing::FakeVnpay;
using testing::HttpClient;

class GatewayRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = testing::OpenFreshTestDatabase(GetParam());
    ASSERT_TRUE(db::Migrate(*db_, {accounts::Migrations(), Migrations()}).ok());
    GatewaySettings settings;
    settings.vnpay = {testing::kFakeVnpayTmnCode, testing::kFakeVnpaySecret, vnpay_.PayUrl(),
                      vnpay_.ApiUrl()};
    settings.momo = {testing::kFakeMomoPartnerCode, testing::kFakeMomoAccessKey, testing::kFakeMomoSecretKey,
                     momo_.Endpoint()};
    settings.base_url = "https://cho.example.vn";
    service_ = std::make_unique<GatewayService>(*db_, clock_, settings);
    service_->SetPayments(&payments_);
    AddGatewayRoutes(router_, *service_);
    http::ServerConfig config;
    config.port = 0;
    config.threads = 4;
    config.access_log = false;
    server_ = std::make_unique<http::Server>(config, router_);
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  HttpClient Client() { return HttpClient("127.0.0.1", server_->port()); }
  void Open(std::int64_t id, std::int64_t amount, std::string_view method) {
    GatewayOrderRef order{id,     "NS" + std::to_string(id), "NSREF" + std::to_string(id),
                          amount, testing::kTestNowMs,       testing::kTestNowMs + 30 * 60 * 1000};
    ASSERT_TRUE(service_->PayUrl(method, order).ok());
  }

  FakeVnpay vnpay_;
  FakeMomo momo_;
  FakeClock clock_{testing::kTestNowMs};
  std::unique_ptr<db::Database> db_;
  RecordingPayments payments_;
  std::unique_ptr<GatewayService> service_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_P(GatewayRoutesTest, VnpayIpnAnswersVnpayJsonWithStatus200) {
  Open(1, 180'000, kMethodVnpay);
  auto client = Client();
  const std::string path = "/api/v1/payments/vnpay/ipn?";
  auto forged = client.Get(path + FakeVnpay::CallbackQuery("NSREF1", 180'000, "00", "1", "forged"));
  EXPECT_EQ(forged.status, 200);
  EXPECT_EQ(forged.Json(), nlohmann::json({{"RspCode", "97"}, {"Message", "Invalid signature"}}));
  EXPECT_EQ(client.Get(path + FakeVnpay::CallbackQuery("NSREF2", 180'000)).Json()["RspCode"], "01");
  EXPECT_EQ(client.Get(path + FakeVnpay::CallbackQuery("NSREF1", 18'000)).Json()["RspCode"], "04");
  EXPECT_TRUE(payments_.applied_vnd.empty());
  auto ok = client.Get(path + FakeVnpay::CallbackQuery("NSREF1", 180'000));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("content-type").rfind("application/json", 0), 0u);
  EXPECT_EQ(ok.Json(), nlohmann::json({{"RspCode", "00"}, {"Message", "Confirm Success"}}));
  EXPECT_EQ(client.Get(path + FakeVnpay::CallbackQuery("NSREF1", 180'000)).Json()["RspCode"], "02");
  EXPECT_EQ(payments_.applied_vnd["NSREF1"], 180'000);
  // No query at all is a bad signature too, never a 500.
  EXPECT_EQ(client.Get("/api/v1/payments/vnpay/ipn").Json()["RspCode"], "97");
}

TEST_P(GatewayRoutesTest, MomoIpnAnswers204OrAProblemNamingTheField) {
  Open(3, 99'000, kMethodMomo);
  auto client = Client();
  auto forged = client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody("NSREF3", 99'000, 0, 5, "forged"));
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(forged.Header("content-type"), "application/problem+json");
  EXPECT_EQ(forged.Json()["errors"][0]["field"], "signature") << forged.body;
  auto wrong = client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody("NSREF3", 98'000));
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  auto junk = client.Post("/api/v1/payments/momo/ipn", "not json");
  EXPECT_EQ(junk.status, 400);
  auto huge = client.Post("/api/v1/payments/momo/ipn", std::string(kMaxMomoIpnBodyBytes + 1, 'x'));
  EXPECT_EQ(huge.status, 413);
  EXPECT_TRUE(payments_.applied_vnd.empty());
  auto ok = client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody("NSREF3", 99'000));
  EXPECT_EQ(ok.status, 204);
  EXPECT_TRUE(ok.body.empty());
  EXPECT_EQ(client.Post("/api/v1/payments/momo/ipn", FakeMomo::IpnBody("NSREF3", 99'000)).status, 204);
  EXPECT_EQ(payments_.applied_vnd["NSREF3"], 99'000);
}

TEST_P(GatewayRoutesTest, DuplicateIpnsOnSeparateConnectionsApplyOnce) {
  Open(4, 42'000, kMethodVnpay);
  Open(5, 43'000, kMethodMomo);
  const std::string vnpay_path = "/api/v1/payments/vnpay/ipn?" + FakeVnpay::CallbackQuery("NSREF4", 42'000);
  const std::string momo_body = FakeMomo::IpnBody("NSREF5", 43'000).dump();
  std::mutex mutex;
  std::vector<std::string> vnpay_codes;
  std::vector<int> momo_statuses;
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      auto client = Client();
      if (i % 2 == 0) {
        const std::string code = client.Get(vnpay_path).Json().value("RspCode", "");
        std::lock_guard lock(mutex);
        vnpay_codes.push_back(code);
      } else {
        const int status = client.Post("/api/v1/payments/momo/ipn", momo_body).status;
        std::lock_guard lock(mutex);
        momo_statuses.push_back(status);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(vnpay_codes.begin(), vnpay_codes.end(), "00"), 1);
  EXPECT_EQ(std::count(vnpay_codes.begin(), vnpay_codes.end(), "02"), 5);
  EXPECT_EQ(std::count(momo_statuses.begin(), momo_statuses.end(), 204), 6);
  EXPECT_EQ(payments_.applied_vnd["NSREF4"], 42'000);
  EXPECT_EQ(payments_.applied_vnd["NSREF5"], 43'000);
}

INSTANTIATE_TEST_SUITE_P(Backends, GatewayRoutesTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

}  // namespace
}  // namespace nongsan::payments::gateways
