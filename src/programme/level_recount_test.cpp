// The level figures (products_listed, ocop_products_listed,
// certified_products, shops_active) equal a recount from the owning modules'
// raw tables, at the end of each day of randomised activity, asked for
// afterwards as of that past day; on each backend. The recount reads
// catalog_products, quality_certificate_products and orders_orders directly:
// it is the independent check of what the observers kept.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <utility>

#include "core/clock.hpp"
#include "programme/certified_today.hpp"
#include "programme/product_state.hpp"
#include "programme/programme_test_support.hpp"
#include "programme/rebuild.hpp"
#include "programme/snapshots.hpp"
#include "quality/quality_module.hpp"
#include "sellers/seller_service.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;
using orders::testing::CheckoutBody;
// commune → metric → value, zeros left out
using Figures = std::map<std::string, std::map<std::string, std::int64_t>>;

constexpr const char* kOnSale = "status = 'active' AND seller_visible = 1 AND deleted_at IS NULL";

Figures Recount(db::Database& db, std::int64_t day) {
  Figures out;
  auto read = db.Read([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto listed,
               c.Query(std::string("SELECT origin_commune, COUNT(*) FROM catalog_products WHERE ") + kOnSale +
                       " GROUP BY origin_commune"));
    for (const auto& r : listed) out[r.Text(0)]["products_listed"] = r.Int(1);
    TRY_ASSIGN(
        auto covered,
        c.Query(
            std::string("SELECT p.origin_commune, p.id, MAX(CASE WHEN q.kind = 'ocop' THEN 1 ELSE 0 END) "
                        "FROM catalog_products p JOIN quality_certificate_products q ON q.product_id = p.id "
                        "WHERE q.verified = 1 AND q.issued_day <= ? AND q.expires_day >= ? AND p.") +
                "status = 'active' AND p.seller_visible = 1 AND p.deleted_at IS NULL "
                "GROUP BY p.origin_commune, p.id",
            {day, day}));
    for (const auto& r : covered) {
      out[r.Text(0)]["certified_products"] += 1;
      if (r.Int(2) == 1) out[r.Text(0)]["ocop_products_listed"] += 1;
    }
    TRY_ASSIGN(auto selling,
               c.Query(std::string("SELECT DISTINCT seller_id FROM catalog_products WHERE ") + kOnSale));
    std::set<std::int64_t> on_sale;
    for (const auto& r : selling) on_sale.insert(r.Int(0));
    TRY_ASSIGN(auto orders,
               c.Query("SELECT seller_id, from_commune_code, created_at FROM orders_orders ORDER BY "
                       "created_at, id"));
    std::map<std::int64_t, std::string> latest;  // shop → commune of its latest order in the window
    for (const auto& r : orders) {
      const std::int64_t d = timefmt::LocalDay(r.Int(2));
      if (d > day - 90 && d <= day && on_sale.count(r.Int(0))) latest[r.Int(0)] = r.Text(1);
    }
    for (const auto& [shop, commune] : latest) out[commune]["shops_active"] += 1;
    return Ok{};
  });
  EXPECT_TRUE(read.ok()) << nongsan::testing::ErrorText(read);
  return out;
}

// The certified figures of a recount.
Figures CertifiedPart(const Figures& all) {
  Figures out;
  for (const auto& [commune, metrics] : all) {
    for (const char* m : {"certified_products", "ocop_products_listed"}) {
      if (auto it = metrics.find(m); it != metrics.end() && it->second != 0) out[commune][m] = it->second;
    }
  }
  return out;
}

Figures AsFigures(const LevelValues& values) {
  Figures out;
  for (const auto& [commune, metrics] : values) {
    for (const auto& [metric, value] : metrics) {
      if (value != 0) out[commune][std::string(MetricName(metric))] = value;
    }
  }
  return out;
}

// Today's certified figures from the products' state (product_state.hpp),
// or nullopt when its coverage is not of `day`.
std::optional<Figures> FromProductState(db::Database& db, std::int64_t day) {
  auto kept = db.Read([&](db::Connection& c) { return CertifiedNow(c, day); });
  EXPECT_TRUE(kept.ok()) << nongsan::testing::ErrorText(kept);
  if (!kept.ok() || !*kept) return std::nullopt;
  return AsFigures(**kept);
}

// day → commune → metric → value, as stored in the snapshots.
using SnapshotRows = std::map<std::int64_t, Figures>;

