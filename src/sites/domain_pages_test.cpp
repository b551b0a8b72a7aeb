// Custom domains through the province admin's page and in Unicode, over real
// HTTP on both backends: a shop asks for "nôngsản.vn" (stored as its xn--
// form, shown in Unicode), the admin's Vietnamese queue lists it, a refusal
// needs a reason, is audited and reaches the shop's settings page; asked
// again and approved (audited), requests for the xn-- host get the site.
#include <gtest/gtest.h>

#include "sites/sites_test_support.hpp"

namespace nongsan::sites::testing {
namespace {

using nlohmann::json;
using nongsan::testing::ClientHeaders;

constexpr const char* kForm = "application/x-www-form-urlencoded";
// "nôngsản.vn" in its xn-- form as Python's idna codec computes it (not our code).
constexpr const char* kUnicodeDomain = "nôngsản.vn";
constexpr const char* kAsciiDomain = "xn--nngsn-6ta0134c.vn";

class DomainPages : public SitesWorld {
 protected:
  ClientHeaders FormPost(const orders::testing::Person& who) const {
    ClientHeaders headers = who.auth;
    headers["Content-Type"] = kForm;
    return headers;
  }
  std::int64_t Audited(const std::string& action) {
    return CountRows("audit_log WHERE action = '" + action + "' AND object_id = '" +
                     std::to_string(shop_.id) + "'");
  }
  void AskFor(const std::string& domain) {
    json site = GoodSite();
    site["custom_domain"] = domain;
    auto put = app_->Client().Put(SitePath(shop_), site, shop_.owner.auth);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.Json()["custom_domain"], kAsciiDomain);
    EXPECT_EQ(put.Json()["custom_domain_unicode"], kUnicodeDomain);
    EXPECT_EQ(put.Json()["domain_status"], "pending");
  }
};

TEST_P(DomainPages, TheProvinceAdminRefusesWithAReasonThenApprovesAUnicodeDomain) {
  auto client = app_->Client();
  AskFor(kUnicodeDomain);
  const std::string decide = "/can-bo/ten-mien/" + std::to_string(shop_.id);

  auto queue = client.Get("/can-bo/ten-mien", admin_.auth);
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find("<strong>nôngsản.vn</strong> · HTX Chè Đức Xuân"), std::string::npos)
      << queue.body;
  EXPECT_NE(queue.body.find(kAsciiDomain), std::string::npos) << "the form to point DNS at";
  EXPECT_EQ(client.Get("/can-bo/ten-mien", officer_.auth).status, 403) << "a commune officer may not";
  EXPECT_EQ(client.Post(decide + "/duyet", "", FormPost(officer_)).status, 403);
  EXPECT_EQ(client.Post(decide + "/duyet", "", FormPost(buyer_)).status, 404);

  auto no_reason = client.Post(decide + "/tu-choi", "reason=", FormPost(admin_));
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("Ghi lý do từ chối từ 5 đến 500 ký tự"), std::string::npos) << no_reason.body;
  EXPECT_EQ(Audited("site.domain_reject"), 0);

  auto refused = client.Post(
      decide + "/tu-choi", "reason=" + http::UrlEncode("Tên miền trùng thương hiệu khác"), FormPost(admin_));
  ASSERT_EQ(refused.status, 303) << refused.body;
  auto done = client.Get(refused.Header("location"), admin_.auth);
  EXPECT_NE(done.body.find("Đã từ chối tên miền nôngsản.vn"), std::string::npos) << done.body;
  EXPECT_EQ(Audited("site.domain_reject"), 1);
  auto settings =
      client.Get("/kenh-ban/cua-hang/" + std::to_string(shop_.id) + "/trang-web", shop_.owner.auth);
  EXPECT_NE(
      settings.body.find("Tên miền nôngsản.vn không được duyệt. Lý do: Tên miền trùng thương hiệu khác"),
      std::string::npos)
      << settings.body;
  EXPECT_TRUE(client.Get(SitePath(shop_), shop_.owner.auth).Json()["custom_domain"].is_null());
  EXPECT_EQ(client.Post(decide + "/duyet", "", FormPost(admin_)).status, 409) << "nothing left to approve";

  AskFor(kUnicodeDomain);
  auto approved = client.Post(decide + "/duyet", "", FormPost(admin_));
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(approved.Header("location").rfind("/can-bo/ten-mien?xong=duyet", 0), 0u);
  EXPECT_EQ(Audited("site.domain_approve"), 1);
  const json site = client.Get(SitePath(shop_), shop_.owner.auth).Json();
  EXPECT_EQ(site["domain_status"], "approved");
  EXPECT_FALSE(site.contains("domain_refused")) << "asking again cleared the refusal";
  // Browsers send the xn-- form in Host.
  auto served = client.Get("/", {{"Host", kAsciiDomain}});
  ASSERT_EQ(served.status, 200);
  EXPECT_NE(served.body.find("Chè ngon từ đồi Đức Xuân"), std::string::npos) << "the shop's site at /";
  EXPECT_NE(client.Get("/can-bo/ten-mien", admin_.auth).body.find("Không có tên miền nào đang chờ duyệt"),
            std::string::npos);
}

TEST_P(DomainPages, AnInvalidUnicodeDomainIsRefusedNamingTheField) {
  json site = GoodSite();
  site["custom_domain"] = "nông sản.vn";
  auto refused = app_->Client().Put(SitePath(shop_), site, shop_.owner.auth);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_TRUE(HasField(refused.Json(), "custom_domain")) << refused.body;
  EXPECT_EQ(CountRows("sites_settings"), 0);
}

INSTANTIATE_TEST_SUITE_P(Sites, DomainPages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::sites::testing
