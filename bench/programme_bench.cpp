// The programme module's figures (issue 17), in process on a real SQLite
// file:
//   BM_Dashboard     the officials' dashboard page (/chuong-trinh) for the
//                    province admin, through the real route, renderer and
//                    templates, with per-request p50/p99 as counters (the
//                    page keeps its figures 60 s: the same request again)
//   BM_DashboardUncached  the same page, each request for another period
//                    ending on a settled day (June to October), so every one
//                    computes its figures (its levels from the day's snapshot)
//   BM_DashboardToday  the same, each period running past today, so the
//                    level figures are today's, from the state now (the
//                    certified ones as kept since nothing changed them)
//   BM_DashboardTodayAfterChange  the same after a change to what is
//                    certified and on sale (a product hidden or shown
//                    through the catalogue, untimed): the certified figures
//                    computed again, from the products' state
//                    (programme/product_state.hpp; counter from_scratch:
//                    those computed by crossing the whole coverage instead)
//   BM_LevelsFromHistory  one settled day's level figures computed from the
//                    history (what a snapshot costs once, and what every
//                    fresh page cost before the snapshots)
//   BM_ReportXlsx    the XLSX report of the whole province
//   BM_Checkout/0|1  checkouts (one line, one order) without (0) and with (1)
//                    the roll-up observer, for the cost of keeping roll-ups;
//                    process CPU time, with the journal folded inside the
//                    timed loop (the keeper's work is counted)
//   BM_CheckoutAlternating  the same two, in one process, alternated in
//                    rounds of kAlternatingBlock checkouts each (off, on,
//                    off, on, ...; the order flips every round), process
//                    CPU per checkout per block; counters: the medians, the
//                    median and spread of on/off per round, and the first
//                    and last rounds' off figure (does the fixture's growth
//                    move it?)
// The dashboard and the report read only the programme's roll-ups, targets,
// requests and trainings and the places, never the shops, products or orders
// tables, so the seeding tool writes the roll-up rows 2,000,000 orders make
// (92 communes × 365 days) directly, with 500 support requests, 60
// trainings and 55,000 household shops (rows of the sellers table, which the
// households figure counts); NONGSAN_BENCH_ORDERS and NONGSAN_BENCH_SHOPS
// change the counts. The level figures (products on sale, active shops) read
// the programme's own listing spans and shops' order days, so those are
// written directly too: a span for each of 1,000,000 products
// (NONGSAN_BENCH_PRODUCTS; a tenth taken off sale during the year) and the
// order days the orders make among the shops. Certificates are written into
// the quality module's tables (one verified certificate for every
// NONGSAN_BENCH_CERTIFIED_EVERY-th product, 12 by default, every other one an
// OCOP rating), so certified_products and ocop_products_listed cross a real
// coverage. The settled days the uncached dashboard asks for get their
// snapshots, as the keeper would have taken them as each day settled.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>

#include "accounts/account_service.hpp"
#include "app/app.hpp"
#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "core/source_dir.hpp"
#include "orders/notifications.hpp"
#include "orders/order_service.hpp"
#include "programme/levels.hpp"
#include "programme/product_state.hpp"
#include "programme/programme_module.hpp"
#include "programme/report.hpp"
#include "programme/report_xlsx.hpp"
#include "programme/rollups.hpp"
#include "programme/snapshots.hpp"
#include "sellers/seller_service.hpp"

namespace {

using namespace nongsan;

constexpr const char* kProvince = "19";
constexpr std::int64_t kDefaultOrders = 2'000'000;
constexpr int kDays = 365;
constexpr int kSupportRequests = 500;
constexpr int kTrainings = 60;
// The settled days the uncached dashboard's periods end on (from 1 June).
constexpr std::int64_t kUncachedDays = 150;

struct World {
  std::unique_ptr<app::App> app;
  Principal admin;
  Principal buyer;
  Principal owner;
  std::int64_t programme_id = 0;
  std::int64_t product_id = 0;
};

[[noreturn]] void Fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), e.detail.c_str());
  std::abort();
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Fail(what, r.error());
  return std::move(r).value();
}

