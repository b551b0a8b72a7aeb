// The shop's website as people and crawlers get it, on both backends over
// real HTTP: the page's content, JSON-LD (parsed) and Open Graph, the same
// 404s as the shop page, a custom domain served at / with its own robots.txt
// and sitemap.xml once approved (and nothing of the marketplace under it),
// and the seller centre's form refusing bad input in Vietnamese.
#include <gtest/gtest.h>

#include "sites/sites_test_support.hpp"

namespace nongsan::sites::testing {
namespace {

using nlohmann::json;
using nongsan::testing::ClientHeaders;

constexpr const char* kDomain = "che-ducxuan.vn";
constexpr const char* kForm = "application/x-www-form-urlencoded";

// The one JSON-LD block of a page, parsed; null when absent or not JSON.
json JsonLdOf(const std::string& html) {
  const std::string open = "<script type=\"application/ld+json\">";
  const std::size_t start = html.find(open);
  if (start == std::string::npos) return nullptr;
  const std::size_t end = html.find("</script>", start);
  return json::parse(html.substr(start + open.size(), end - start - open.size()), nullptr, false);
}

// The content of <meta property="name" content="…">, "" when absent.
std::string MetaOf(const std::string& html, const std::string& property) {
  const std::string open = "<meta property=\"" + property + "\" content=\"";
  const std::size_t start = html.find(open);
  if (start == std::string::npos) return "";
  const std::size_t end = html.find('"', start + open.size());
  return html.substr(start + open.size(), end - start - open.size());
}

class SitesPages : public SitesWorld {
 protected:
  std::string SiteUrl() const { return "/s/htx-che-duc-xuan-" + std::to_string(shop_.id); }
  void SetUpSite(bool approve) {
    auto client = app_->Client();
    ASSERT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).status, 200);
    if (approve) {
      ASSERT_EQ(client.Post(SitePath(shop_) + "/domain/approve", json::object(), admin_.auth).status, 200);
    }
  }
  ClientHeaders OnDomain(const std::string& host = kDomain) const { return {{"Host", host}}; }
};

