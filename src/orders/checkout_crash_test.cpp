// The real server binary is killed with SIGKILL in the middle of a checkout
// storm and started again on the same database; the clients then retry every
// request whose answer they never received, with the same Idempotency-Keys.
// Afterwards: every checkout whose 201 a client received exists exactly once,
// no retry created a second one, every checkout in the database is one a
// client was told about, the stock arithmetic holds and (SQLite) the file
// passes PRAGMA integrity_check. Both backends.
//
// The binary is $NONGSAN_BINARY (ctest sets it), else `nongsan` beside the
// test binary.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "app/app.hpp"
#include "orders/orders_test_support.hpp"
#include "support/server_process.hpp"

namespace nongsan::orders::testing {
namespace {

using nongsan::testing::FreePort;
using nongsan::testing::ServerProcess;

constexpr int kClients = 8;
constexpr int kRequestsPerClient = 60;
// The server is killed once this many checkouts have been answered 201.
constexpr int kKillAfterSuccesses = 120;
constexpr std::int64_t kStockEach = 2'000;

struct Attempt {
  std::string key;
  nlohmann::json body;
  int status = 0;  // last answer; 0 = none received
  nlohmann::json response;
};

class CheckoutCrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckoutCrashTest, KilledMidStormLosesAndDuplicatesNothing) {
  const std::string url = nongsan::testing::FreshTestDatabaseUrl(GetParam());
  const std::string data_dir = (std::filesystem::temp_directory_path() /
                                ("nongsan-crash-" + std::to_string(::getpid()) + "-" + GetParam()))
                                   .string();
  std::filesystem::create_directories(data_dir);
  app::Config config;
  config.database = url;
  config.data_dir = data_dir;
  config.access_log = false;