Principal PrincipalOf(app::App& app, const std::string& phone, const std::string& name,
                      std::vector<Grant> grants) {
  auto user = Must(
      app.services().accounts->CreateOrGrantFromCli(phone, name, std::string("bench-password-1"), grants),
      "user");
  Principal p;
  p.user_id = user.id;
  p.phone = user.phone;
  p.full_name = user.full_name;
  p.grants = user.grants;
  return p;
}

// Listing spans of the products and the shops' order days, as the
// observers would have written them over the year.
void SeedLevels(World& w, const std::vector<programme::UnitRef>& communes, std::int64_t orders,
                std::int64_t shops, std::int64_t start, std::mt19937& rng) {
  const std::int64_t products =
      std::getenv("NONGSAN_BENCH_PRODUCTS") ? std::atoll(std::getenv("NONGSAN_BENCH_PRODUCTS")) : 1'000'000;
  auto seller_rows = Must(w.app->db().Read([](db::Connection& c) {
    return c.Query("SELECT id, commune_code FROM sellers WHERE slug LIKE 'bench-shop-%' ORDER BY id");
  }),
                          "shops read");
  if (seller_rows.empty()) return;
  std::vector<programme::RollupDelta> deltas;
  for (std::int64_t first = 0; first < products; first += 500) {
    Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
      std::string sql =
          "INSERT INTO programme_listing_spans (product_id, seller_id, commune_code, from_day, to_day) "
          "VALUES ";
      db::Params params;
      for (std::int64_t i = first; i < std::min(products, first + 500); ++i) {
        const auto& shop = seller_rows[static_cast<std::size_t>(i) % seller_rows.size()];
        const std::int64_t from = start + std::int64_t(rng() % kDays);
        const bool closed = rng() % 10 == 0;
        const std::int64_t to =
            std::min<std::int64_t>(start + kDays - 1, from + 1 + std::int64_t(rng() % 60));
        if (i > first) sql += ", ";
        sql += "(?, ?, ?, ?, ?)";
        params.insert(params.end(), {i + 1, shop.Int(0), shop.Text(1), from,
                                     closed ? db::Value(to) : db::Value(std::monostate{})});
        deltas.push_back({shop.Text(1), programme::Metric::kProductsListed, from, 1});
        if (closed) deltas.push_back({shop.Text(1), programme::Metric::kProductsListed, to, -1});
      }
      TRY(c.Exec(sql, params));
      return true;
    }),
         "spans");
  }
  Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
    TRY(programme::AddToLevels(c, deltas));
    TRY(programme::RecountShopListings(c));
    // The products' state from the spans, as migration 8 takes it.
    TRY(programme::RebuildProductListings(c));
    return true;
  }),
       "level changes");
  // Certificates: one per covered product, valid most of the year.
  const std::int64_t every = std::getenv("NONGSAN_BENCH_CERTIFIED_EVERY")
                                 ? std::atoll(std::getenv("NONGSAN_BENCH_CERTIFIED_EVERY"))
                                 : 12;
  for (std::int64_t first = 0; first < products; first += 500 * every) {
    Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
      for (std::int64_t i = first; i < std::min(products, first + 500 * every); i += every) {
        const auto& shop = seller_rows[static_cast<std::size_t>(i) % seller_rows.size()];
        const bool ocop = (i / every) % 2 == 0;
        const std::int64_t issued = start - 30 + std::int64_t(rng() % 200);
        const std::int64_t expires = issued + 180 + std::int64_t(rng() % 365);
        const std::string number = "BENCH-" + std::to_string(i);
        TRY_ASSIGN(
            std::int64_t id,
            c.QueryInt("INSERT INTO quality_certificates (seller_id, kind, number, number_key, issuer, "
                       "ocop_stars, ocop_group, issued_day, expires_day, status, code, commune_code, "
                       "province_code, submitted_by, submitted_at, verified_by, verified_at, updated_at) "
                       "VALUES (?, ?, ?, ?, 'Bench', ?, ?, ?, ?, 'verified', ?, ?, ?, 1, ?, 1, ?, ?) "
                       "RETURNING id",
                       {shop.Int(0), std::string(ocop ? "ocop" : "vietgap"), number, number,
                        ocop ? db::Value(std::int64_t{4}) : db::Value(std::monostate{}),
                        ocop ? db::Value(std::string("drinks")) : db::Value(std::monostate{}), issued,
                        expires, "BC" + std::to_string(i), shop.Text(1), std::string(kProvince),
                        issued * kMsPerDay, issued * kMsPerDay, issued * kMsPerDay}));
        TRY(
            c.Exec("INSERT INTO quality_certificate_products (certificate_id, product_id, seller_id, kind, "
                   "ocop_stars, verified, issued_day, expires_day, commune_code, province_code) VALUES "
                   "(?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                   {id, i + 1, shop.Int(0), std::string(ocop ? "ocop" : "vietgap"),
                    std::int64_t{ocop ? 4 : 0}, issued, expires, shop.Text(1), std::string(kProvince)}));
      }
      return true;
    }),
         "certificates");
  }
  // The products' coverage of today, as the keeper's round takes it once a
  // day, timed: its once-a-day cost.
  {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    auto& m = *w.app->services().programme;
    // The certificates above were written past quality's decisions (no
    // observer): the keeper may already have taken today's coverage without
    // them, so it is taken again, as from migration 8's empty state.
    Must(w.app->db().Write([](db::Connection& c) -> Result<bool> {
      TRY(c.Exec("UPDATE programme_coverage_state SET day = -1, version = version + 1 WHERE id = 1"));
      return true;
    }),
         "coverage reset");
    Must(
        programme::RefreshCoverage(w.app->db(), *m.certifications, timefmt::LocalDay(w.app->clock().NowMs())),
        "coverage");
    std::fprintf(stderr, "products' coverage of today: %.1f ms wall, %.1f ms CPU\n",
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
                 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC);
  }
  // Each order on a random day of a random shop: the distinct (shop, day)s.
  const std::int64_t per_shop = std::max<std::int64_t>(1, orders / std::int64_t(seller_rows.size()));
  for (std::size_t first = 0; first < seller_rows.size(); first += 200) {
    std::vector<programme::ShopDay> days;
    for (std::size_t s = first; s < std::min(seller_rows.size(), first + 200); ++s) {
      for (std::int64_t k = 0; k < per_shop; ++k) {
        days.push_back({seller_rows[s].Int(0), start + std::int64_t(rng() % kDays), seller_rows[s].Text(1)});
      }
    }
    Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
      TRY(programme::RecordShopDays(c, days));
      return true;
    }),
         "shop days");
  }
  (void)shops;
  (void)communes;
}

