// The sites module's rows of the authorization table (tests/support/
// authz_table.hpp), on shop_a (the owner's household in kCommuneIn with
// officer help on, kStaff its staff, a member of coop_c). The settings are
// written by those who manage the shop (the assisting officers included) and
// read by them and the officials of its area; a custom domain is approved by
// the admin of the shop's province alone.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "app/services.hpp"
#include "sites/routes.hpp"
#include "sites/sites_module.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing {
namespace {

using nlohmann::json;

bool ManagesShopA(Actor a) {
  return a == Actor::kOwner || a == Actor::kStaff || a == Actor::kCoopManager || a == Actor::kOfficerIn ||
         a == Actor::kProvinceAdmin;
}

int Unique() {
  static std::atomic<int> n{0};
  return n.fetch_add(1) + 1;
}

sites::SiteService& Sites(AuthzWorld& w) { return w.app.app().services().sites->sites; }

AuthzRequest WithShop(std::int64_t id, json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = std::to_string(id);
  r.body = std::move(body);
  return r;
}

// shop_a asks for a domain no other row used; returns it.
std::string AskForDomain(AuthzWorld& w) {
  const Principal owner = w.world.PrincipalOf(w.UserId(Actor::kOwner));
  sites::SiteInput input;
  input.tagline = "Chè Đức Xuân";
  input.custom_domain = "che" + std::to_string(Unique()) + ".example.vn";
  auto put = Sites(w).Put(&owner, w.shop_a, input);
  if (!put.ok()) throw std::runtime_error("site: " + put.error().detail);
  return input.custom_domain;
}

// shop_a's domain, approved by the province admin; returns it.
std::string ApprovedDomain(AuthzWorld& w) {
  const std::string domain = AskForDomain(w);
  const Principal admin = w.world.PrincipalOf(w.UserId(Actor::kProvinceAdmin));
  auto approved = Sites(w).ApproveDomain(&admin, w.shop_a);
  if (!approved.ok()) throw std::runtime_error("approve: " + approved.error().detail);
  return domain;
}

// {slug} of shop_a's site as its canonical path names it.
AuthzRequest SiteOfShopA(AuthzWorld& w) {
  auto shop = w.world.sellers().Get(w.shop_a);
  if (!shop.ok()) throw std::runtime_error("shop: " + shop.error().detail);
  AuthzRequest r;
  r.params["slug"] = sites::SitePath(shop->name, shop->id).substr(3);
  return r;
}

AuthzRequest OnApprovedDomain(AuthzWorld& w) {
  AuthzRequest r = SiteOfShopA(w);
  r.headers["Host"] = ApprovedDomain(w);
  return r;
}

// The set-up form as a browser posts it; after it, the tagline is saved only
// when the post was genuine and the actor manages shop_a.
AuthzRequest SettingsForm(AuthzWorld& w, AuthzRequest::Csrf csrf, bool saves) {
  AuthzRequest r;
  r.params["id"] = std::to_string(w.shop_a);
  r.form = "tagline=Ch%C3%A8+t%E1%BB%AB+form&theme_color=%231b6e3a";
  r.csrf = csrf;
  r.after = [saves](AuthzWorld& w, const ClientResponse&) {
    const Principal owner = w.world.PrincipalOf(w.UserId(Actor::kOwner));
    auto site = Sites(w).Get(&owner, w.shop_a);
    ASSERT_TRUE(site.ok());
    EXPECT_EQ(site->tagline, saves ? "Chè từ form" : "") << "saved";
  };
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(sites) {
  //                                                  anon buyer owner staff other coop offIn offOut admin
  const Expect managers_write{401, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect shop_and_officials{401, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect province_admin_decides{401, 404, 403, 403, 404, 403, 403, 404, 200};
  const Expect everyone{200, 200, 200, 200, 200, 200, 200, 200, 200};
  const Expect nobody_here{404, 404, 404, 404, 404, 404, 404, 404, 404};
  return {
      {"GET", "/api/v1/sellers/{id}/site", "", shop_and_officials,
       [](AuthzWorld& w) { return WithShop(w.shop_a); }},
      {"PUT", "/api/v1/sellers/{id}/site", "", managers_write,
       [](AuthzWorld& w) {
         AuthzRequest r = WithShop(w.shop_a, {{"tagline", "Chè ngon Đức Xuân"}, {"theme_color", "#1b6e3a"}});
         r.after = [](AuthzWorld& w, const ClientResponse&) {
           const Principal owner = w.world.PrincipalOf(w.UserId(Actor::kOwner));
           auto site = Sites(w).Get(&owner, w.shop_a);
           ASSERT_TRUE(site.ok());
           EXPECT_EQ(site->tagline, ManagesShopA(w.actor) ? "Chè ngon Đức Xuân" : "") << "written";
         };
         return r;
       }},
      {"POST", "/api/v1/sellers/{id}/site/domain/approve", "a domain asked for", province_admin_decides,
       [](AuthzWorld& w) {
         AskForDomain(w);
         return WithShop(w.shop_a, json::object());
       }},
      {"POST", "/api/v1/sellers/{id}/site/domain/reject", "a domain asked for", province_admin_decides,
       [](AuthzWorld& w) {
         AskForDomain(w);
         return WithShop(w.shop_a, json{{"reason", "Tên miền trùng thương hiệu của đơn vị khác"}});
       }},
      {"GET", "/api/v1/site-domains", "shop_a's domain waiting",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 200},
       [](AuthzWorld& w) {
         const std::string domain = AskForDomain(w);
         AuthzRequest r;
         r.after = [domain](AuthzWorld& w, const ClientResponse& response) {
           if (w.actor != Actor::kProvinceAdmin) return;
           EXPECT_NE(response.body.find(domain), std::string::npos) << "the admin's queue lists it";
         };
         return r;
       }},
      // ---------------------------------------------------------------- the public site
      {"GET", "/s/{slug}", "", everyone, [](AuthzWorld& w) { return SiteOfShopA(w); }},
      {"GET", "/s/{slug}", "on its approved domain", everyone,
       [](AuthzWorld& w) { return OnApprovedDomain(w); }},
      {"GET", "/s/{slug}/robots.txt", "on its approved domain", everyone,
       [](AuthzWorld& w) { return OnApprovedDomain(w); }},
      {"GET", "/s/{slug}/robots.txt", "on the marketplace's host", nobody_here,
       [](AuthzWorld& w) { return SiteOfShopA(w); }},
      {"GET", "/s/{slug}/sitemap.xml", "on its approved domain", everyone,
       [](AuthzWorld& w) { return OnApprovedDomain(w); }},
      {"GET", "/s/{slug}/sitemap.xml", "on the marketplace's host", nobody_here,
       [](AuthzWorld& w) { return SiteOfShopA(w); }},
      // ---------------------------------------------------------------- the seller centre's set-up page
      {"GET", "/kenh-ban/cua-hang/{id}/trang-web", "browser",
       Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.browser = true;
         r.params["id"] = std::to_string(w.shop_a);
         return r;
       }},
      {"POST", "/kenh-ban/cua-hang/{id}/trang-web", "browser",
       Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) { return SettingsForm(w, AuthzRequest::Csrf::kFromPage, ManagesShopA(w.actor)); }},
      {"POST", "/kenh-ban/cua-hang/{id}/trang-web", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return SettingsForm(w, AuthzRequest::Csrf::kMissing, false); }},
      {"POST", "/kenh-ban/cua-hang/{id}/trang-web", "wrong CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return SettingsForm(w, AuthzRequest::Csrf::kWrong, false); }},
  };
}

}  // namespace nongsan::testing
