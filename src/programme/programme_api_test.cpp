// The programme API over real HTTP on each backend: programmes and targets,
// the metrics per province, old district and commune, who sees what, and
// bad input answered 422 naming the field.
#include <map>

#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;
using orders::testing::CheckoutBody;
using orders::testing::PostCheckout;

std::string Path(std::int64_t id, const std::string& rest = "") {
  return "/api/v1/programmes/" + std::to_string(id) + rest;
}

TEST_P(ProgrammeTest, AdminCreatesProgrammeAndSetsTargets) {
  const std::int64_t id = NewProgramme();
  ASSERT_GT(id, 0);
  HttpClient client = Client();
  json targets = {{"targets",
                   {{{"unit_code", kProvince}, {"metric", "orders"}, {"target", 1000}},
                    {{"unit_code", kCommuneA}, {"metric", "orders"}, {"target", 40}},
                    {{"unit_code", kCommuneA}, {"metric", "households_onboarded"}, {"target", 120}}}}};
  auto put = client.Put(Path(id, "/targets"), targets.dump(), admin_.auth);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["targets"].size(), 3u);

  auto got = client.Get(Path(id), officer_.auth);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json()["province_code"], kProvince);
  EXPECT_EQ(got.Json()["starts_on"], "2026-01-01");
  EXPECT_EQ(got.Json()["targets"].size(), 3u);

  // PUT replaces the whole set.
  put =
      client.Put(Path(id, "/targets"),
                 json{{"targets", {{{"unit_code", kCommuneB}, {"metric", "gmv_vnd"}, {"target", 0}}}}}.dump(),
                 admin_.auth);
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(put.Json()["targets"].size(), 1u);
  EXPECT_EQ(put.Json()["targets"][0]["unit_code"], kCommuneB);

  // The commune officer may read but not set targets; an outsider learns nothing.
  EXPECT_EQ(client.Put(Path(id, "/targets"), targets.dump(), officer_.auth).status, 403);
  const Person buyer = seeder_->NewPerson("Người mua");
  EXPECT_EQ(client.Get(Path(id), buyer.auth).status, 404);
  EXPECT_EQ(client.Get(Path(id)).status, 401);
}

TEST_P(ProgrammeTest, BadInputIs422NamingTheField) {
  const std::int64_t id = NewProgramme();
  HttpClient client = Client();
  auto put = client.Put(Path(id, "/targets"),
                        json{{"targets",
                              {{{"unit_code", kHanoiCommune}, {"metric", "orders"}, {"target", 5}},
                               {{"unit_code", kCommuneA}, {"metric", "orders"}, {"target", -1}},
                               {{"unit_code", kCommuneA}, {"metric", "likes"}, {"target", 5}}}}}
                            .dump(),
                        admin_.auth);
  EXPECT_EQ(put.status, 422) << put.body;
  EXPECT_EQ(ProblemFields(put),
            (std::vector<std::string>{"targets[0].unit_code", "targets[1].target", "targets[2].metric"}));
  EXPECT_EQ(put.Header("content-type"), "application/problem+json");
  // Nothing half-written: the refused set left no rows.
  EXPECT_TRUE(client.Get(Path(id), admin_.auth).Json()["targets"].empty());

  auto range = client.Get(Path(id, "/metrics?level=commune&from=2026-06-01&to=2026-05-01"), admin_.auth);
  EXPECT_EQ(range.status, 422);
  EXPECT_EQ(ProblemFields(range), std::vector<std::string>{"from"});
  auto unit = client.Get(Path(id, "/metrics?level=commune&unit=") + kHanoiCommune, admin_.auth);
  EXPECT_EQ(unit.status, 422);
  EXPECT_EQ(ProblemFields(unit), std::vector<std::string>{"unit"});
  auto level = client.Get(Path(id, "/metrics?level=village"), admin_.auth);
  EXPECT_EQ(ProblemFields(level), std::vector<std::string>{"level"});

  auto backwards = client.Post("/api/v1/programmes",
                               json{{"name", "Ngược"},
                                    {"province_code", kProvince},
                                    {"starts_on", "2026-12-31"},
                                    {"ends_on", "2026-01-01"}}
                                   .dump(),
                               admin_.auth);
  EXPECT_EQ(backwards.status, 422);
  EXPECT_EQ(ProblemFields(backwards), std::vector<std::string>{"ends_on"});
  // An admin of Thái Nguyên may not open a programme for Hà Nội.
  auto other = client.Post(
      "/api/v1/programmes",
      json{
          {"name", "Hà Nội"}, {"province_code", "01"}, {"starts_on", "2026-01-01"}, {"ends_on", "2026-12-31"}}
          .dump(),
      admin_.auth);
  EXPECT_EQ(other.status, 403);
}