// The roll-up rows `orders` orders make over a year in every commune, and
// the programme's own requests and trainings.
void Seed(World& w, std::int64_t orders) {
  auto& m = *w.app->services().programme;
  const auto communes = m.areas->Communes(kProvince);
  const std::int64_t start = *timefmt::ParseIsoDate("2026-01-01");
  std::mt19937 rng(17);
  const double per_cell = double(orders) / double(communes.size() * kDays);
  std::int64_t left = orders;
  for (int day = 0; day < kDays; ++day) {
    std::vector<programme::RollupDelta> deltas;
    for (std::size_t c = 0; c < communes.size(); ++c) {
      const bool last = day == kDays - 1 && c == communes.size() - 1;
      std::int64_t n =
          last ? left : std::max<std::int64_t>(0, std::int64_t(per_cell * (0.5 + (rng() % 100) / 100.0)));
      n = std::min(n, left);
      left -= n;
      deltas.push_back({communes[c].code, programme::Metric::kOrders, start + day, n});
      deltas.push_back({communes[c].code, programme::Metric::kGmvVnd, start + day, n * 250'000});
    }
    Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
      TRY(programme::AddToRollups(c, deltas));
      return true;
    }),
         "roll-ups");
  }
  Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
    for (int i = 0; i < kSupportRequests; ++i) {
      const std::string& commune = communes[i % communes.size()].code;
      TRY(c.Exec(
          "INSERT INTO programme_support_requests (shop_id, commune_code, province_code, kind, note, status, "
          "outcome, created_by, created_at, updated_at) VALUES (?, ?, ?, 'gs1_barcode', '', 'done', "
          "'8930000000', 1, 1790000000000, 1790000000000)",
          {std::int64_t{100000 + i}, commune, std::string(kProvince)}));
    }
    for (int i = 0; i < kTrainings; ++i) {
      const std::string& commune = communes[i % communes.size()].code;
      TRY_ASSIGN(std::int64_t id,
                 c.QueryInt("INSERT INTO programme_trainings (title, kind, held_day, commune_code, "
                            "province_code, trainer, created_by, created_at) VALUES ('Livestream', "
                            "'livestream', ?, ?, ?, 'Bưu điện', 1, 1790000000000) RETURNING id",
                            {start + i * 5, commune, std::string(kProvince)}));
      for (int a = 0; a < 25; ++a) {
        TRY(c.Exec(
            "INSERT INTO programme_training_attendees (training_id, phone, user_id) VALUES (?, ?, NULL)",
            {id, "09" + std::to_string(10000000 + i * 100 + a)}));
      }
    }
    return true;
  }),
       "requests and trainings");
  // The province's household shops (the 55,000), written straight
  // into the sellers table: the dashboard counts those created in the period.
  const std::int64_t shops =
      std::getenv("NONGSAN_BENCH_SHOPS") ? std::atoll(std::getenv("NONGSAN_BENCH_SHOPS")) : 55'000;
  for (std::int64_t first = 0; first < shops; first += 500) {
    Must(w.app->db().Write([&](db::Connection& c) -> Result<bool> {
      std::string sql =
          "INSERT INTO sellers (slug, name, type, commune_code, province_code, address_line, phone, "
          "status, owner_user_id, created_by, created_at, updated_at) VALUES ";
      db::Params params;
      for (std::int64_t i = first; i < std::min(shops, first + 500); ++i) {
        if (i > first) sql += ", ";
        sql += "(?, ?, 'household', ?, ?, 'Xóm 1', '0912000000', 'verified', 1, 1, ?, ?)";
        const std::int64_t at = (start + std::int64_t(i % kDays)) * kMsPerDay;
        params.insert(params.end(), {"bench-shop-" + std::to_string(i), "Hộ " + std::to_string(i),
                                     communes[i % communes.size()].code, std::string(kProvince), at, at});
      }
      TRY(c.Exec(sql, params));
      return true;
    }),
         "shops");
  }
  SeedLevels(w, communes, orders, shops, start, rng);
  // The snapshots of the settled days the uncached dashboard asks for, as
  // the keeper takes them, timed: the once-a-day cost of keeping them.
  const std::int64_t first_end = *timefmt::ParseIsoDate("2026-06-01");
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  for (std::int64_t day = first_end; day < first_end + kUncachedDays; ++day) {
    if (Status st = programme::StoreSnapshot(w.app->db(), *m.certifications, day, w.app->clock().NowMs());
        !st.ok())
      Fail("snapshot", st.error());
  }
  std::fprintf(stderr, "snapshots of %lld days: %.1f ms wall, %.1f ms CPU per day\n",
               static_cast<long long>(kUncachedDays),
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
                   double(kUncachedDays),
               1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC / double(kUncachedDays));
  std::vector<programme::TargetRow> targets;
  for (const auto& c : communes)
    targets.push_back({c.code, "orders", orders / std::int64_t(communes.size())});
  Must(m.programmes.SetTargets(&w.admin, w.programme_id, targets), "targets");
}

