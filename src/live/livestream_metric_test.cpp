// The programme's `livestream_sessions` equals a recount from the raw
// session rows after randomised recording (shops in three communes of the
// province and one outside it, start times at any minute of the day so that
// sessions fall on both sides of midnight in Vietnam, some deleted again),
// for the province, its pre-2025 districts and its communes, over random
// periods; on each backend. The recount reads live_sessions and the
// sellers' own table directly (the shop's commune, the Vietnam day of
// started_at): it is the independent check of what the port counts. The
// same figure is on the dashboard and in the CSV report.
#include <algorithm>
#include <map>
#include <random>

#include "app/services.hpp"
#include "core/clock.hpp"
#include "live/live_module.hpp"
#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;
using Sessions = std::map<std::string, std::map<std::int64_t, std::int64_t>>;  // commune → day → count

class LivestreamMetricTest : public ProgrammeTest {
 protected:
  Sessions Recount() {
    Sessions out;
    auto rows = app_->app().db().Read([](db::Connection& c) {
      return c.Query(
          "SELECT s.commune_code, l.started_at FROM live_sessions l JOIN sellers s ON s.id = "
          "l.seller_id");
    });
    EXPECT_TRUE(rows.ok());
    if (!rows.ok()) return out;
    for (const auto& r : *rows) out[r.Text(0)][timefmt::LocalDay(r.Int(1))] += 1;
    return out;
  }

  static std::int64_t Sum(const Sessions& all, const std::vector<std::string>& communes, std::int64_t from,
                          std::int64_t to) {
    std::int64_t n = 0;
    for (const std::string& c : communes) {
      auto it = all.find(c);
      if (it == all.end()) continue;
      for (const auto& [day, count] : it->second) {
        if (day >= from && day <= to) n += count;
      }
    }
    return n;
  }

  json Metrics(std::int64_t programme, const std::string& level, std::int64_t from, std::int64_t to,
               const Person& who) {
    auto res = Client().Get("/api/v1/programmes/" + std::to_string(programme) + "/metrics?level=" + level +
                                "&from=" + timefmt::IsoDate(from) + "&to=" + timefmt::IsoDate(to),
                            who.auth);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.status == 200 ? res.Json() : json::object();
  }
};