SnapshotRows StoredSnapshots(db::Database& db) {
  SnapshotRows out;
  auto rows = db.Read([](db::Connection& c) {
    return c.Query(
        "SELECT s.day, s.commune_code, s.metric, s.value FROM programme_level_snapshots s ORDER BY s.day");
  });
  EXPECT_TRUE(rows.ok());
  if (!rows.ok()) return out;
  for (const auto& r : *rows) out[r.Int(0)][r.Text(1)][r.Text(2)] = r.Int(3);
  auto days = db.Read([](db::Connection& c) { return SnapshotDays(c); });
  EXPECT_TRUE(days.ok());
  if (days.ok()) {
    for (std::int64_t d : *days) out[d];  // a day snapshotted with nothing to count
  }
  return out;
}

class LevelRecountTest : public ProgrammeTest {
 protected:
  // The level figures of every commune as the API answers them at `day`.
  Figures FromApi(std::int64_t programme, std::int64_t day) {
    HttpClient client = Client();
    auto res = client.Get("/api/v1/programmes/" + std::to_string(programme) +
                              "/metrics?level=commune&from=2026-01-01&to=" + timefmt::IsoDate(day),
                          admin_.auth);
    EXPECT_EQ(res.status, 200) << res.body;
    Figures out;
    if (res.status != 200) return out;
    const json body = res.Json();
    EXPECT_EQ(body["levels_on"], timefmt::IsoDate(day));
    for (const auto& unit : body["units"]) {
      for (const char* m :
           {"products_listed", "ocop_products_listed", "certified_products", "shops_active"}) {
        const std::int64_t v = unit["metrics"][m]["value"].get<std::int64_t>();
        if (v != 0) out[unit["code"].get<std::string>()][m] = v;
      }
    }
    return out;
  }

  // The recount restricted to the programme's province (Hà Nội's commune out).
  static Figures InProvince(Figures all) {
    all.erase(kHanoiCommune);
    all.erase("");
    for (auto it = all.begin(); it != all.end();) {
      for (auto m = it->second.begin(); m != it->second.end();)
        m = m->second == 0 ? it->second.erase(m) : std::next(m);
      it = it->second.empty() ? all.erase(it) : std::next(it);
    }
    return all;
  }

  quality::CertificateInput Certificate(int n, bool ocop, std::int64_t product, std::int64_t issued_day,
                                        std::int64_t expires_day) {
    quality::CertificateInput in;
    in.kind = ocop ? "ocop" : "vietgap";
    in.number = (ocop ? "OCOP-TN-2026-" : "VietGAP-TT-19-08-") + std::to_string(1000 + n);
    in.issuer = ocop ? "UBND tỉnh Thái Nguyên" : "Trung tâm Chứng nhận Phù hợp (QUACERT)";
    if (ocop) {
      in.ocop_stars = 3 + n % 3;
      in.ocop_group = "drinks";
    }
    in.issued_on = timefmt::IsoDate(issued_day);
    in.expires_on = timefmt::IsoDate(expires_day);
    in.product_ids = {product};
    return in;
  }
};