  // Shops, products and buyers are made in-process with the real services,
  // then the App is closed so the server process owns the database.
  std::vector<Person> buyers;
  std::vector<std::int64_t> products;
  {
    auto opened = app::App::Open(config);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    auto app = std::move(opened).value();
    ASSERT_TRUE(app->Migrate().ok());
    Seeder seed(*app);
    Shop a = seed.NewShop("Chè Hảo Đạt", kTnCommuneA);
    Shop b = seed.NewShop("HTX Na Võ Nhai", kTnCommuneB);
    products = {seed.NewProduct(a, {"Chè búp", 100'000, kStockEach, 500}),
                seed.NewProduct(a, {"Gạo nếp", 50'000, kStockEach, 1000}),
                seed.NewProduct(b, {"Na dai", 200'000, kStockEach, 2000})};
    for (int i = 0; i < kClients; ++i) buyers.push_back(seed.NewPerson("Người mua " + std::to_string(i)));
  }
  ASSERT_FALSE(HasFailure());

  // Every client's requests, fixed up front so a retry sends the same body.
  std::vector<std::vector<Attempt>> plan(kClients);
  std::mt19937 random(20261129);
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kRequestsPerClient; ++i) {
      std::vector<std::pair<std::int64_t, std::int64_t>> items;
      for (std::int64_t p : products) {
        if (random() % 3 != 0) items.emplace_back(p, 1 + random() % 2);
      }
      if (items.empty()) items.emplace_back(products[0], 1);
      plan[c].push_back({"crash-" + std::to_string(c) + "-" + std::to_string(i), CheckoutBody(items), 0, {}});
    }
  }

  auto run_storm = [&](unsigned short port, std::atomic<int>& successes, std::atomic<int>& finished,
                       bool until_answered) {
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c, port, until_answered] {
        HttpClient client("127.0.0.1", port);
        client.set_timeout(std::chrono::seconds(30));
        for (Attempt& a : plan[c]) {
          if (a.status == 201 || a.status == 409) continue;  // already answered for good
          for (int tries = 0; tries < (until_answered ? 20 : 1); ++tries) {
            auto resp = PostCheckout(client, buyers[c], a.key, a.body);
            a.status = resp.status;
            if (resp.status == 201) {
              a.response = resp.Json();
              ++successes;
            }
            if (resp.status != 0 && resp.status != 503) break;
            if (until_answered) std::this_thread::sleep_for(std::chrono::milliseconds(50));
          }
        }
        ++finished;
      });
    }
    return clients;
  };

  // 1. The storm, killed mid-way.
  std::atomic<int> successes{0};
  {
    ServerProcess server(url, data_dir, FreePort());
    ASSERT_TRUE(server.WaitReady()) << "see " << data_dir;
    std::atomic<int> finished{0};
    auto clients = run_storm(server.port(), successes, finished, false);
    while (successes.load() < kKillAfterSuccesses && finished.load() < kClients) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server.Kill(SIGKILL);
    for (auto& t : clients) t.join();
  }
  const int answered_before = successes.load();
  int unanswered = 0;
  std::map<std::string, nlohmann::json> first_answers;
  for (const auto& per_client : plan) {
    for (const Attempt& a : per_client) {
      if (a.status == 201)
        first_answers[a.key] = a.response;
      else
        ++unanswered;
    }
  }
  EXPECT_GE(answered_before, kKillAfterSuccesses);
  EXPECT_GT(unanswered, 0) << "the server finished before it was killed; nothing was tested";

  // 2. Restart on the same database and retry everything unanswered, plus
  //    every answered request once more to prove retries never duplicate.
  {
    ServerProcess server(url, data_dir, FreePort());
    ASSERT_TRUE(server.WaitReady()) << "see " << data_dir;
    std::atomic<int> after{0};
    std::atomic<int> finished{0};
    auto clients = run_storm(server.port(), after, finished, true);
    for (auto& t : clients) t.join();
    HttpClient client("127.0.0.1", server.port());
    for (int c = 0; c < kClients; ++c) {
      for (const Attempt& a : plan[c]) {
        if (!first_answers.count(a.key)) continue;
        auto again = PostCheckout(client, buyers[c], a.key, a.body);
        ASSERT_EQ(again.status, 201);
        EXPECT_EQ(again.Json(), first_answers[a.key]) << a.key;
      }
    }
    server.Kill(SIGTERM);
  }

  // 3. The books, read in-process once the server is gone.
  std::set<std::string> told_checkouts;
  std::int64_t told_orders = 0;
  std::map<std::int64_t, std::int64_t> told_quantity;
  for (const auto& per_client : plan) {
    for (const Attempt& a : per_client) {
      ASSERT_EQ(a.status, 201) << a.key << " never succeeded";
      EXPECT_TRUE(told_checkouts.insert(a.response["checkout_id"].get<std::string>()).second);
      for (const auto& o : a.response["orders"]) {
        ++told_orders;
        for (const auto& l : o["lines"]) told_quantity[l["product_id"]] += l["quantity"].get<std::int64_t>();
      }
    }
  }
  auto opened = app::App::Open(config);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  auto app = std::move(opened).value();
  ASSERT_TRUE(app->Migrate().ok());
  Seeder seed(*app);
  EXPECT_EQ(seed.CountRows("orders_checkouts"), static_cast<std::int64_t>(told_checkouts.size()));
  EXPECT_EQ(seed.CountRows("orders_orders"), told_orders);
  auto stored = app->db().Read([](db::Connection& c) { return c.Query("SELECT id FROM orders_checkouts"); });
  ASSERT_TRUE(stored.ok());
  for (const db::Row& r : *stored)
    EXPECT_TRUE(told_checkouts.count(r.Text(0))) << "untold checkout " << r.Text(0);
  for (std::int64_t p : products) {
    auto check = seed.ExpectStockHolds(p);
    EXPECT_EQ(check.held_by_orders, told_quantity[p]);
    EXPECT_EQ(check.catalog.available, kStockEach - told_quantity[p]);
  }
  if (GetParam() == "sqlite") {
    auto integrity = app->db().Read([](db::Connection& c) { return c.QueryOne("PRAGMA integrity_check"); });
    ASSERT_TRUE(integrity.ok());
    ASSERT_TRUE(integrity->has_value());
    EXPECT_EQ((*integrity)->Text(0), "ok");
  }
  app.reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir, ignored);
}

INSTANTIATE_TEST_SUITE_P(Checkout, CheckoutCrashTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::orders::testing
