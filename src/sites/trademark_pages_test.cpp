// A granted trademark where buyers see it, on both backends over real HTTP:
// the product page says "Nhãn hiệu đã đăng ký" with its certificate number,
// and the shop website's "Nhãn hiệu" section lists it; a trademark only
// filed shows on neither, even once an officer has verified the filing.
#include <gtest/gtest.h>

#include "sites/sites_test_support.hpp"
#include "web/format.hpp"

namespace nongsan::sites::testing {
namespace {

using nlohmann::json;

class TrademarkPages : public SitesWorld {
 protected:
  // Submits a trademark certificate for the tea and has the officer verify it.
  void VerifiedTrademark(const std::string& application, const std::string& status,
                         const std::string& number) {
    auto client = app_->Client();
    json body = {
        {"kind", "trademark"},         {"issuer", "Cục Sở hữu trí tuệ"}, {"application_number", application},
        {"filing_date", "2024-03-15"}, {"trademark_status", status},     {"product_ids", {tea_}}};
    if (!number.empty()) body["number"] = number;
    auto created =
        client.Post("/api/v1/sellers/" + std::to_string(shop_.id) + "/certificates", body, shop_.owner.auth);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = std::to_string(created.Json()["id"].get<std::int64_t>());
    ASSERT_EQ(client.Post("/api/v1/certificates/" + id + "/verify", "", officer_.auth).status, 200);
  }
};

TEST_P(TrademarkPages, OnlyAGrantedTrademarkShowsOnTheProductPageAndTheWebsite) {
  auto client = app_->Client();
  const std::string product_page = web::ProductPath("Chè búp Đức Xuân", tea_);
  VerifiedTrademark("4-2024-11111", "filed", "");
  auto page = client.Get(product_page);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.body.find("Nhãn hiệu đã đăng ký"), std::string::npos) << "a filing is no registration";

  VerifiedTrademark("4-2024-22222", "granted", "512345");
  page = client.Get(product_page);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Nhãn hiệu đã đăng ký: <a href=\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("số 512345</a>"), std::string::npos);
  EXPECT_EQ(page.body.find("4-2024-11111"), std::string::npos);

  // The site is set up now: its page for anonymous visitors is kept for a while.
  ASSERT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).status, 200);
  auto website = client.Get("/s/htx-che-duc-xuan-" + std::to_string(shop_.id));
  ASSERT_EQ(website.status, 200);
  const std::size_t section = website.body.find("id=\"nhan-hieu\"");
  ASSERT_NE(section, std::string::npos) << website.body;
  const std::string listed = website.body.substr(section, website.body.find("</section>", section) - section);
  EXPECT_NE(listed.find("số 512345"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("4-2024-11111"), std::string::npos) << listed;
}

INSTANTIATE_TEST_SUITE_P(Sites, TrademarkPages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::sites::testing