TEST_P(LevelRecountTest, LevelsEqualRecountAtEachPastDay) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  app::Services& services = app_->app().services();
  const std::vector<std::string> communes = {kCommuneA, kCommuneB, kCommuneC, kHanoiCommune};
  std::vector<Shop> shops;
  std::vector<std::pair<std::size_t, std::int64_t>> products;  // (shop index, product)
  std::set<std::int64_t> deleted;
  std::set<std::int64_t> suspended_shops;
  const Principal admin = seeder_->PrincipalOf(admin_);
  std::vector<Principal> buyers;
  for (int i = 0; i < 3; ++i) buyers.push_back(seeder_->PrincipalOf(seeder_->NewPerson("Người mua")));
  for (int i = 0; i < 6; ++i)
    shops.push_back(seeder_->NewShop("Cửa hàng " + std::to_string(i), communes[i % 4]));
  // Principals taken now: sessions expire over the months the clock runs.
  std::vector<Principal> owners;
  for (const Shop& s : shops) owners.push_back(seeder_->PrincipalOf(s.owner));

  std::map<std::int64_t, Figures> expected;  // day → recount at its end
  // Asked for as the run goes: today's figures (from the state now) and,
  // once a day has settled, its snapshot, taken while activity goes on.
  const std::int64_t early_programme = NewProgramme();
  int certificates = 0;
  std::vector<std::int64_t> verified_certificates;
  int key = 0;
  int state_checks = 0;  // today's figures compared through the products' state
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  for (int step = 0; step < 14; ++step) {
    for (int op = 0; op < 8; ++op) {
      app_->clock().Advance(static_cast<std::int64_t>(rng() % 600) * 1000);
      const std::size_t shop_index = rng() % shops.size();
      const Shop& shop = shops[shop_index];
      const int what = static_cast<int>(rng() % 9);
      if (what <= 1 || products.empty()) {
        catalog::ProductInput input;
        input.sku = "LV-" + std::to_string(products.size());
        input.name = "Chè Tân Cương";
        input.category = "tea-green";
        input.unit = "kg";
        input.price_vnd = 100'000;
        input.stock = 10'000;
        input.weight_grams = 500;
        input.status = rng() % 4 == 0 ? catalog::ProductStatus::kDraft : catalog::ProductStatus::kActive;
        auto created = services.catalog->catalog.Create(&owners[shop_index], shop.id, input);
        ASSERT_TRUE(created.ok()) << nongsan::testing::ErrorText(created);
        products.push_back({shop_index, created->id});
        continue;
      }
      const auto [product_shop_index, product] = products[rng() % products.size()];
      const Shop& product_shop = shops[product_shop_index];
      const Principal& product_owner = owners[product_shop_index];
      if (deleted.count(product)) continue;
      if (what == 2) {
        catalog::ProductPatch patch;
        patch.status = rng() % 2 ? catalog::ProductStatus::kHidden : catalog::ProductStatus::kActive;
        (void)services.catalog->catalog.Update(&product_owner, product, patch);  // refused while suspended
      } else if (what == 3) {
        catalog::ProductPatch patch;
        patch.origin_commune = communes[rng() % 3];  // a product said to come from another commune
        ASSERT_TRUE(services.catalog->catalog.Update(&product_owner, product, patch).ok());
      } else if (what == 4) {
        if (rng() % 5 == 0) {
          ASSERT_TRUE(services.catalog->catalog.Delete(&product_owner, product).ok());
          deleted.insert(product);
        } else {
          ASSERT_TRUE(
              services.catalog->catalog.SetSuspended(product, rng() % 2 == 0, "Kiểm tra chất lượng").ok());
        }
      } else if (what == 5) {
        const bool suspend = !suspended_shops.count(shop.id);
        auto done =
            suspend ? services.sellers->Suspend(admin, shop.id, "Tạm dừng để kiểm tra", {"127.0.0.1", "t"})
                    : services.sellers->Reinstate(admin, shop.id, {"127.0.0.1", "t"});
        if (shop.id != 0 && done.ok()) {
          if (suspend)
            suspended_shops.insert(shop.id);
          else
            suspended_shops.erase(shop.id);
        }
      } else if (what == 6) {
        // A certificate valid from a few days ago to a few days ahead, so
        // some lapse within the run.
        const std::int64_t today = timefmt::LocalDay(app_->clock().NowMs());
        const std::int64_t issued = today - static_cast<std::int64_t>(rng() % 20);
        const std::int64_t expires = today + static_cast<std::int64_t>(rng() % 25);
        auto submitted = services.quality->certificates.Submit(
            &product_owner, product_shop.id,
            Certificate(certificates++, rng() % 2 == 0, product, issued, expires));
        if (!submitted.ok()) continue;  // e.g. the product was suspended or deleted
        auto verified = services.quality->certificates.Verify(&admin, submitted->certificate.id);
        // Hà Nội's shop is outside the admin's province: not theirs to verify.
        if (product_shop.id == shops[3].id) {
          EXPECT_FALSE(verified.ok());
          continue;
        }
        ASSERT_TRUE(verified.ok()) << nongsan::testing::ErrorText(verified);
        verified_certificates.push_back(submitted->certificate.id);
      } else if (what == 7 && !verified_certificates.empty() && rng() % 2 == 0) {
        const std::size_t at = rng() % verified_certificates.size();
        auto revoked =
            services.quality->certificates.Revoke(&admin, verified_certificates[at], "Cấp sai quy định");
        ASSERT_TRUE(revoked.ok()) << nongsan::testing::ErrorText(revoked);
        verified_certificates.erase(verified_certificates.begin() + static_cast<std::ptrdiff_t>(at));
      } else {
        const Principal& buyer = buyers[rng() % buyers.size()];
        auto res =
            services.orders->Checkout(buyer, "lv-" + std::to_string(key++), CheckoutBody({{product, 1}}));
        (void)res;  // a product off sale cannot be bought; that is part of the activity
      }
      // Today's figures after each change (certified ones kept between
      // requests while nothing changed them) equal the recount.
      if (rng() % 2 == 0) {
        const std::int64_t now_day = timefmt::LocalDay(app_->clock().NowMs());
        const Figures recount = Recount(app_->app().db(), now_day);
        EXPECT_EQ(FromApi(early_programme, now_day), InProvince(recount))
            << "today, step " << step << ", op " << op << " (" << what << ")";
        // The products' state, all provinces, equals the recount whenever
        // its coverage is of today.
        if (auto state = FromProductState(app_->app().db(), now_day)) {
          Figures expected = CertifiedPart(recount);
          expected.erase("");
          EXPECT_EQ(*state, expected)
              << "products' state, step " << step << ", op " << op << " (" << what << ")";
          ++state_checks;
        }
      }
    }
    const std::int64_t today = timefmt::LocalDay(app_->clock().NowMs());
    expected[today] = InProvince(Recount(app_->app().db(), today));
    // Today's figures so far, from the state now, equal the recount.
    admin_ = seeder_->NewPerson("Sở Công Thương", {{Role::kProvinceAdmin, kProvince}});
    EXPECT_EQ(FromApi(early_programme, today), expected[today]) << "today, step " << step;
    // On to a later day: mostly the next few, now and then past the
    // 90-day window of shops_active.
    const std::int64_t days = rng() % 6 == 0 ? 45 : 1 + static_cast<std::int64_t>(rng() % 4);
    app_->clock().Advance(days * kMsPerDay);
    // The keeper's round brings the products' coverage to the new day
    // (certificates lapsed and started with no write).
    ASSERT_TRUE(module().keeper.RunOnce().ok());
    // The day just ended has settled (unless it ended within the grace):
    // asking for it takes its snapshot, and later activity must not move it.
    admin_ = seeder_->NewPerson("Sở Công Thương", {{Role::kProvinceAdmin, kProvince}});
    EXPECT_EQ(FromApi(early_programme, today), expected[today]) << "settled, step " << step;
  }

  // A fresh session: the first ones expired while the clock ran.
  admin_ = seeder_->NewPerson("Sở Công Thương", {{Role::kProvinceAdmin, kProvince}});
  const std::int64_t programme = NewProgramme();
  std::size_t non_empty = 0;
  for (const auto& [day, figures] : expected) {
    SCOPED_TRACE("day " + timefmt::IsoDate(day));
    EXPECT_EQ(FromApi(programme, day), figures);
    non_empty += figures.empty() ? 0 : 1;
  }
  EXPECT_GT(non_empty, 5u);
  EXPECT_GT(state_checks, 10);

  // The snapshots were taken as the run went (the keeper's latest day too),
  // and hold the recount of their day.
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  const SnapshotRows stored = StoredSnapshots(app_->app().db());
  std::size_t checked = 0;
  for (const auto& [day, figures] : expected) {
    auto it = stored.find(day);
    if (it == stored.end()) continue;
    EXPECT_EQ(InProvince(it->second), figures) << timefmt::IsoDate(day);
    ++checked;
  }
  EXPECT_GT(checked, 8u);
  // A rebuild deletes the snapshots and takes the same ones again.
  auto rebuilt = RebuildRollups(app_->app().db(), app_->clock());
  ASSERT_TRUE(rebuilt.ok()) << nongsan::testing::ErrorText(rebuilt);
  EXPECT_EQ(rebuilt->snapshots, static_cast<std::int64_t>(stored.size()));
  EXPECT_EQ(StoredSnapshots(app_->app().db()), stored);
  for (const auto& [day, figures] : expected)
    EXPECT_EQ(FromApi(programme, day), figures) << timefmt::IsoDate(day);
}

