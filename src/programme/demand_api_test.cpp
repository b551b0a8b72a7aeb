// The demand side over real HTTP on each backend: searches, product pages,
// carts and orders made through the app's own routes and services, then
// GET /api/v1/programmes/{id}/demand for the province admin and a commune
// officer. Counts are checked against what was done; small counts are held
// back; nothing in the answer names a buyer.
#include "core/clock.hpp"
#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;
using orders::testing::CheckoutBody;

json WordsOf(const json& list) {
  json out = json::object();
  for (const auto& w : list) out[w["word"].get<std::string>()] = w["searches"];
  return out;
}

TEST_P(ProgrammeTest, DemandCountsSearchesViewsCartsAndOrdersWithoutNamingBuyers) {
  app::Services& services = app_->app().services();
  const Shop tea = seeder_->NewShop("Hộ chè Tân Cương", kCommuneA);
  const Shop other = seeder_->NewShop("HTX Phủ Thông", kCommuneC);
  const std::int64_t tea_product = seeder_->NewProduct(tea, {.name = "Chè Tân Cương loại 1", .stock = 1000});
  const std::int64_t other_product =
      seeder_->NewProduct(other, {.name = "Miến dong Bạch Thông", .stock = 1000});
  const Person buyer = seeder_->NewPerson("Trần Văn Mua");
  const Principal buyer_principal = seeder_->PrincipalOf(buyer);
  HttpClient client = Client();

  // Searches: "chè" found three times, "sầu riêng" found nothing three
  // times, "mít" only twice (held back), a phone number (never kept).
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client.Get("/api/v1/products?q=ch%C3%A8").status, 200);
    ASSERT_EQ(client.Get("/api/v1/products?q=s%E1%BA%A7u%20ri%C3%AAng").status, 200);
  }
  for (int i = 0; i < 2; ++i) ASSERT_EQ(client.Get("/api/v1/products?q=m%C3%ADt").status, 200);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.Get("/api/v1/products?q=0912345678").status, 200);
  // Product pages: five views of the tea, two of the other commune's product.
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(client.Get("/api/v1/products/" + std::to_string(tea_product)).status, 200);
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(client.Get("/api/v1/products/" + std::to_string(other_product)).status, 200);
  // Carts: the tea added twice.
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(services.carts->Add({buyer.user_id, ""}, tea_product, 1).ok());
  // Orders of the tea: three delivered in Thái Nguyên, one in Hà Nội.
  for (int i = 0; i < 4; ++i) {
    auto res = services.orders->Checkout(buyer_principal, "d-" + std::to_string(i),
                                         CheckoutBody({{tea_product, 1}}, i < 3 ? kCommuneA : kHanoiCommune));
    ASSERT_TRUE(res.ok()) << nongsan::testing::ErrorText(res);
  }

  const std::int64_t id = NewProgramme();
  const std::string base = "/api/v1/programmes/" + std::to_string(id) + "/demand";
  auto province = client.Get(base, admin_.auth);
  ASSERT_EQ(province.status, 200) << province.body;
  const json body = province.Json();
  const json& week = body["weeks"].back();
  EXPECT_EQ(week["week_start"], timefmt::IsoDate(WeekOf(timefmt::LocalDay(app_->clock().NowMs()))));
  EXPECT_EQ(WordsOf(week["top_words"]), (json{{"che", 3}, {"rieng", 3}, {"sau", 3}}));
  EXPECT_EQ(WordsOf(week["found_nothing"]), (json{{"rieng", 3}, {"sau", 3}}));
  EXPECT_EQ(body["totals"], (json{{"views", 7}, {"carts", 2}, {"orders", 4}}));
  ASSERT_EQ(body["orders_by_buyer_province"].size(), 2u) << body.dump();
  EXPECT_EQ(body["orders_by_buyer_province"][0]["province_code"], kProvince);
  EXPECT_EQ(body["orders_by_buyer_province"][0]["orders"], 3);
  // Hà Nội's single order is summed with the other small ones.
  EXPECT_TRUE(body["orders_by_buyer_province"][1]["province_code"].is_null());
  EXPECT_EQ(body["orders_by_buyer_province"][1]["orders"], 1);
  for (const std::string& personal :
       {buyer.phone, std::string("Trần Văn Mua"), std::string("0912345678"), std::string("Nguyễn Thị Hoa")}) {
    EXPECT_EQ(province.body.find(personal), std::string::npos) << personal;
  }

  // The commune officer of A: their commune's products only.
  auto commune = client.Get(base + "?unit=" + kCommuneA, officer_.auth);
  ASSERT_EQ(commune.status, 200) << commune.body;
  EXPECT_EQ(commune.Json()["totals"], (json{{"views", 5}, {"carts", 2}, {"orders", 4}}));
  auto own = client.Get(base, officer_.auth);  // the whole province, for an officer: their communes
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.Json()["totals"], commune.Json()["totals"]);
  EXPECT_EQ(client.Get(base + "?unit=" + kCommuneC, officer_.auth).status, 403);

  // Bad input names the field.
  auto bad = client.Get(base + "?from=2026-12-01&to=2026-11-01&unit=00004", admin_.auth);
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(ProblemFields(bad), (std::vector<std::string>{"from", "unit"}));
  EXPECT_EQ(ProblemFields(client.Get(base + "?from=2025-01-01&to=2026-11-01", admin_.auth)),
            std::vector<std::string>{"to"});
  EXPECT_EQ(ProblemFields(client.Get(base + "?to=1/11/2026", admin_.auth)), std::vector<std::string>{"to"});
}

}  // namespace
}  // namespace nongsan::programme::testing
