// The roll-ups equal a recount from the raw order rows after randomised
// activity (checkouts across communes and days, replays, cancellations,
// concurrent buyers), on each backend. The recount reads the orders table
// directly: it is the independent check of what the observer wrote.
#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <tuple>

#include "core/clock.hpp"
#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;
using orders::testing::CheckoutBody;
using Key = std::tuple<std::int64_t, std::string, std::string>;  // day, commune, metric

// The roll-up rows once the orders journal is folded (a checkout only
// appends to the journal); the monthly sums are checked against them.
std::map<Key, std::int64_t> RollupRows(db::Database& db) {
  std::map<Key, std::int64_t> out;
  EXPECT_TRUE(FoldOrderJournal(db).ok());
  auto months = db.Read([](db::Connection& c) {
    return c.Query("SELECT month, commune_code, metric, value FROM programme_rollup_months");
  });
  EXPECT_TRUE(months.ok());
  auto rows = db.Read([](db::Connection& c) {
    return c.Query("SELECT day, commune_code, metric, value FROM programme_rollups");
  });
  EXPECT_TRUE(rows.ok());
  if (!rows.ok()) return out;
  std::map<Key, std::int64_t> by_month, month_rows;
  for (const auto& r : *rows) {
    if (r.Int(3) != 0) out[{r.Int(0), r.Text(1), r.Text(2)}] = r.Int(3);
    by_month[{MonthOfDay(r.Int(0)), r.Text(1), r.Text(2)}] += r.Int(3);
  }
  if (months.ok()) {
    for (const auto& r : *months) month_rows[{r.Int(0), r.Text(1), r.Text(2)}] = r.Int(3);
  }
  EXPECT_EQ(month_rows, by_month);
  return out;
}

std::int64_t JournalRows(db::Database& db) {
  auto n =
      db.Read([](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM programme_order_journal"); });
  EXPECT_TRUE(n.ok());
  return n.ok() ? *n : -1;
}

std::map<Key, std::int64_t> RecountFromOrders(db::Database& db) {
  std::map<Key, std::int64_t> out;
  auto rows = db.Read([](db::Connection& c) {
    return c.Query("SELECT from_commune_code, created_at, total_vnd FROM orders_orders");
  });
  EXPECT_TRUE(rows.ok());
  if (!rows.ok()) return out;
  for (const auto& r : *rows) {
    const std::int64_t day = timefmt::LocalDay(r.Int(1));
    out[{day, r.Text(0), "orders"}] += 1;
    if (r.Int(2) != 0) out[{day, r.Text(0), "gmv_vnd"}] += r.Int(2);
  }
  return out;
}

TEST_P(ProgrammeTest, RollupsEqualRecountAfterRandomisedActivity) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  app::Services& services = app_->app().services();
  const std::vector<std::string> communes = {kCommuneA, kCommuneB, kCommuneC, kHanoiCommune};
  std::vector<Shop> shops;
  std::vector<std::int64_t> products;
  for (int i = 0; i < 6; ++i) {
    shops.push_back(seeder_->NewShop("Cửa hàng " + std::to_string(i), communes[i % communes.size()]));
    for (int j = 0; j < 2; ++j) {
      products.push_back(seeder_->NewProduct(
          shops.back(),
          {.price_vnd = 10'000 * (1 + static_cast<std::int64_t>(rng() % 20)), .stock = 100'000}));
    }
  }
  std::vector<Principal> buyers;
  for (int i = 0; i < 4; ++i) buyers.push_back(seeder_->PrincipalOf(seeder_->NewPerson("Người mua")));

  // Sequential phase: the clock moves by up to 9 hours between checkouts, so
  // orders fall on many days and on both sides of midnight in Vietnam.
  std::vector<std::int64_t> placed_orders;
  int key = 0;
  for (int step = 0; step < 120; ++step) {
    app_->clock().Advance(static_cast<std::int64_t>(rng() % (9 * 3600)) * 1000);
    const int lines = 1 + static_cast<int>(rng() % 3);
    std::vector<std::pair<std::int64_t, std::int64_t>> items;
    for (int l = 0; l < lines; ++l) items.push_back({products[rng() % products.size()], 1 + rng() % 4});
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                items.end());
    const Principal& buyer = buyers[rng() % buyers.size()];
    const std::string k = "rk-" + std::to_string(key++);
    auto res = services.orders->Checkout(buyer, k, CheckoutBody(items));
    ASSERT_TRUE(res.ok()) << nongsan::testing::ErrorText(res);
    for (const auto& o : res->body["orders"]) placed_orders.push_back(o["id"].get<std::int64_t>());
    // Now and then the same request again: a replay must count nothing.
    if (rng() % 5 == 0) {
      ASSERT_TRUE(services.orders->Checkout(buyer, k, CheckoutBody(items)).ok());
    }
    // And now and then a cancellation: the order was still placed that day.
    if (rng() % 4 == 0) {
      orders::TransitionInput cancel{"cancelled", "Đổi ý", "", {}};
      ASSERT_TRUE(services.orders->Transition(buyer, placed_orders.back(), cancel).ok());
    }
  }
  // Concurrent phase: four buyers at once on one day, so their journal rows
  // and a folder racing them (besides the keeper's) meet.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::atomic<int> buyers_done{0};
  std::atomic<std::int64_t> folded{0};
  std::thread folder([&] {
    while (buyers_done.load() < 4) {
      auto n = FoldOrderJournal(app_->app().db());
      if (!n.ok())
        failures.fetch_add(1);
      else
        folded.fetch_add(*n);
    }
  });
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 local(seed + t);
      for (int i = 0; i < 15; ++i) {
        const std::int64_t product = products[local() % products.size()];
        auto res = services.orders->Checkout(buyers[t], "ck-" + std::to_string(t) + "-" + std::to_string(i),
                                             CheckoutBody({{product, 1}}));
        if (!res.ok()) failures.fetch_add(1);
      }
      buyers_done.fetch_add(1);
    });
  }
  for (auto& th : threads) th.join();
  folder.join();
  EXPECT_EQ(failures.load(), 0);

  const auto rollups = RollupRows(app_->app().db());
  const auto recount = RecountFromOrders(app_->app().db());
  EXPECT_GT(recount.size(), 20u);
  EXPECT_EQ(rollups, recount);

  // And the API's province figure is the recount of the province's communes.
  const std::int64_t id = NewProgramme();
  std::int64_t orders_in_province = 0;
  std::int64_t gmv_in_province = 0;
  for (const auto& [k, v] : recount) {
    if (std::get<1>(k) == kHanoiCommune) continue;
    (std::get<2>(k) == "orders" ? orders_in_province : gmv_in_province) += v;
  }
  HttpClient client = Client();
  auto res = client.Get(
      "/api/v1/programmes/" + std::to_string(id) + "/metrics?level=province&from=2026-01-01&to=2027-06-30",
      admin_.auth);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json()["units"][0]["metrics"]["orders"]["value"], orders_in_province);
  EXPECT_EQ(res.Json()["units"][0]["metrics"]["gmv_vnd"]["value"], gmv_in_province);
}