TEST_P(ProgrammeTest, MetricsCountOrdersPerCommuneDistrictAndProvince) {
  const std::int64_t id = NewProgramme();
  const Shop shop_a = seeder_->NewShop("Chè Đức Xuân", kCommuneA);
  const Shop shop_c = seeder_->NewShop("Miến Phủ Thông", kCommuneC);
  const std::int64_t tea = seeder_->NewProduct(shop_a, {.price_vnd = 100'000});
  const std::int64_t noodles = seeder_->NewProduct(shop_c, {.price_vnd = 50'000});
  const Person buyer = seeder_->NewPerson("Người mua");
  HttpClient client = Client();
  // One checkout, two shops: two orders.
  auto placed = PostCheckout(client, buyer, "k1", CheckoutBody({{tea, 2}, {noodles, 1}}));
  ASSERT_EQ(placed.status, 201) << placed.body;
  auto second = PostCheckout(client, buyer, "k2", CheckoutBody({{tea, 1}}));
  ASSERT_EQ(second.status, 201) << second.body;
  // The same key again is a replay: nothing new to count.
  ASSERT_EQ(PostCheckout(client, buyer, "k2", CheckoutBody({{tea, 1}})).status, 201);
  std::int64_t gmv_a = 0;
  std::int64_t gmv_c = 0;
  for (const auto& res : {placed, second}) {
    const json body = res.Json();
    for (const auto& o : body["orders"]) {
      (o["shop"]["id"] == shop_a.id ? gmv_a : gmv_c) += o["total_vnd"].get<std::int64_t>();
    }
  }
  ASSERT_GT(gmv_a, 200'000) << placed.body << second.body;

  auto communes = client.Get(Path(id, "/metrics?level=commune"), admin_.auth);
  ASSERT_EQ(communes.status, 200) << communes.body;
  std::map<std::string, json> by_code;
  const json commune_units = communes.Json()["units"];
  for (const auto& u : commune_units) by_code[u["code"].get<std::string>()] = u;
  ASSERT_TRUE(by_code.count(kCommuneA));
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["orders"]["value"], 2);
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["gmv_vnd"]["value"], gmv_a);
  EXPECT_EQ(by_code[kCommuneC]["metrics"]["orders"]["value"], 1);
  EXPECT_EQ(by_code[kCommuneB]["metrics"]["orders"]["value"], 0);
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["livestream_sessions"]["value"], 0);
  // Each household shop was created today in its commune.
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["households_onboarded"]["value"], 1);
  EXPECT_EQ(by_code[kCommuneB]["metrics"]["households_onboarded"]["value"], 0);
  // The tea is on sale from its own commune, and its shop sold today.
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["products_listed"]["value"], 1);
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["shops_active"]["value"], 1);
  EXPECT_EQ(by_code[kCommuneB]["metrics"]["products_listed"]["value"], 0);
  EXPECT_EQ(by_code[kCommuneA]["metrics"]["certified_products"]["value"], 0);
  // The month of the tests' clock (2026-11) holds them.
  bool found = false;
  for (const auto& point : by_code[kCommuneA]["series"]) {
    if (point["period"] == "2026-11") {
      found = true;
      EXPECT_EQ(point["values"]["orders"], 2);
    }
  }
  EXPECT_TRUE(found);

  auto province = client.Get(Path(id, "/metrics?level=province"), admin_.auth).Json();
  ASSERT_EQ(province["units"].size(), 1u);
  EXPECT_EQ(province["units"][0]["metrics"]["orders"]["value"], 3);
  EXPECT_EQ(province["units"][0]["metrics"]["gmv_vnd"]["value"], gmv_a + gmv_c);
  EXPECT_EQ(province["units"][0]["metrics"]["households_onboarded"]["value"], 2);

  auto districts = client.Get(Path(id, "/metrics?level=district"), admin_.auth).Json();
  std::map<std::string, json> by_district;
  for (const auto& u : districts["units"]) by_district[u["code"].get<std::string>()] = u;
  ASSERT_TRUE(by_district.count(kOldDistrictBacKan)) << districts.dump();
  EXPECT_EQ(by_district[kOldDistrictBacKan]["metrics"]["orders"]["value"], 2);
  EXPECT_EQ(by_district[kOldDistrictBachThong]["metrics"]["orders"]["value"], 1);
  EXPECT_EQ(by_district[kOldDistrictBacKan]["name"], "Thành phố Bắc Kạn");

  // A period before the orders counts none of them.
  auto before =
      client.Get(Path(id, "/metrics?level=province&from=2026-01-01&to=2026-10-31"), admin_.auth).Json();
  EXPECT_EQ(before["units"][0]["metrics"]["orders"]["value"], 0);

  // The commune officer sees their commune only.
  auto officer = client.Get(Path(id, "/metrics?level=commune"), officer_.auth);
  ASSERT_EQ(officer.status, 200) << officer.body;
  ASSERT_EQ(officer.Json()["units"].size(), 1u);
  EXPECT_EQ(officer.Json()["units"][0]["code"], kCommuneA);
  EXPECT_EQ(client.Get(Path(id, "/metrics?level=province"), officer_.auth).status, 403);
  EXPECT_EQ(client.Get(Path(id, "/metrics?level=commune&unit=") + kCommuneC, officer_.auth).status, 403);
}

