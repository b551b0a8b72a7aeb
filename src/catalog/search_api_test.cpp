// Search and autocomplete over HTTP on each backend: Vietnamese matching,
// ranking, facets, visibility (suspended products and shops), bad input,
// paging, the change-log poller, and the same answers on both backends.
#include <chrono>
#include <initializer_list>
#include <string>
#include <thread>

#include "catalog/catalog_test_support.hpp"
#include "catalog/demo_catalog.hpp"
#include "http/request.hpp"

namespace nongsan::testing {
namespace {

class SearchApi : public CatalogFixture {
 protected:
  void SetUp() override {
    shop_ = MakeShop();
    tea_ = CreateProduct(shop_, ProductBody("T1", "Chè búp Đại Từ", {{"origin_commune", "05830"}}));
    honey_ = CreateProduct(shop_, ProductBody("M1", "Mật ong rừng",
                                              {{"category", "honey-forest"},
                                               {"unit", "chai"},
                                               {"price_vnd", 450000},
                                               {"description", "Ong khoái ở Hòa Bình."}}));
    gift_ = CreateProduct(shop_, ProductBody("G1", "Túi quà Tết",
                                             {{"category", "processed"},
                                              {"price_vnd", 300000},
                                              {"description", "Có chè Tân Cương và mật ong."}}));
    rice_ = CreateProduct(
        shop_,
        ProductBody(
            "R1", "Gạo Bao Thai Định Hóa",
            {{"category", "rice-white"}, {"unit", "kg"}, {"price_vnd", 25000}, {"origin_commune", "05569"}}));
  }
  TestShop shop_;
  std::int64_t tea_ = 0, honey_ = 0, gift_ = 0, rice_ = 0;
};

TEST_P(SearchApi, FindsWithoutToneMarks) {
  EXPECT_EQ(Search("q=dai%20tu"), (std::vector<std::int64_t>{tea_}));
  EXPECT_EQ(Search("q=%C4%91%E1%BA%A1i%20t%E1%BB%AB"), (std::vector<std::int64_t>{tea_}));  // "đại từ"
  EXPECT_EQ(Search("q=gao+dinh+hoa"), (std::vector<std::int64_t>{rice_}));
  EXPECT_EQ(Search("q=ho%C3%A0+binh"), (std::vector<std::int64_t>{honey_}));   // "hoà" finds "Hòa"
  EXPECT_EQ(Search("q=gao%20bao%20tha"), (std::vector<std::int64_t>{rice_}));  // prefix while typing
  EXPECT_EQ(Search("q=gaoo%20bao%20thaii"),
            (std::vector<std::int64_t>{rice_}));                              // "gaoo" is no word: one typo
  EXPECT_EQ(Search("q=bao%20thaii%20"), (std::vector<std::int64_t>{rice_}));  // one typo, 5 letters
}

TEST_P(SearchApi, RanksNamesAboveDescriptionsAndCountsFacets) {
  ClientResponse r = client_.Get("/api/v1/products?q=mat%20ong");
  ASSERT_EQ(r.status, 200);
  auto body = r.Json();
  ASSERT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["items"][0]["id"], honey_);
  EXPECT_EQ(body["items"][1]["id"], gift_);
  EXPECT_EQ(body["total"], 2);
  std::map<std::string, int> categories;
  for (const auto& c : body["facets"]["categories"]) categories[c["code"]] = c["count"];
  EXPECT_EQ(categories["honey"], 1);
  EXPECT_EQ(categories["processed"], 1);
  ASSERT_EQ(body["facets"]["provinces"].size(), 1u);
  EXPECT_EQ(body["facets"]["provinces"][0]["code"], "19");
  EXPECT_EQ(body["facets"]["provinces"][0]["name"], "Tỉnh Thái Nguyên");
  EXPECT_EQ(body["items"][0]["price_display"], "450.000\u00a0₫");