// A checkout's order reaches the figures through the orders journal: a read
// folds first, so it is counted at once, and a fold moves it exactly once.
TEST_P(ProgrammeTest, OrdersAreCountedFromTheJournalExactlyOnce) {
  app::Services& services = app_->app().services();
  const Shop shop = seeder_->NewShop("Hộ chè Tân Cương", kCommuneA);
  const std::int64_t product = seeder_->NewProduct(shop, {.price_vnd = 120'000, .stock = 100});
  const Principal buyer = seeder_->PrincipalOf(seeder_->NewPerson("Người mua"));
  ASSERT_TRUE(FoldOrderJournal(app_->app().db()).ok());
  std::int64_t total = 0;
  for (int i = 0; i < 3; ++i) {
    auto res = services.orders->Checkout(buyer, "j-" + std::to_string(i), CheckoutBody({{product, 1 + i}}));
    ASSERT_TRUE(res.ok()) << nongsan::testing::ErrorText(res);
    total += res->body["orders"][0]["total_vnd"].get<std::int64_t>();
  }
  const std::int64_t id = NewProgramme();
  HttpClient client = Client();
  auto res = client.Get("/api/v1/programmes/" + std::to_string(id) +
                            "/metrics?level=commune&unit=" + kCommuneA + "&from=2026-01-01&to=2026-12-31",
                        admin_.auth);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json()["units"][0]["metrics"]["orders"]["value"], 3);
  EXPECT_EQ(res.Json()["units"][0]["metrics"]["gmv_vnd"]["value"], total);
  EXPECT_EQ(res.Json()["units"][0]["metrics"]["shops_active"]["value"], 1);
  EXPECT_EQ(JournalRows(app_->app().db()), 0);  // the read folded it
  // Folding again changes nothing.
  auto again = FoldOrderJournal(app_->app().db());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(RollupRows(app_->app().db()), RecountFromOrders(app_->app().db()));
}

}  // namespace
}  // namespace nongsan::programme::testing