TEST_P(SitesPages, TheSiteShowsTheShopWithJsonLdAndOpenGraph) {
  SetUpSite(false);
  auto client = app_->Client();
  auto page = client.Get(SiteUrl());
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string& html = page.body;
  EXPECT_NE(html.find("Chè ngon từ đồi Đức Xuân"), std::string::npos) << "tagline";
  EXPECT_NE(html.find("<p>Bốn mươi hộ trồng chè theo VietGAP.</p>"), std::string::npos) << "story paragraphs";
  EXPECT_NE(html.find("Chè búp Đức Xuân"), std::string::npos) << "product";
  EXPECT_NE(html.find("action=\"/gio-hang/them\""), std::string::npos)
      << "buy form into the marketplace cart";
  EXPECT_NE(html.find("https://www.google.com/maps/search/?api=1&amp;query="), std::string::npos)
      << "map link";
  EXPECT_EQ(html.find("<script src"), std::string::npos) << "no script of any kind";
  EXPECT_EQ(html.find("class=\"top\""), std::string::npos) << "not the marketplace's layout";
  EXPECT_EQ(page.Header("cache-control"), "private, no-cache") << "as the shop page";
  const std::string csp = page.Header("content-security-policy");
  EXPECT_NE(csp.find("style-src 'sha256-"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'none'"), std::string::npos) << csp;

  const std::string site_url = std::string(kBaseUrl) + SiteUrl();
  EXPECT_EQ(MetaOf(html, "og:title"), "HTX Chè Đức Xuân");
  EXPECT_EQ(MetaOf(html, "og:description"), "Chè ngon từ đồi Đức Xuân");
  EXPECT_EQ(MetaOf(html, "og:url"), site_url);
  EXPECT_EQ(MetaOf(html, "og:image").rfind(std::string(kBaseUrl) + "/photos/", 0), 0u)
      << MetaOf(html, "og:image");
  auto image = client.Get(MetaOf(html, "og:image").substr(std::string(kBaseUrl).size()));
  EXPECT_EQ(image.status, 200) << "og:image names a real file";
  EXPECT_EQ(image.Header("content-type"), "image/jpeg");

  const json ld = JsonLdOf(html);
  ASSERT_TRUE(ld.is_object()) << "JSON-LD parses";
  EXPECT_EQ(ld["@context"], "https://schema.org");
  ASSERT_EQ(ld["@graph"].size(), 2u);
  const json& business = ld["@graph"][0];
  EXPECT_EQ(business["@type"], "LocalBusiness");
  EXPECT_EQ(business["name"], "HTX Chè Đức Xuân");
  EXPECT_EQ(business["url"], site_url);
  EXPECT_EQ(business["address"]["addressCountry"], "VN");
  const json& list = ld["@graph"][1];
  EXPECT_EQ(list["@type"], "ItemList");
  EXPECT_EQ(list["numberOfItems"], 1);
  const json& item = list["itemListElement"][0];
  EXPECT_EQ(item["position"], 1);
  EXPECT_EQ(item["item"]["name"], "Chè búp Đức Xuân");
  EXPECT_EQ(item["item"]["offers"]["priceCurrency"], "VND");
  EXPECT_EQ(item["item"]["offers"]["price"], 100000);
  EXPECT_EQ(item["item"]["url"].get<std::string>().rfind(std::string(kBaseUrl) + "/san-pham/", 0), 0u);

  // A second visitor gets the same page and headers (kept for anonymous
  // visitors), and a change of settings shows at once.
  auto again = client.Get(SiteUrl());
  EXPECT_EQ(again.body, html);
  EXPECT_EQ(again.Header("content-security-policy"), csp);
  EXPECT_EQ(again.Header("cache-control"), "private, no-cache");
  json changed = GoodSite();
  changed["tagline"] = "Chè mới hái sáng nay";
  changed["theme_color"] = "#8b0000";
  ASSERT_EQ(client.Put(SitePath(shop_), changed, shop_.owner.auth).status, 200);
  auto fresh = client.Get(SiteUrl());
  EXPECT_NE(fresh.body.find("Chè mới hái sáng nay"), std::string::npos);
  EXPECT_NE(fresh.body.find("--theme:#8b0000"), std::string::npos);
  EXPECT_NE(fresh.Header("content-security-policy"), csp) << "the policy follows the stylesheet";
}

TEST_P(SitesPages, ItIsA404WhereTheShopPageIsOne) {
  auto client = app_->Client();
  // A shop that never set anything up still has its site (the defaults).
  EXPECT_EQ(client.Get(SiteUrl()).status, 200);
  auto bare = client.Get("/s/" + std::to_string(shop_.id));
  EXPECT_EQ(bare.status, 301);
  EXPECT_EQ(bare.Header("location"), SiteUrl());
  EXPECT_EQ(client.Get("/s/khong-co-999999").status, 404);
  EXPECT_EQ(client.Get("/s/khong-co-so").status, 404);

  const Principal officer =
      seeder_->PrincipalOf(seeder_->NewPerson("Cán bộ", {{Role::kCommuneOfficer, kShopCommune}}));
  ASSERT_TRUE(
      app_->app().services().sellers->Suspend(officer, shop_.id, "Bán hàng giả", {"127.0.0.1", "test"}).ok());
  const std::string shop_page = "/cua-hang/htx-che-duc-xuan-" + std::to_string(shop_.id);
  EXPECT_EQ(client.Get(shop_page).status, 404);
  EXPECT_EQ(client.Get(SiteUrl()).status, 404) << "suspended: hidden like the shop page";
  EXPECT_EQ(client.Get(shop_page, shop_.owner.auth).status, 200);
  EXPECT_EQ(client.Get(SiteUrl(), shop_.owner.auth).status, 200)
      << "its owner still sees it, as the shop page";
}

TEST_P(SitesPages, AnApprovedDomainServesTheSiteAtTheRootWithItsOwnRobotsAndSitemap) {
  SetUpSite(false);
  auto client = app_->Client();
  // Not approved yet: the marketplace answers, as for any unknown host.
  auto before = client.Get("/", OnDomain());
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body.find("Chè ngon từ đồi Đức Xuân"), std::string::npos);
  EXPECT_EQ(client.Get("/robots.txt", OnDomain()).body.find("che-ducxuan"), std::string::npos);

  ASSERT_EQ(client.Post(SitePath(shop_) + "/domain/approve", json::object(), admin_.auth).status, 200);
  for (const std::string& host :
       {std::string(kDomain), std::string("CHE-DUCXUAN.VN:443"), std::string(kDomain) + "."}) {
    auto root = client.Get("/", OnDomain(host));
    ASSERT_EQ(root.status, 200) << host;
    EXPECT_NE(root.body.find("Chè ngon từ đồi Đức Xuân"), std::string::npos) << host;
    EXPECT_TRUE(root.set_cookies.empty()) << "no cookie is ever set on a shop's domain";
  }
  auto root = client.Get("/", OnDomain());
  EXPECT_EQ(MetaOf(root.body, "og:url"), "https://che-ducxuan.vn/");
  EXPECT_NE(root.body.find("<link rel=\"canonical\" href=\"https://che-ducxuan.vn/\">"), std::string::npos);
  EXPECT_EQ(root.body.find("action=\"/gio-hang/them\""), std::string::npos)
      << "no cart form on the shop's domain";
  EXPECT_NE(root.body.find("class=\"buy\" href=\"https://nongsan.example.vn/san-pham/"), std::string::npos)
      << "buying goes to the marketplace's own host";
  EXPECT_EQ(MetaOf(root.body, "og:image").rfind("https://che-ducxuan.vn/photos/", 0), 0u);
  const json ld = JsonLdOf(root.body);
  ASSERT_TRUE(ld.is_object());
  EXPECT_EQ(ld["@graph"][0]["url"], "https://che-ducxuan.vn/");

  auto robots = client.Get("/robots.txt", OnDomain());
  ASSERT_EQ(robots.status, 200);
  EXPECT_NE(robots.body.find("Sitemap: https://che-ducxuan.vn/sitemap.xml"), std::string::npos)
      << robots.body;
  auto sitemap = client.Get("/sitemap.xml", OnDomain());
  ASSERT_EQ(sitemap.status, 200);
  EXPECT_EQ(sitemap.Header("content-type"), "application/xml; charset=utf-8");
  EXPECT_NE(sitemap.body.find("<loc>https://che-ducxuan.vn/</loc>"), std::string::npos) << sitemap.body;
  EXPECT_EQ(sitemap.body.find("nongsan.example.vn"), std::string::npos) << "only URLs on the domain";
  // Its assets pass through; the marketplace's own pages do not exist there.
  EXPECT_EQ(
      client
          .Get(MetaOf(root.body, "og:image").substr(std::string("https://che-ducxuan.vn").size()), OnDomain())
          .status,
      200);
  EXPECT_EQ(client.Get("/static/site.css", OnDomain()).status, 200);
  EXPECT_EQ(client.Get("/dang-nhap", OnDomain()).status, 404);
  EXPECT_EQ(client.Get("/gio-hang", OnDomain()).status, 404);
  EXPECT_EQ(client.Get("/api/v1/sellers/" + std::to_string(shop_.id), OnDomain()).status, 404);

  // The platform's host and unknown hosts are the marketplace; robots and
  // sitemap of a site exist only on its domain.
  EXPECT_EQ(client.Get(SiteUrl() + "/robots.txt").status, 404);
  EXPECT_EQ(client.Get(SiteUrl() + "/sitemap.xml", OnDomain("nongsan.example.vn")).status, 404);
  for (const char* other : {"nongsan.example.vn", "evil.example", "[::1]:80", "127.0.0.1", "a..b"}) {
    auto home = client.Get("/", OnDomain(other));
    EXPECT_EQ(home.status, 200) << other;
    EXPECT_EQ(home.body.find("Chè ngon từ đồi Đức Xuân"), std::string::npos) << other;
  }
  // A changed domain is withdrawn at once.
  json moved = GoodSite();
  moved["custom_domain"] = "chetancuong.com.vn";
  ASSERT_EQ(client.Put(SitePath(shop_), moved, shop_.owner.auth).status, 200);
  EXPECT_EQ(client.Get("/", OnDomain()).body.find("Chè ngon từ đồi Đức Xuân"), std::string::npos);
  EXPECT_EQ(client.Get("/", OnDomain("chetancuong.com.vn")).body.find("Chè ngon từ đồi Đức Xuân"),
            std::string::npos)
      << "the new domain waits for its approval";
}

TEST_P(SitesPages, TheSellerCentreFormSavesAndRefusesInVietnamese) {
  auto client = app_->Client();
  const std::string page = "/kenh-ban/cua-hang/" + std::to_string(shop_.id) + "/trang-web";
  auto form = client.Get(page, shop_.owner.auth);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("name=\"hero_photo_id\" value=\"" + std::to_string(tea_photo_) + "\""),
            std::string::npos)
      << "the shop's photos are offered as the hero";
  EXPECT_EQ(form.body.find("value=\"" + std::to_string(rice_photo_) + "\""), std::string::npos);

  ClientHeaders post = shop_.owner.auth;
  post["Content-Type"] = kForm;
  auto refused =
      client.Post(page, "tagline=Ch%C3%A8&theme_color=%23777777&custom_domain=http%3A%2F%2Fx", post);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("độ tương phản 4.47:1"), std::string::npos) << "the ratio, in Vietnamese";
  EXPECT_NE(refused.body.find("id=\"custom_domain-err\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"http://x\""), std::string::npos) << "input kept";
  EXPECT_EQ(CountRows("sites_settings"), 0);
  auto bad_photo = client.Post(page, "tagline=Ch%C3%A8&hero_photo_id=abc", post);
  EXPECT_EQ(bad_photo.status, 422);
  EXPECT_NE(bad_photo.body.find("Chọn một ảnh sản phẩm của chính cửa hàng."), std::string::npos);
  EXPECT_EQ(CountRows("sites_settings"), 0) << "nothing written beside a refused field";

  auto saved =
      client.Post(page,
                  "tagline=Ch%C3%A8+s%E1%BA%A1ch&story=D%C3%B2ng+1%0D%0AD%C3%B2ng+2&theme_color=%231b6e3a"
                  "&hero_photo_id=" +
                      std::to_string(tea_photo_),
                  post);
  EXPECT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("location"), page + "?da-luu=1");
  auto api = client.Get(SitePath(shop_), shop_.owner.auth).Json();
  EXPECT_EQ(api["tagline"], "Chè sạch");
  EXPECT_EQ(api["story"], "Dòng 1\nDòng 2");
  EXPECT_EQ(api["hero_photo_id"], tea_photo_);

  // Another shop's domain, taken: said beside the field.
  ClientHeaders other = other_shop_.owner.auth;
  other["Content-Type"] = kForm;
  ASSERT_EQ(client.Put(SitePath(shop_), GoodSite(), shop_.owner.auth).status, 200);
  auto taken = client.Post("/kenh-ban/cua-hang/" + std::to_string(other_shop_.id) + "/trang-web",
                           "custom_domain=che-ducxuan.vn", other);
  EXPECT_EQ(taken.status, 422);
  EXPECT_NE(taken.body.find("Tên miền này đã có cửa hàng khác dùng."), std::string::npos);
  EXPECT_EQ(client.Get(page, other_shop_.owner.auth).status, 404) << "not their shop";
}

INSTANTIATE_TEST_SUITE_P(Sites, SitesPages, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::sites::testing
