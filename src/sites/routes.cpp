#include "sites/routes.hpp"

#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "core/clock.hpp"
#include "sites/site_rules.hpp"
#include "web/format.hpp"

namespace nongsan::sites {
namespace {

using accounts::JsonInput;
using accounts::Presence;
using http::Request;
using http::Response;
using nlohmann::json;

// The photo width the site's hero uses (a phone screen at 2x).
constexpr int kHeroJsonWidth = 1080;

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

Result<SiteInput> ReadSiteInput(const Request& req) {
  TRY_ASSIGN(json body, req.JsonBody());
  JsonInput in(body);
  SiteInput input;
  input.tagline = in.String("tagline", Presence::kOptional).value_or("");
  input.story = in.String("story", Presence::kOptional, kMaxStoryBytes).value_or("");
  input.theme_color = in.String("theme_color", Presence::kOptional).value_or("");
  input.hero_photo_id = in.Int("hero_photo_id", Presence::kOptional);
  input.custom_domain = in.String("custom_domain", Presence::kOptional).value_or("");
  TRY(in.Finish());
  return input;
}

}  // namespace

std::string SitePath(const std::string& shop_name, std::int64_t seller_id) {
  return web::SlugPath("/s/", shop_name, seller_id);
}

json SiteJson(const SiteSettings& s, const CatalogPort& catalog, const std::string& site_url) {
  json out = {{"seller_id", s.seller_id},
              {"tagline", s.tagline},
              {"story", s.story},
              {"theme_color", s.theme_color},
              {"hero_photo_id", nullptr},
              {"hero_photo_url", nullptr},
              {"custom_domain", nullptr},
              {"domain_status", DomainStatusName(s.domain_status)},
              {"domain_approved_at", nullptr},
              {"site_url", site_url},
              {"updated_at", nullptr}};
  if (auto ratio = ContrastWithWhite(s.theme_color)) out["theme_contrast"] = std::stod(RatioText(*ratio));
  if (s.hero_photo_id) {
    out["hero_photo_id"] = *s.hero_photo_id;
    out["hero_photo_url"] = catalog.PhotoPath(s.hero_photo_key, kHeroJsonWidth, "jpg");
  }
  if (s.custom_domain) {
    out["custom_domain"] = *s.custom_domain;
    out["custom_domain_unicode"] = DomainForDisplay(*s.custom_domain);
  }
  if (!s.refused_domain.empty()) {
    out["domain_refused"] = DomainForDisplay(s.refused_domain);
    out["domain_refusal_reason"] = s.refusal_reason;
  }
  if (s.domain_approved_at) out["domain_approved_at"] = timefmt::Rfc3339(*s.domain_approved_at);
  if (s.updated_at) out["updated_at"] = timefmt::Rfc3339(s.updated_at);
  return out;
}

void AddRoutes(http::Router& router, SitesModule& m) {
  // The answer names the public site, so it needs the shop's name.
  auto answer = [&m](const Request& req, std::int64_t seller_id, const SiteSettings& s) -> Result<Response> {
    TRY_ASSIGN(SiteShop shop, m.shops->View(PrincipalOf(req), seller_id));
    return Response::Json(200, SiteJson(s, *m.catalog, m.base_url + SitePath(shop.name, shop.id)));
  };

  router.Get("/api/v1/sellers/{id}/site",
             [&m, answer](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(SiteSettings s, m.sites.Get(PrincipalOf(req), seller_id));
                 return answer(req, seller_id, s);
               });
             },
             {.max_body = 0});

  router.Put("/api/v1/sellers/{id}/site",
             [&m, answer](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 TRY_ASSIGN(SiteInput input, ReadSiteInput(req));
                 TRY_ASSIGN(SiteSettings s, m.sites.Put(PrincipalOf(req), seller_id, input));
                 return answer(req, seller_id, s);
               });
             },
             {.max_body = kSiteMaxBody});

  router.Get("/api/v1/site-domains",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(auto pending, m.sites.PendingDomains(PrincipalOf(req)));
                 json items = json::array();
                 for (const auto& s : pending) {
                   TRY_ASSIGN(SiteShop shop, m.shops->View(PrincipalOf(req), s.seller_id));
                   json item = SiteJson(s, *m.catalog, m.base_url + SitePath(shop.name, shop.id));
                   item["shop_name"] = shop.name;
                   items.push_back(std::move(item));
                 }
                 return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/sellers/{id}/site/domain/approve",
              [&m, answer](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                  TRY_ASSIGN(SiteSettings s, m.sites.ApproveDomain(PrincipalOf(req), seller_id));
                  return answer(req, seller_id, s);
                });
              },
              {.max_body = http::kDefaultMaxBodyBytes});

  router.Post(
      "/api/v1/sellers/{id}/site/domain/reject",
      [&m, answer](Request& req) {
        return accounts::Reply(req, [&]() -> Result<Response> {
          TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
          TRY_ASSIGN(json body, req.JsonBody());
          if (!body.is_object()) return Error::Field("reason", "send a JSON object with the reason");
          for (auto it = body.begin(); it != body.end(); ++it) {
            if (it.key() != "reason") return Error::Field(it.key(), "is not a field of this request");
          }
          if (!body.contains("reason") || !body["reason"].is_string()) {
            return Error::Field("reason", "is required: why the domain is refused, for the shop to read");
          }
          TRY_ASSIGN(SiteSettings s,
                     m.sites.RejectDomain(PrincipalOf(req), seller_id, body["reason"].get<std::string>()));
          return answer(req, seller_id, s);
        });
      },
      {.max_body = http::kDefaultMaxBodyBytes});
}

}  // namespace nongsan::sites
