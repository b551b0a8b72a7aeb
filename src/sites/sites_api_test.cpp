// The website settings API end to end on both backends, over real HTTP
// against a real App: settings saved and read back, every refusal naming its
// field with nothing written, a domain taken by another shop (409), and the
// province admin's approval of a custom domain.
#include <gtest/gtest.h>

#include "sites/sites_test_support.hpp"

namespace nongsan::sites::testing {
namespace {

using nlohmann::json;

class SitesApi : public SitesWorld {};

TEST_P(SitesApi, SettingsAreSavedNormalisedAndReadBack) {
  auto client = app_->Client();
  auto empty = client.Get(SitePath(shop_), shop_.owner.auth);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.Json()["theme_color"], "#1b6e3a") << "the default colour before any setting";
  EXPECT_EQ(empty.Json()["domain_status"], "none");

  auto put = client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth);
  ASSERT_EQ(put.status, 200) << put.body;
  const json site = put.Json();
  EXPECT_EQ(site["tagline"], "Chè ngon từ đồi Đức Xuân");
  EXPECT_EQ(site["theme_color"], "#1b6e3a");
  EXPECT_EQ(site["custom_domain"], "che-ducxuan.vn") << "lower-cased, trailing dot dropped";
  EXPECT_EQ(site["domain_status"], "pending");
  EXPECT_EQ(site["hero_photo_id"], tea_photo_);
  EXPECT_EQ(site["site_url"], std::string(kBaseUrl) + "/s/htx-che-duc-xuan-" + std::to_string(shop_.id));
  EXPECT_GE(site["theme_contrast"].get<double>(), 4.5);

  auto read = client.Get(SitePath(shop_), officer_.auth);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json()["story"], site["story"]);
  EXPECT_EQ(client.Get(SitePath(shop_), buyer_.auth).status, 404);
  EXPECT_EQ(client.Get(SitePath(shop_)).status, 401);
  EXPECT_EQ(client.Put(SitePath(shop_), GoodSite(), other_shop_.owner.auth).status, 404);
}

TEST_P(SitesApi, BadInputIsRefusedNamingTheFieldAndNothingIsWritten) {
  auto client = app_->Client();
  struct Case {
    const char* field;
    json value;
    const char* says;  // a piece of the message, "" to skip
  };
  const std::vector<Case> cases = {
      // #777777 on white is 4.47:1 (WebAIM's checker says the same).
      {"theme_color", "#777777", "4.47:1"},
      {"theme_color", "#ff9900", "2.14:1"},
      {"theme_color", "green", ""},
      {"tagline", "<b>Chè</b> ngon", "< and >"},
      {"tagline", std::string(121, 'a'), "120"},
      {"story", "Dòng một\x01", "control"},
      {"tagline", "Hai\ndòng", "one line"},
      {"custom_domain", "http://che.vn/", "host name"},
      {"custom_domain", "192.168.1.10", "registered domain"},
      {"custom_domain", "localhost", "registered domain"},
      {"custom_domain", "chè vn.vn", "internationalised"},
      {"custom_domain", "xn--zz.vn", "xn--"},
      {"custom_domain", "-che.vn", "host name"},
      {"custom_domain", "nongsan.example.vn", "platform"},
      {"custom_domain", "shop.nongsan.example.vn", "platform"},
      {"hero_photo_id", 0, "photo"},
      {"tagline", 42, ""},
  };
  for (const auto& c : cases) {
    json body = GoodSite();
    body[c.field] = c.value;
    auto refused = client.Put(SitePath(shop_), body, shop_.owner.auth);
    EXPECT_EQ(refused.status, 400) << c.field << " " << c.value.dump() << " " << refused.body;
    EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
    EXPECT_TRUE(HasField(refused.Json(), c.field)) << refused.body;
    if (*c.says) {
      EXPECT_NE(refused.body.find(c.says), std::string::npos) << refused.body;
    }
  }
  // Another shop's photo is not this shop's hero.
  json stolen = GoodSite();
  stolen["hero_photo_id"] = rice_photo_;
  auto refused = client.Put(SitePath(shop_), stolen, shop_.owner.auth);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(HasField(refused.Json(), "hero_photo_id")) << refused.body;
  EXPECT_EQ(CountRows("sites_settings"), 0);

  // #767676 is the lightest grey with 4.5:1 (4.54).
  json grey = GoodSite();
  grey["theme_color"] = "#767676";
  EXPECT_EQ(client.Put(SitePath(shop_), grey, shop_.owner.auth).status, 200);
}

TEST_P(SitesApi, ADomainTakenByAnotherShopIsAConflict) {
  auto client = app_->Client();
  ASSERT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).status, 200);
  json same = {{"tagline", "Gạo ngon"}, {"custom_domain", "CHE-DUCXUAN.VN"}};
  auto taken = client.Put(SitePath(other_shop_), same, other_shop_.owner.auth);
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(taken.Json()["code"], "domain_taken");
  EXPECT_TRUE(HasField(taken.Json(), "custom_domain")) << taken.body;
  EXPECT_EQ(CountRows("sites_settings"), 1) << "nothing written for the second shop";
  // The shop itself may save again with its own domain.
  EXPECT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).status, 200);
}

TEST_P(SitesApi, OnlyTheProvinceAdminApprovesADomainAndAChangeWithdrawsIt) {
  auto client = app_->Client();
  const std::string approve = SitePath(shop_) + "/domain/approve";
  EXPECT_EQ(client.Post(approve, json::object(), admin_.auth).status, 409) << "no domain asked for yet";
  ASSERT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).status, 200);
  // The admin finds it in the province's queue; nobody else has one.
  auto queue = client.Get("/api/v1/site-domains", admin_.auth);
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.Json()["items"].size(), 1u);
  EXPECT_EQ(queue.Json()["items"][0]["custom_domain"], "che-ducxuan.vn");
  EXPECT_EQ(queue.Json()["items"][0]["shop_name"], "HTX Chè Đức Xuân");
  const auto far_admin = seeder_->NewPerson("Quản trị Hà Nội", {{Role::kProvinceAdmin, "01"}});
  EXPECT_TRUE(client.Get("/api/v1/site-domains", far_admin.auth).Json()["items"].empty())
      << "another province";
  EXPECT_EQ(client.Get("/api/v1/site-domains", officer_.auth).status, 403);
  EXPECT_EQ(client.Post(approve, json::object(), shop_.owner.auth).status, 403);
  EXPECT_EQ(client.Post(approve, json::object(), officer_.auth).status, 403);
  EXPECT_EQ(client.Post(approve, json::object(), buyer_.auth).status, 404);
  auto approved = client.Post(approve, json::object(), admin_.auth);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["domain_status"], "approved");
  EXPECT_FALSE(approved.Json()["domain_approved_at"].is_null());
  EXPECT_TRUE(client.Get("/api/v1/site-domains", admin_.auth).Json()["items"].empty())
      << "approved: off the queue";

  // Saving the same domain keeps the approval; a new one waits for its own.
  EXPECT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).Json()["domain_status"], "approved");
  json moved = GoodSite();
  moved["custom_domain"] = "chetancuong.com.vn";
  EXPECT_EQ(client.Put(SitePath(shop_), moved, shop_.owner.auth).Json()["domain_status"], "pending");
}

INSTANTIATE_TEST_SUITE_P(Sites, SitesApi, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::sites::testing