World& TheWorld() {
  static World w = [] {
    World world;
    const auto dir =
        std::filesystem::temp_directory_path() / ("nongsan-programme-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    app::Config config;
    config.data_dir = dir.string();
    config.web_dir = std::string(core::SourceDir()) + "/web";
    world.app = Must(app::App::Open(config), "open");
    Must(world.app->Migrate(), "migrate");
    world.admin = PrincipalOf(*world.app, "0912000001", "Bench admin", {{Role::kProvinceAdmin, kProvince}});
    world.buyer = PrincipalOf(*world.app, "0912000002", "Bench buyer", {});
    auto& services = world.app->services();
    world.programme_id = Must(services.programme->programmes.Create(
                                  &world.admin, {"Bench", kProvince, "2026-01-01", "2026-12-31"}),
                              "programme")
                             .id;
    const char* env = std::getenv("NONGSAN_BENCH_ORDERS");
    Seed(world, env ? std::atoll(env) : kDefaultOrders);
    // A shop and a product with stock for the checkouts.
    Principal owner = PrincipalOf(*world.app, "0912000003", "Bench owner", {});
    sellers::SellerInput shop{"Bench shop", "household", "01840", "Tổ 1", std::nullopt, std::nullopt};
    auto seller =
        Must(services.sellers->Create(owner, shop, accounts::ClientInfo{"127.0.0.1", "bench"}), "shop");
    owner = PrincipalOf(*world.app, "0912000003", "Bench owner", {});
    world.owner = owner;
    catalog::ProductInput product;
    product.sku = "BENCH-1";
    product.name = "Chè bench";
    product.category = "tea-green";
    product.unit = "kg";
    product.price_vnd = 100'000;
    product.stock = 10'000'000;
    product.weight_grams = 500;
    product.status = catalog::ProductStatus::kActive;
    world.product_id = Must(services.catalog->catalog.Create(&owner, seller.id, product), "product").id;
    return world;
  }();
  return w;
}

void Percentiles(benchmark::State& state, std::vector<double>& ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return;
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

void BM_Dashboard(benchmark::State& state) {
  World& w = TheWorld();
  auto match = w.app->router().Find("GET", "/chuong-trinh");
  if (match.route == nullptr) std::abort();
  std::vector<double> ms;
  for (auto _ : state) {
    http::Request req;
    req.method = "GET";
    req.path = "/chuong-trinh";
    req.query_string = "ct=" + std::to_string(w.programme_id);
    req.target = req.path + "?" + req.query_string;
    req.principal = w.admin;
    const auto t0 = std::chrono::steady_clock::now();
    http::Response res = match.route->handler(req);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (res.status != 200) std::abort();
    benchmark::DoNotOptimize(res.body);
  }
  Percentiles(state, ms);
}
BENCHMARK(BM_Dashboard)->Unit(benchmark::kMillisecond)->Iterations(200);

void BM_DashboardUncached(benchmark::State& state) {
  World& w = TheWorld();
  auto match = w.app->router().Find("GET", "/chuong-trinh");
  if (match.route == nullptr) std::abort();
  std::vector<double> ms;
  static std::int64_t n = 0;  // across repetitions too: the page keeps a period 60 s
  const std::int64_t first_end = *timefmt::ParseIsoDate("2026-06-01");
  const std::int64_t first_start = *timefmt::ParseIsoDate("2026-01-01");
  for (auto _ : state) {
    http::Request req;
    req.method = "GET";
    req.path = "/chuong-trinh";
    // Another period each time: no request finds its figures kept.
    const std::int64_t k = n++;
    req.query_string = "ct=" + std::to_string(w.programme_id) +
                       "&tu=" + timefmt::IsoDate(first_start + k / kUncachedDays) +
                       "&den=" + timefmt::IsoDate(first_end + k % kUncachedDays);
    req.target = req.path + "?" + req.query_string;
    req.principal = w.admin;
    const auto t0 = std::chrono::steady_clock::now();
    http::Response res = match.route->handler(req);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (res.status != 200) std::abort();
    benchmark::DoNotOptimize(res.body);
  }
  Percentiles(state, ms);
}
BENCHMARK(BM_DashboardUncached)->Unit(benchmark::kMillisecond)->Iterations(100);

// A period running past today (the programme's whole year, from another
// start each time): the level figures are today's, from the state now.
void BM_DashboardToday(benchmark::State& state) {
  World& w = TheWorld();
  auto match = w.app->router().Find("GET", "/chuong-trinh");
  if (match.route == nullptr) std::abort();
  std::vector<double> ms;
  static std::int64_t n = 0;
  const std::int64_t first_start = *timefmt::ParseIsoDate("2026-01-01");
  for (auto _ : state) {
    http::Request req;
    req.method = "GET";
    req.path = "/chuong-trinh";
    req.query_string = "ct=" + std::to_string(w.programme_id) + "&tu=" + timefmt::IsoDate(first_start + n++) +
                       "&den=2026-12-31";
    req.target = req.path + "?" + req.query_string;
    req.principal = w.admin;
    const auto t0 = std::chrono::steady_clock::now();
    http::Response res = match.route->handler(req);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (res.status != 200) std::abort();
    benchmark::DoNotOptimize(res.body);
  }
  Percentiles(state, ms);
}
BENCHMARK(BM_DashboardToday)->Unit(benchmark::kMillisecond)->Iterations(50);

// The same, with a write that changes what is on sale (the bench product
// hidden or shown through the catalogue, its listing observer writing the
// listing span, the products' state and a row of programme_level_changes)
// committed before each request, untimed: every request computes today's
// certified figures again, as the first reader after a change does before
// the keeper has refreshed them (certified_today.hpp).
void BM_DashboardTodayAfterChange(benchmark::State& state) {
  World& w = TheWorld();
  auto match = w.app->router().Find("GET", "/chuong-trinh");
  if (match.route == nullptr) std::abort();
  std::vector<double> ms;
  static std::int64_t n = 0;
  const std::int64_t first_start = *timefmt::ParseIsoDate("2026-01-01") + 180;
  for (auto _ : state) {
    state.PauseTiming();
    catalog::ProductPatch patch;
    patch.status = n % 2 == 0 ? catalog::ProductStatus::kHidden : catalog::ProductStatus::kActive;
    Must(w.app->services().catalog->catalog.Update(&w.owner, w.product_id, patch), "change");
    http::Request req;
    req.method = "GET";
    req.path = "/chuong-trinh";
    req.query_string = "ct=" + std::to_string(w.programme_id) + "&tu=" + timefmt::IsoDate(first_start + n++) +
                       "&den=2026-12-31";
    req.target = req.path + "?" + req.query_string;
    req.principal = w.admin;
    state.ResumeTiming();
    const auto t0 = std::chrono::steady_clock::now();
    http::Response res = match.route->handler(req);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (res.status != 200) std::abort();
    benchmark::DoNotOptimize(res.body);
  }
  state.counters["computed"] = double(w.app->services().programme->certified_today.Computations());
  state.counters["from_scratch"] = double(w.app->services().programme->certified_today.FromScratch());
  Percentiles(state, ms);
}
BENCHMARK(BM_DashboardTodayAfterChange)->Unit(benchmark::kMillisecond)->Iterations(30);

// One settled day's level figures from the history: the snapshot's one-off
// cost, and every fresh page's cost before the snapshots.
void BM_LevelsFromHistory(benchmark::State& state) {
  World& w = TheWorld();
  auto& m = *w.app->services().programme;
  std::vector<double> ms;
  std::int64_t day = *timefmt::ParseIsoDate("2026-05-01");
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto covered = Must(m.certifications->CoveredOn(day), "covered");
    auto levels = Must(
        w.app->db().Read([&](db::Connection& c) { return programme::LevelsAt(c, day, covered); }), "levels");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    benchmark::DoNotOptimize(levels);
    ++day;
  }
  Percentiles(state, ms);
}
BENCHMARK(BM_LevelsFromHistory)->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_ReportXlsx(benchmark::State& state) {
  World& w = TheWorld();
  auto& m = *w.app->services().programme;
  std::vector<double> ms;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto report = Must(programme::BuildReport(m, &w.admin, w.programme_id, {}), "report");
    auto bytes = Must(programme::WriteReportXlsx(report), "xlsx");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    state.counters["bytes"] = double(bytes.size());
  }
  Percentiles(state, ms);
}
BENCHMARK(BM_ReportXlsx)->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_Checkout(benchmark::State& state) {
  World& w = TheWorld();
  auto& services = w.app->services();
  services.notifications->SetObserver(state.range(0) ? &services.programme->order_rollups : nullptr);
  static int key = 0;
  const nlohmann::json body = {{"items", {{{"product_id", w.product_id}, {"quantity", 1}}}},
                               {"shipping_address",
                                {{"full_name", "Nguyễn Thị Hoa"},
                                 {"phone", "0912345678"},
                                 {"address_line", "Số 5"},
                                 {"commune_code", "01840"}}},
                               {"payment_method", "cod"}};
  std::int64_t done = 0;
  for (auto _ : state) {
    auto placed = services.orders->Checkout(w.buyer, "bench-" + std::to_string(++key), body);
    if (!placed.ok()) Fail("checkout", placed.error());
    // The journal's rows folded inside the timed loop, so the roll-ups'
    // whole cost is counted (the keeper folds some on its own thread).
    if (++done == state.max_iterations) Must(programme::FoldOrderJournal(w.app->db()), "fold");
  }
  state.SetItemsProcessed(state.iterations());
  services.notifications->SetObserver(&services.programme->order_rollups);
}
BENCHMARK(BM_Checkout)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(2000)
    ->MeasureProcessCPUTime();