// Today's certified figures are kept between requests (certified_today.hpp)
// and stay equal to the recount after each kind of change: a certificate
// verified, revoked or lapsing at midnight, a product hidden, shown, moved to
// another commune or deleted. An answer is reused only while nothing changed,
// and a second server over the same database (another CertifiedToday) sees
// the changes this one makes.
TEST_P(LevelRecountTest, TodaysCertifiedFiguresFollowEveryChange) {
  app::Services& services = app_->app().services();
  const Principal admin = seeder_->PrincipalOf(admin_);
  const Shop shop = seeder_->NewShop("Hộ chè Tân Cương", kCommuneA);
  const Principal owner = seeder_->PrincipalOf(shop.owner);
  const std::int64_t tea = seeder_->NewProduct(shop, {.stock = 1000});
  const std::int64_t honey = seeder_->NewProduct(shop, {.stock = 1000});
  const std::int64_t programme = NewProgramme();
  CertifiedToday& kept = module().certified_today;
  CertifiedToday other_server(app_->app().db(), *module().certifications);
  auto today = [&] { return timefmt::LocalDay(app_->clock().NowMs()); };
  // The keeper has brought the products' coverage to today: every change
  // below is kept in the products' state, none computed from scratch.
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  const std::int64_t scratch = kept.FromScratch();
  // The API's answer, the other server's certified figures and the recount agree.
  auto check = [&](const std::string& when) -> Figures {
    SCOPED_TRACE(when);
    const Figures expected = InProvince(Recount(app_->app().db(), today()));
    EXPECT_EQ(FromApi(programme, today()), expected);
    auto other = other_server.Get(today(), app_->clock().NowMs());
    EXPECT_TRUE(other.ok()) << nongsan::testing::ErrorText(other);
    if (!other.ok()) return expected;
    Figures certified;
    for (const auto& [commune, metrics] : *other) {
      for (const auto& [metric, value] : metrics) {
        if (value != 0) certified[commune][std::string(MetricName(metric))] = value;
      }
    }
    Figures expected_certified;
    for (const auto& [commune, metrics] : expected) {
      for (const char* m : {"certified_products", "ocop_products_listed"}) {
        if (auto it = metrics.find(m); it != metrics.end()) expected_certified[commune][m] = it->second;
      }
    }
    EXPECT_EQ(InProvince(certified), expected_certified);
    return expected;
  };

  // An OCOP certificate of the tea that lapses at the end of today.
  auto ocop = services.quality->certificates.Submit(&owner, shop.id,
                                                    Certificate(1, true, tea, today() - 30, today()));
  ASSERT_TRUE(ocop.ok()) << nongsan::testing::ErrorText(ocop);
  ASSERT_TRUE(services.quality->certificates.Verify(&admin, ocop->certificate.id).ok());
  Figures now = check("an OCOP certificate verified");
  EXPECT_EQ(now[kCommuneA]["certified_products"], 1);
  EXPECT_EQ(now[kCommuneA]["ocop_products_listed"], 1);

  // Asked again with nothing changed: the kept answer, not a new computation.
  const std::int64_t computed = kept.Computations();
  check("nothing changed");
  check("nothing changed, again");
  EXPECT_EQ(kept.Computations(), computed);
  // An order changes shops_active, not the certified figures: still kept.
  const Principal buyer = seeder_->PrincipalOf(seeder_->NewPerson("Người mua"));
  ASSERT_TRUE(services.orders->Checkout(buyer, "kept-1", CheckoutBody({{tea, 1}})).ok());
  EXPECT_EQ(check("an order")[kCommuneA]["shops_active"], 1);
  EXPECT_EQ(kept.Computations(), computed);

  // A VietGAP certificate of the honey, valid for a month.
  auto vietgap = services.quality->certificates.Submit(
      &owner, shop.id, Certificate(2, false, honey, today() - 3, today() + 30));
  ASSERT_TRUE(vietgap.ok()) << nongsan::testing::ErrorText(vietgap);
  ASSERT_TRUE(services.quality->certificates.Verify(&admin, vietgap->certificate.id).ok());
  EXPECT_EQ(check("a VietGAP certificate verified")[kCommuneA]["certified_products"], 2);
  EXPECT_GT(kept.Computations(), computed);

  catalog::ProductPatch hide;
  hide.status = catalog::ProductStatus::kHidden;
  ASSERT_TRUE(services.catalog->catalog.Update(&owner, honey, hide).ok());
  EXPECT_EQ(check("the honey hidden")[kCommuneA]["certified_products"], 1);
  catalog::ProductPatch show;
  show.status = catalog::ProductStatus::kActive;
  ASSERT_TRUE(services.catalog->catalog.Update(&owner, honey, show).ok());
  EXPECT_EQ(check("the honey shown")[kCommuneA]["certified_products"], 2);
  catalog::ProductPatch move;
  move.origin_commune = kCommuneB;
  ASSERT_TRUE(services.catalog->catalog.Update(&owner, honey, move).ok());
  now = check("the honey said to come from another commune");
  EXPECT_EQ(now[kCommuneA]["certified_products"], 1);
  EXPECT_EQ(now[kCommuneB]["certified_products"], 1);
  EXPECT_EQ(kept.FromScratch(), scratch);
  EXPECT_EQ(other_server.FromScratch(), 0);
  EXPECT_EQ(FromProductState(app_->app().db(), today()),
            CertifiedPart(InProvince(Recount(app_->app().db(), today()))));

  // Past midnight, with no write at all: the OCOP certificate has lapsed.
  const std::int64_t midnight = (today() + 1) * kMsPerDay - kVietnamOffsetMs;
  app_->clock().Advance(midnight - app_->clock().NowMs() + 1000);
  admin_ = seeder_->NewPerson("Sở Công Thương", {{Role::kProvinceAdmin, kProvince}});
  now = check("the OCOP certificate lapsed at midnight");
  EXPECT_EQ(now[kCommuneA].count("certified_products"), 0u);
  EXPECT_EQ(now[kCommuneA].count("ocop_products_listed"), 0u);
  EXPECT_EQ(now[kCommuneB]["certified_products"], 1);

  // The keeper refreshes a stale answer that readers want (its own thread
  // may be first: either way once), and the reader after it computes nothing.
  const std::int64_t before_keeper = kept.Computations();
  ASSERT_TRUE(
      services.quality->certificates.Revoke(&admin, vietgap->certificate.id, "Cấp sai quy định").ok());
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  EXPECT_EQ(kept.Computations(), before_keeper + 1);
  EXPECT_EQ(check("the VietGAP certificate revoked")[kCommuneB].count("certified_products"), 0u);
  EXPECT_EQ(kept.Computations(), before_keeper + 1);
  // The keeper's round brought the products' coverage to the new day.
  const std::int64_t scratch_after_midnight = kept.FromScratch();
  ASSERT_TRUE(FromProductState(app_->app().db(), today()).has_value());

  // A deleted product leaves the figures too.
  auto again = services.quality->certificates.Submit(&owner, shop.id,
                                                     Certificate(3, true, tea, today() - 1, today() + 60));
  ASSERT_TRUE(again.ok()) << nongsan::testing::ErrorText(again);
  ASSERT_TRUE(services.quality->certificates.Verify(&admin, again->certificate.id).ok());
  EXPECT_EQ(check("a new OCOP certificate")[kCommuneA]["ocop_products_listed"], 1);
  ASSERT_TRUE(services.catalog->catalog.Delete(&owner, tea).ok());
  EXPECT_EQ(check("the tea deleted")[kCommuneA].count("ocop_products_listed"), 0u);
  EXPECT_EQ(kept.FromScratch(), scratch_after_midnight);
}