  EXPECT_EQ(Search("category=rice"), (std::vector<std::int64_t>{rice_}));
  EXPECT_EQ(Search("commune=05830"), (std::vector<std::int64_t>{tea_}));
  EXPECT_EQ(Search("province=19&sort=price_asc"), (std::vector<std::int64_t>{rice_, tea_, gift_, honey_}));
  EXPECT_EQ(Search("sort=price_desc&price_min=200000&price_max=400000"), (std::vector<std::int64_t>{gift_}));
  EXPECT_EQ(Search("seller=" + std::to_string(shop_.id) + "&sort=newest"),
            (std::vector<std::int64_t>{rice_, gift_, honey_, tea_}));
  EXPECT_EQ(Search("province=01"), (std::vector<std::int64_t>{}));
}

TEST_P(SearchApi, OnlyActiveProductsOfVisibleShops) {
  ASSERT_EQ(client_
                .Patch("/api/v1/products/" + std::to_string(rice_), nlohmann::json{{"status", "hidden"}},
                       As(shop_.owner))
                .status,
            200);
  EXPECT_EQ(Search("q=gao"), (std::vector<std::int64_t>{}));
  ASSERT_TRUE(catalog().catalog.SetSuspended(tea_, true, "Dư lượng thuốc trừ sâu").ok());
  EXPECT_EQ(Search("q=che"), (std::vector<std::int64_t>{gift_}));  // only the gift mentions chè now
  ASSERT_TRUE(catalog().catalog.SetSuspended(tea_, false, "").ok());
  EXPECT_EQ(Search("q=che%20"), (std::vector<std::int64_t>{tea_, gift_}));

  // An officer suspends the whole shop through the sellers API: every
  // product leaves search at once, and comes back on reinstatement.
  TestUser officer = world_.CreateUser("Cán bộ xã", {{Role::kCommuneOfficer, kCommuneIn}});
  const std::string shop_path = "/api/v1/sellers/" + std::to_string(shop_.id);
  ClientResponse suspended =
      client_.Post(shop_path + "/suspend", nlohmann::json{{"reason", "Bán hàng giả"}}, As(officer));
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(Search("q=che%20"), (std::vector<std::int64_t>{}));
  EXPECT_EQ(Search("seller=" + std::to_string(shop_.id)), (std::vector<std::int64_t>{}));
  EXPECT_EQ(client_.Get("/api/v1/products/" + std::to_string(tea_)).status, 404);
  ASSERT_EQ(client_.Post(shop_path + "/reinstate", nlohmann::json::object(), As(officer)).status, 200);
  EXPECT_EQ(Search("q=che%20"), (std::vector<std::int64_t>{tea_, gift_}));

  // The same through the sellers service (as quality enforcement and the
  // officer pages call it): the catalogue follows without the API route.
  world_.Suspend(officer.id, shop_.id);
  EXPECT_EQ(Search("q=che%20"), (std::vector<std::int64_t>{}));
}

TEST_P(SearchApi, RefusesBadInputClearly) {
  const std::string long_q(catalog::kMaxQueryChars + 1, 'a');
  for (const std::string& query :
       {"q=" + long_q, std::string("q=%FF%FE"), std::string("price_min=-1"), std::string("price_max=abc"),
        std::string("price_min=500&price_max=100"), std::string("price_max=99999999999999999999"),
        std::string("category=nope"), std::string("commune=99999"), std::string("province=xx"),
        std::string("seller=0"), std::string("sort=cheapest"), std::string("limit=0"),
        std::string("limit=101"), std::string("cursor=garbage"), std::string("cursor=a.1.0.5")}) {
    ClientResponse r = client_.Get("/api/v1/products?" + query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << query;
  }
  // Full-text syntax is just text.
  for (const std::string& q : std::initializer_list<std::string>{
           "%22ch%C3%A8%22", "ch%C3%A8*", "-ch%C3%A8", "ch%C3%A8%20NEAR%20m%E1%BA%ADt",
           "ch%C3%A8%20OR%20g%E1%BA%A1o", "%27%3B%20DROP%20TABLE", "%5C", "%2A%2A%2A"}) {
    EXPECT_EQ(client_.Get("/api/v1/products?q=" + q).status, 200) << q;
  }
  EXPECT_EQ(Search("q=%22ch%C3%A8%22"), (std::vector<std::int64_t>{tea_, gift_}));
  EXPECT_EQ(client_.Get("/api/v1/search/suggest?q=" + long_q).status, 400);
}

TEST_P(SearchApi, PagesThroughResultsWithCursors) {
  for (int i = 0; i < 25; ++i) {
    CreateProduct(shop_, ProductBody("NA-" + std::to_string(i), "Na dai Võ Nhai lô " + std::to_string(i),
                                     {{"category", "fruit-tropical"}, {"price_vnd", 60000 + i * 1000}}));
  }
  std::set<std::int64_t> seen;
  std::string cursor;
  std::int64_t last_price = 0;
  for (int page = 0; page < 10; ++page) {
    ClientResponse r = client_.Get("/api/v1/products?q=na%20dai&sort=price_asc&limit=10" +
                                   (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.Json();
    EXPECT_EQ(body["total"], 25);
    for (const auto& item : body["items"]) {
      EXPECT_GE(item["price_vnd"].get<std::int64_t>(), last_price);
      last_price = item["price_vnd"];
      seen.insert(item["id"].get<std::int64_t>());
    }
    if (body["next_cursor"].is_null()) break;
    cursor = http::UrlEncode(body["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(seen.size(), 25u);
}

TEST_P(SearchApi, SuggestsProductsAndCategories) {
  ClientResponse r = client_.Get("/api/v1/search/suggest?q=mat%20on");
  ASSERT_EQ(r.status, 200);
  auto body = r.Json();
  ASSERT_GE(body["products"].size(), 1u);
  EXPECT_EQ(body["products"][0]["name"], "Mật ong rừng");
  bool honey = false;
  for (const auto& c : body["categories"]) honey = honey || c["code"] == "honey";
  EXPECT_TRUE(honey);
  EXPECT_EQ(client_.Get("/api/v1/search/suggest?q=").Json()["products"].size(), 0u);
}

TEST_P(SearchApi, FollowsWritesMadeByAnotherProcess) {
  // Another app server (or the CLI importer) writes the row and the change
  // log; this server's poller picks it up within a poll interval or two.
  ASSERT_TRUE(
      app_.app()
          .db()
          .WriteWith([&](db::Connection& c) -> Status {
            TRY(c.Exec("UPDATE catalog_products SET name = 'Gạo nếp cái hoa vàng' WHERE id = ?", {rice_}));
            TRY(c.Exec("INSERT INTO catalog_changes (product_id, changed_at) VALUES (?, 0)", {rice_}));
            return Ok{};
          })
          .ok());
  const auto deadline = std::chrono::steady_clock::now() + 4 * catalog::kPollInterval;
  std::vector<std::int64_t> found;
  while (std::chrono::steady_clock::now() < deadline) {
    found = Search("q=hoa%20vang");
    if (!found.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(found, (std::vector<std::int64_t>{rice_}));
  EXPECT_EQ(Search("q=bao%20thai"), (std::vector<std::int64_t>{}));
}

INSTANTIATE_TEST_SUITE_P(Search, SearchApi, ::testing::ValuesIn(TestBackends()), BackendName);

// The same demo catalogue on SQLite and on PostgreSQL answers every query
// with the same products in the same order and the same facets.
TEST(SearchBackends, SameResultsOnBothBackends) {
  if (TestBackends().size() < 2) GTEST_SKIP() << "PostgreSQL not configured (" << kTestPostgresUrlEnv << ")";
  TestApp sqlite("sqlite");
  TestApp postgres("postgres");
  for (TestApp* app : {&sqlite, &postgres}) {
    ASSERT_TRUE(app->app().LoadDemo().ok());
    ASSERT_TRUE(app->app().services().catalog->search.CatchUp().ok());
  }
  HttpClient a = sqlite.Client();
  HttpClient b = postgres.Client();
  const std::vector<std::string> queries = {"q=che",
                                            "q=ch%C3%A8%20t%C3%A2n%20c%C6%B0%C6%A1ng",
                                            "q=mat%20ong%20rung",
                                            "q=gao%20bao%20thai",
                                            "q=mien%20dong",
                                            "q=na%20dai%20vo%20nhai",
                                            "q=hong%20khong%20hat",
                                            "q=thit%20trau",
                                            "q=mang%20kho",
                                            "q=oi%20linh",
                                            "q=cuonng",
                                            "category=tea&sort=price_asc",
                                            "q=ga&sort=newest",
                                            "commune=05503",
                                            "q=mat&price_max=200000&limit=50"};
  for (const auto& q : queries) {
    auto ra = a.Get("/api/v1/products?" + q);
    auto rb = b.Get("/api/v1/products?" + q);
    ASSERT_EQ(ra.status, 200) << q;
    ASSERT_EQ(rb.status, 200) << q;
    auto ja = ra.Json();
    auto jb = rb.Json();
    // Ids differ only if the two catalogues were numbered differently.
    EXPECT_EQ(ja["total"], jb["total"]) << q;
    EXPECT_EQ(ja["facets"], jb["facets"]) << q;
    ASSERT_EQ(ja["items"].size(), jb["items"].size()) << q;
    for (std::size_t i = 0; i < ja["items"].size(); ++i) {
      EXPECT_EQ(ja["items"][i]["id"], jb["items"][i]["id"]) << q << " #" << i;
      EXPECT_EQ(ja["items"][i]["name"], jb["items"][i]["name"]) << q << " #" << i;
    }
    EXPECT_GT(ja["total"].get<int>(), 0) << q;
  }
}

}  // namespace
}  // namespace nongsan::testing