TEST_P(LivestreamMetricTest, SessionsEqualRecountForEveryLevelAndPeriod) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  live::LiveService& live = app_->app().services().live->sessions;
  const std::vector<std::string> communes = {kCommuneA, kCommuneB, kCommuneC, kHanoiCommune};
  std::vector<Shop> shops;
  std::vector<Principal> owners;
  for (int i = 0; i < 6; ++i) {
    shops.push_back(seeder_->NewShop("Cửa hàng " + std::to_string(i), communes[i % communes.size()]));
    owners.push_back(seeder_->PrincipalOf(shops.back().owner));
  }
  // From 2026-01-01 to the day before the clock's today (2026-11-29).
  const std::int64_t first_day = *timefmt::ParseIsoDate("2026-01-01");
  const std::int64_t last_day = *timefmt::ParseIsoDate("2026-11-28");
  std::int64_t recorded = 0;
  for (int i = 0; i < 150; ++i) {
    const std::size_t shop = rng() % shops.size();
    const std::int64_t day = first_day + static_cast<std::int64_t>(rng() % (last_day - first_day + 1));
    const std::int64_t minute = static_cast<std::int64_t>(rng() % (24 * 60));
    const std::int64_t start = day * kMsPerDay - kVietnamOffsetMs + minute * 60'000;
    live::SessionInput input;
    input.title = "Phiên " + std::to_string(i);
    input.platform = "facebook";
    input.url = "https://www.facebook.com/live/" + std::to_string(i);
    input.started_at = timefmt::Rfc3339(start);
    input.ended_at = timefmt::Rfc3339(start + (1 + static_cast<std::int64_t>(rng() % 180)) * 60'000);
    auto s = live.Record(&owners[shop], shops[shop].id, input);
    ASSERT_TRUE(s.ok()) << nongsan::testing::ErrorText(s);
    ++recorded;
    // Now and then recorded by mistake and deleted: it must not count.
    if (rng() % 6 == 0) {
      ASSERT_TRUE(live.Delete(&owners[shop], s->id).ok());
      --recorded;
    }
  }
  const Sessions recount = Recount();
  std::int64_t total = 0;
  for (const auto& [c, days] : recount) total += Sum(recount, {c}, first_day, last_day);
  ASSERT_EQ(total, recorded);

  const std::int64_t id = NewProgramme();
  // The whole year, one month's days (one period for the sellers' count of
  // households, a CASE without WHEN that PostgreSQL refused), and random ones.
  std::vector<std::pair<std::int64_t, std::int64_t>> periods = {
      {first_day, last_day + 33},
      {*timefmt::ParseIsoDate("2026-10-03"), *timefmt::ParseIsoDate("2026-10-27")}};
  for (int i = 0; i < 4; ++i) {
    std::int64_t a = first_day + static_cast<std::int64_t>(rng() % (last_day - first_day + 1));
    std::int64_t b = first_day + static_cast<std::int64_t>(rng() % (last_day - first_day + 1));
    periods.push_back({std::min(a, b), std::max(a, b)});
  }
  for (const auto& [from, to] : periods) {
    SCOPED_TRACE(timefmt::IsoDate(from) + " … " + timefmt::IsoDate(to));
    const json province = Metrics(id, "province", from, to, admin_);
    ASSERT_EQ(province["units"].size(), 1u);
    EXPECT_EQ(province["units"][0]["metrics"]["livestream_sessions"]["value"],
              Sum(recount, {kCommuneA, kCommuneB, kCommuneC}, from, to))
        << "the province: its communes, not Hà Nội's";
    // Its monthly series: each month of the period, the sessions of its days
    // within the period.
    std::map<std::string, std::int64_t> by_month;
    for (std::int64_t day = from; day <= to; ++day) by_month[timefmt::IsoDate(day).substr(0, 7)] += 0;
    for (const std::string& c : {std::string(kCommuneA), std::string(kCommuneB), std::string(kCommuneC)}) {
      auto it = recount.find(c);
      if (it == recount.end()) continue;
      for (const auto& [day, count] : it->second) {
        if (day >= from && day <= to) by_month[timefmt::IsoDate(day).substr(0, 7)] += count;
      }
    }
    std::map<std::string, std::int64_t> series;
    const json& points = province["units"][0]["series"];
    for (const auto& point : points) {
      series[point["period"].get<std::string>()] = point["values"]["livestream_sessions"].get<std::int64_t>();
    }
    EXPECT_EQ(series, by_month) << "the province's monthly series";
    // Each answer held in a variable: a range-for over a temporary's member dangles.
    const json communes = Metrics(id, "commune", from, to, admin_);
    for (const auto& unit : communes["units"]) {
      EXPECT_EQ(unit["metrics"]["livestream_sessions"]["value"],
                Sum(recount, {unit["code"].get<std::string>()}, from, to))
          << unit["code"];
    }
    std::map<std::string, std::int64_t> by_district;
    by_district[kOldDistrictBacKan] = Sum(recount, {kCommuneA, kCommuneB}, from, to);
    by_district[kOldDistrictBachThong] = Sum(recount, {kCommuneC}, from, to);
    const json districts = Metrics(id, "district", from, to, admin_);
    for (const auto& unit : districts["units"]) {
      const std::string code = unit["code"];
      const std::int64_t want = by_district.count(code) ? by_district[code] : 0;
      EXPECT_EQ(unit["metrics"]["livestream_sessions"]["value"], want) << "district " << code;
    }
    // The commune officer sees their commune's figure, the same.
    const json mine = Metrics(id, "commune", from, to, officer_);
    ASSERT_EQ(mine["units"].size(), 1u);
    EXPECT_EQ(mine["units"][0]["metrics"]["livestream_sessions"]["value"],
              Sum(recount, {kCommuneA}, from, to));
  }

  // The dashboard's headline and the CSV report carry the same figure.
  const std::int64_t in_province = Sum(recount, {kCommuneA, kCommuneB, kCommuneC}, first_day, last_day);
  HttpClient client = Client();
  auto page = client.Get("/chuong-trinh?ct=" + std::to_string(id), admin_.auth);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(
      page.body.find("<span>Phiên livestream</span><strong>" + std::to_string(in_province) + "</strong>"),
      std::string::npos)
      << "the dashboard's tile";
  auto csv = client.Get("/api/v1/programmes/" + std::to_string(id) + "/report.csv", admin_.auth);
  ASSERT_EQ(csv.status, 200) << csv.body;
  auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1) {
      out.push_back(line.substr(start, comma - start));
    }
    out.push_back(line.substr(start));
    return out;
  };
  const std::size_t eol = csv.body.find("\r\n");
  const auto header = cells(csv.body.substr(0, eol));
  const auto province_line = cells(csv.body.substr(eol + 2, csv.body.find("\r\n", eol + 2) - eol - 2));
  const auto column = std::find(header.begin(), header.end(), "livestream_sessions");
  ASSERT_NE(column, header.end()) << csv.body.substr(0, eol);
  ASSERT_EQ(province_line.front(), "province");
  EXPECT_EQ(province_line.at(static_cast<std::size_t>(column - header.begin())), std::to_string(in_province));
}

INSTANTIATE_TEST_SUITE_P(Backends, LivestreamMetricTest,
                         ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::programme::testing