// A certificate decision that commits while the keeper's refresh reads the
// coverage of a new day is not overwritten by that older coverage: the
// refresh writes nothing, and the next one takes the decision in. The port
// below is quality's real one; it only lets a decision commit between the
// read and the refresh's write.
class DecisionDuringRead final : public CertificationPort {
 public:
  DecisionDuringRead(CertificationPort& real, std::function<void()> decide)
      : real_(real), decide_(std::move(decide)) {}
  Result<std::vector<CoveredProduct>> CoveredOn(std::int64_t day) override {
    auto covered = real_.CoveredOn(day);
    if (decide_) std::exchange(decide_, nullptr)();  // commits after the read
    return covered;
  }
  Result<std::vector<CoveredProduct>> CoveredAmong(db::Connection& c, std::int64_t day,
                                                   const std::vector<std::int64_t>& product_ids) override {
    return real_.CoveredAmong(c, day, product_ids);
  }

 private:
  CertificationPort& real_;
  std::function<void()> decide_;
};

TEST_P(LevelRecountTest, ADecisionDuringTheDailyRefreshIsKept) {
  app::Services& services = app_->app().services();
  const Principal admin = seeder_->PrincipalOf(admin_);
  const Shop shop = seeder_->NewShop("Hộ chè Tân Cương", kCommuneA);
  const Principal owner = seeder_->PrincipalOf(shop.owner);
  const std::int64_t tea = seeder_->NewProduct(shop, {.stock = 1000});
  auto today = [&] { return timefmt::LocalDay(app_->clock().NowMs()); };
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  auto submitted = services.quality->certificates.Submit(
      &owner, shop.id, Certificate(1, true, tea, today() - 3, today() + 30));
  ASSERT_TRUE(submitted.ok()) << nongsan::testing::ErrorText(submitted);
  // The next day, before the keeper: the products' coverage is of yesterday.
  app_->clock().Advance(kMsPerDay);
  bool decided = false;
  DecisionDuringRead port(*module().certifications, [&] {
    decided = services.quality->certificates.Verify(&admin, submitted->certificate.id).ok();
  });
  auto refreshed = RefreshCoverage(app_->app().db(), port, today());
  ASSERT_TRUE(refreshed.ok()) << nongsan::testing::ErrorText(refreshed);
  // Nothing written: the decision committed after the read (or the keeper's
  // own thread took the day first, and the decision is made now).
  EXPECT_FALSE(*refreshed);
  if (!decided) {
    ASSERT_TRUE(services.quality->certificates.Verify(&admin, submitted->certificate.id).ok());
  }
  const Figures expected = CertifiedPart(InProvince(Recount(app_->app().db(), today())));
  EXPECT_EQ(expected.at(kCommuneA).at("ocop_products_listed"), 1);
  // Never the older coverage: none of today yet, or one with the decision.
  if (auto state = FromProductState(app_->app().db(), today())) {
    EXPECT_EQ(*state, expected);
  }
  // The next round takes the coverage with the decision in it.
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  EXPECT_EQ(FromProductState(app_->app().db(), today()), expected);
}