// Checkouts per block of BM_CheckoutAlternating, and blocks of each kind.
constexpr int kAlternatingBlock = 200;
constexpr int kAlternatingRounds = 40;

double ProcessCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Without and with the roll-up observer in the same process, alternated:
// what the fixture's state (orders, WAL, caches) does to one does it to the
// other. Each round is a block without and a block with (which comes first
// flips every round), each block ending with the journal folded (the
// keeper's work, counted as in BM_Checkout). The iteration is one round;
// the counters carry the per-checkout CPU figures.
void BM_CheckoutAlternating(benchmark::State& state) {
  World& w = TheWorld();
  auto& services = w.app->services();
  static int key = 0;
  const nlohmann::json body = {{"items", {{{"product_id", w.product_id}, {"quantity", 1}}}},
                               {"shipping_address",
                                {{"full_name", "Nguyễn Thị Hoa"},
                                 {"phone", "0912345678"},
                                 {"address_line", "Số 5"},
                                 {"commune_code", "01840"}}},
                               {"payment_method", "cod"}};
  auto block = [&](bool observed) {
    services.notifications->SetObserver(observed ? &services.programme->order_rollups : nullptr);
    const double t0 = ProcessCpuUs();
    for (int i = 0; i < kAlternatingBlock; ++i) {
      auto placed = services.orders->Checkout(w.buyer, "alt-" + std::to_string(++key), body);
      if (!placed.ok()) Fail("checkout", placed.error());
    }
    Must(programme::FoldOrderJournal(w.app->db()), "fold");
    return (ProcessCpuUs() - t0) / kAlternatingBlock;
  };
  std::vector<double> off, on, ratio;
  int round = 0;
  for (auto _ : state) {
    double off_us = 0;
    double on_us = 0;
    if (round++ % 2 == 0) {
      off_us = block(false);
      on_us = block(true);
    } else {
      on_us = block(true);
      off_us = block(false);
    }
    off.push_back(off_us);
    on.push_back(on_us);
    ratio.push_back(on_us / off_us);
  }
  services.notifications->SetObserver(&services.programme->order_rollups);
  state.SetItemsProcessed(state.iterations() * 2 * kAlternatingBlock);
  state.counters["off_med_us"] = Median(off);
  state.counters["on_med_us"] = Median(on);
  state.counters["cost_med_pct"] = 100.0 * (Median(ratio) - 1.0);
  state.counters["cost_min_pct"] = 100.0 * (*std::min_element(ratio.begin(), ratio.end()) - 1.0);
  state.counters["cost_max_pct"] = 100.0 * (*std::max_element(ratio.begin(), ratio.end()) - 1.0);
  // The fixture grows by every checkout: the off figure of the first and
  // last four rounds.
  const std::size_t k = std::min<std::size_t>(4, off.size());
  state.counters["off_first_us"] = Median(std::vector<double>(off.begin(), off.begin() + k));
  state.counters["off_last_us"] = Median(std::vector<double>(off.end() - k, off.end()));
}
BENCHMARK(BM_CheckoutAlternating)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(kAlternatingRounds)
    ->MeasureProcessCPUTime();

}  // namespace