TEST_P(ProgrammeTest, ProgressIsValueOverTarget) {
  const std::int64_t id = NewProgramme();
  const Shop shop = seeder_->NewShop("Chè Đức Xuân", kCommuneA);
  const std::int64_t tea = seeder_->NewProduct(shop);
  const Person buyer = seeder_->NewPerson("Người mua");
  HttpClient client = Client();
  ASSERT_EQ(PostCheckout(client, buyer, "k1", CheckoutBody({{tea, 1}})).status, 201);
  ASSERT_EQ(client
                .Put(Path(id, "/targets"),
                     json{{"targets",
                           {{{"unit_code", kCommuneA}, {"metric", "orders"}, {"target", 4}},
                            {{"unit_code", kCommuneB}, {"metric", "orders"}, {"target", 6}}}}}
                         .dump(),
                     admin_.auth)
                .status,
            200);
  auto res = client.Get(Path(id, "/metrics?level=commune&unit=") + kCommuneA, admin_.auth).Json();
  ASSERT_EQ(res["units"].size(), 1u);
  EXPECT_EQ(res["units"][0]["metrics"]["orders"]["target"], 4);
  EXPECT_DOUBLE_EQ(res["units"][0]["metrics"]["orders"]["progress"].get<double>(), 0.25);
  // A district's target is its communes' sum.
  auto district =
      client.Get(Path(id, "/metrics?level=district&unit=") + kOldDistrictBacKan, admin_.auth).Json();
  ASSERT_EQ(district["units"].size(), 1u);
  EXPECT_EQ(district["units"][0]["metrics"]["orders"]["target"], 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgrammeTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::programme::testing