// A day is frozen only once it has settled: asked for within the grace after
// midnight it is computed and not kept, and an order that commits into it
// late still counts; asked for after, it is kept.
TEST_P(LevelRecountTest, ADayIsSnapshottedOnlyOnceSettled) {
  app::Services& services = app_->app().services();
  const Shop shop = seeder_->NewShop("Hộ chè Tân Cương", kCommuneA);
  const std::int64_t product = seeder_->NewProduct(shop, {.stock = 1000});
  const Principal buyer = seeder_->PrincipalOf(seeder_->NewPerson("Người mua"));
  // To 00:02 of the next day, Vietnam time.
  const std::int64_t now = app_->clock().NowMs();
  const std::int64_t day = timefmt::LocalDay(now);
  const std::int64_t midnight = (day + 1) * kMsPerDay - kVietnamOffsetMs;
  app_->clock().Advance(midnight - now - 60'000);  // 23:59
  ASSERT_TRUE(services.orders->Checkout(buyer, "late-1", CheckoutBody({{product, 1}})).ok());
  app_->clock().Advance(3 * 60'000);  // 00:02
  const std::int64_t programme = NewProgramme();
  auto snapshotted = [&] {
    auto days = app_->app().db().Read([](db::Connection& c) { return SnapshotDays(c); });
    EXPECT_TRUE(days.ok());
    return days.ok() && std::count(days->begin(), days->end(), day) > 0;
  };
  EXPECT_EQ(FromApi(programme, day), InProvince(Recount(app_->app().db(), day)));
  EXPECT_FALSE(snapshotted());
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  EXPECT_FALSE(snapshotted());
  app_->clock().Advance(kSnapshotGraceMs);
  ASSERT_TRUE(module().keeper.RunOnce().ok());
  EXPECT_TRUE(snapshotted());
  const Figures at_end = InProvince(Recount(app_->app().db(), day));
  EXPECT_EQ(at_end.at(kCommuneA).at("shops_active"), 1);
  EXPECT_EQ(FromApi(programme, day), at_end);
}

// Orders and products from before the module (observers not wired), then
// the back-fill: the roll-ups equal the recount, and a second run changes
// nothing.
TEST_P(LevelRecountTest, RebuildBackFillsActivityFromBeforeTheModule) {
  app::Services& services = app_->app().services();
  services.notifications->SetObserver(nullptr);
  services.catalog->catalog.SetListingObserver(nullptr);
  std::vector<std::int64_t> products;
  const Shop a = seeder_->NewShop("Hộ chè Tân Cương", kCommuneA);
  const Shop c = seeder_->NewShop("HTX Phủ Thông", kCommuneC);
  for (const Shop* shop : {&a, &a, &c}) products.push_back(seeder_->NewProduct(*shop, {.stock = 1000}));
  const std::int64_t hidden =
      seeder_->NewProduct(c, {.stock = 1000, .status = catalog::ProductStatus::kHidden});
  const Principal buyer = seeder_->PrincipalOf(seeder_->NewPerson("Người mua"));
  for (int i = 0; i < 9; ++i) {
    app_->clock().Advance(7 * 3600 * 1000);
    ASSERT_TRUE(
        services.orders
            ->Checkout(buyer, "old-" + std::to_string(i), CheckoutBody({{products[i % 3], 1 + i % 2}}))
            .ok());
  }
  // The module arrives.
  services.notifications->SetObserver(&module().order_rollups);
  services.catalog->catalog.SetListingObserver(&module().listing_rollups);
  auto first = RebuildRollups(app_->app().db(), app_->clock());
  ASSERT_TRUE(first.ok()) << nongsan::testing::ErrorText(first);
  EXPECT_EQ(first->orders, 9);
  EXPECT_EQ(first->listing_spans, 3);  // the hidden product is not listed
  // And activity after it is followed as it happens.
  ASSERT_TRUE(services.orders->Checkout(buyer, "new-1", CheckoutBody({{products[2], 1}})).ok());
  const Principal owner = seeder_->PrincipalOf(c.owner);
  catalog::ProductPatch show;
  show.status = catalog::ProductStatus::kActive;
  ASSERT_TRUE(services.catalog->catalog.Update(&owner, hidden, show).ok());

  // Orders and GMV per day and commune: the recount from the order rows
  // (the last checkout's row is in the orders journal until folded).
  ASSERT_TRUE(FoldOrderJournal(app_->app().db()).ok());
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> rollups, recount;
  auto read = app_->app().db().Read([&](db::Connection& conn) -> Status {
    TRY_ASSIGN(auto rows, conn.Query("SELECT day, commune_code, metric, value FROM programme_rollups"));
    for (const auto& r : rows) rollups[{r.Int(0), r.Text(1), r.Text(2)}] += r.Int(3);
    TRY_ASSIGN(auto placed, conn.Query("SELECT from_commune_code, created_at, total_vnd FROM orders_orders"));
    for (const auto& r : placed) {
      recount[{timefmt::LocalDay(r.Int(1)), r.Text(0), "orders"}] += 1;
      recount[{timefmt::LocalDay(r.Int(1)), r.Text(0), "gmv_vnd"}] += r.Int(2);
    }
    return Ok{};
  });
  ASSERT_TRUE(read.ok()) << nongsan::testing::ErrorText(read);
  EXPECT_EQ(rollups, recount);
  const std::int64_t today = timefmt::LocalDay(app_->clock().NowMs());
  const Figures expected = InProvince(Recount(app_->app().db(), today));
  EXPECT_EQ(expected.at(kCommuneA).at("products_listed"), 2);
  EXPECT_EQ(expected.at(kCommuneC).at("shops_active"), 1);
  EXPECT_EQ(FromApi(NewProgramme(), today), expected);
  // The products' listing state was taken again from the spans the rebuild wrote.
  std::int64_t listed_recount = 0;
  for (const auto& [commune, metrics] : Recount(app_->app().db(), today)) {
    if (auto it = metrics.find("products_listed"); it != metrics.end()) listed_recount += it->second;
  }
  auto listed_state = app_->app().db().Read([](db::Connection& conn) {
    return conn.QueryInt("SELECT COUNT(*) FROM programme_products WHERE listed = 1");
  });
  ASSERT_TRUE(listed_state.ok()) << nongsan::testing::ErrorText(listed_state);
  EXPECT_EQ(*listed_state, listed_recount);
  EXPECT_EQ(listed_recount, 4);

  auto again = RebuildRollups(app_->app().db(), app_->clock());
  ASSERT_TRUE(again.ok()) << nongsan::testing::ErrorText(again);
  EXPECT_EQ(again->orders, 10);
  EXPECT_EQ(again->listing_spans, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, LevelRecountTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nongsan::programme::testing
