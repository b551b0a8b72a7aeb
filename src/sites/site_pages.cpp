#include "sites/site_pages.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "sites/domain_pages.hpp"
#include "sites/host_routing.hpp"
#include "sites/routes.hpp"
#include "sites/settings_pages.hpp"
#include "sites/site_page_data.hpp"
#include "sites/site_rules.hpp"
#include "sites/sites_module.hpp"
#include "trace/page_cache.hpp"
#include "web/format.hpp"
#include "web/renderer.hpp"

namespace nongsan::sites {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kSitePrefix = "/s/";
constexpr std::string_view kSiteCssFile = "/static/site.css";

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

// 'sha256-…' of an inline <style>, for the page's Content-Security-Policy.
std::string CspHash(const std::string& css) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(css.data()), css.size());
  std::string b64(sodium_base64_ENCODED_LEN(sizeof digest, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.size() - 1);  // the terminating NUL
  return "'sha256-" + b64 + "'";
}

// The scheme of the marketplace's own address, used for a shop's domain too
// (both sit behind the same TLS front).
std::string SchemeOf(const std::string& base_url) {
  const std::size_t end = base_url.find("://");
  return end == std::string::npos ? "https" : base_url.substr(0, end);
}

// The inline stylesheet of a theme colour and the policy allowing it.
struct ThemeStyle {
  std::string css;
  std::string csp;
};

// Distinct theme colours kept; the map starts over when full.
constexpr std::size_t kMaxThemeStyles = 4096;

class SitePages {
 public:
  SitePages(const web::Renderer& renderer, SitesModule& module, std::string css)
      : renderer_(renderer), m_(module), css_(std::move(css)) {}

  Response Site(Request& req) {
    auto id = web::IdFromSlug(req.Param("slug"));
    if (!id) return renderer_.NotFound(req);
    const bool on_domain = CustomDomainShop(m_.sites, req) == id;
    auto site = m_.sites.Head(PrincipalOf(req), *id);
    if (!site.ok()) return renderer_.ErrorPage(req, site.error());
    const std::string path = SitePath(site->shop.name, site->shop.id);
    // A stale or bare-id slug goes to the current one, as shop pages do.
    if (!on_domain && req.path != path) return Response::Redirect(path, 301);
    const ThemeStyle style = StyleOf(site->settings.theme_color);

    // Anonymous visitors without a query all get the same page (no session,
    // so no CSRF token; the language is Vietnamese): it is kept for
    // trace::kPageCacheTtl, keyed by the settings' version and the host, so
    // a change of settings or visibility shows at once; products, prices and
    // certificates may lag by at most that TTL.
    const bool shared = !req.principal && req.query_string.empty();
    const std::string key = std::to_string(site->shop.id) + "|" + std::to_string(site->settings.version) +
                            "|" + (on_domain ? *site->settings.custom_domain : "");
    if (shared) {
      if (auto html = cache_.Get(key))
        return PageResponse(Response::Html(200, std::move(*html)), style, on_domain);
    }
    if (Status listed = m_.sites.AddListings(*site); !listed.ok())
      return renderer_.ErrorPage(req, listed.error());

    SiteAddress address;
    address.marketplace_url = m_.base_url;
    address.custom_domain = on_domain;
    if (on_domain) {
      address.asset_base = SchemeOf(m_.base_url) + "://" + *site->settings.custom_domain;
      address.site_url = address.asset_base + "/";
    } else {
      address.asset_base = m_.base_url;
      address.site_url = m_.base_url + path;
    }
    json data = SitePageData(*site, address, *m_.catalog);
    data["jsonld"] = SiteJsonLd(*site, address, *m_.catalog);
    data["site_css"] = style.css;
    data["back"] = path;
    data["added"] = req.Query("da-them").has_value();
    Response res = renderer_.Render(req, "sites/site", std::move(data));
    if (shared && res.status == 200) cache_.Put(key, res.body);
    return PageResponse(std::move(res), style, on_domain);
  }

  // Only a shop's approved domain has a robots.txt and sitemap of its own;
  // on the marketplace's host these paths are not pages.
  Response Robots(Request& req) {
    auto host = OwnDomain(req);
    if (!host) return renderer_.NotFound(req);
    const std::string origin = SchemeOf(m_.base_url) + "://" + *host;
    Response res = Response::Text(200, "User-agent: *\nAllow: /\nSitemap: " + origin + "/sitemap.xml\n");
    res.SetHeader("Cache-Control", "public, max-age=3600");
    return res;
  }

  Response Sitemap(Request& req) {
    auto host = OwnDomain(req);
    if (!host) return renderer_.NotFound(req);
    const std::string origin = SchemeOf(m_.base_url) + "://" + *host;
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        "<url><loc>" +
        origin +
        "/</loc></url>\n"
        "</urlset>\n";
    Response res = Response::Text(200, std::move(xml), "application/xml; charset=utf-8");
    res.SetHeader("Cache-Control", "public, max-age=3600");
    return res;
  }

 private:
  // The approved domain this request came in on, when it is this shop's.
  std::optional<std::string> OwnDomain(const Request& req) {
    auto id = web::IdFromSlug(req.Param("slug"));
    if (!id || CustomDomainShop(m_.sites, req) != id) return std::nullopt;
    return HostOfHeader(req.Header("host").value_or(""));
  }

  ThemeStyle StyleOf(const std::string& theme_color) {
    std::lock_guard lock(styles_mu_);
    if (auto it = styles_.find(theme_color); it != styles_.end()) return it->second;
    if (styles_.size() >= kMaxThemeStyles) styles_.clear();
    ThemeStyle style;
    style.css = ":root{--theme:" + theme_color + "}\n" + css_;
    // The page's own policy: its inline stylesheet by hash, no script at all.
    style.csp = "default-src 'self'; img-src 'self' data:; style-src " + CspHash(style.css) +
                "; script-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    return styles_.emplace(theme_color, std::move(style)).first->second;
  }

  // The headers of every site page, rendered now or kept: as the shop page
  // (private, no-cache), and its own Content-Security-Policy.
  static Response PageResponse(Response res, const ThemeStyle& style, bool on_domain) {
    res.SetHeader("Content-Language", "vi");
    res.SetHeader("Cache-Control", "private, no-cache");
    res.SetHeader("Vary", "Cookie");
    res.SetHeader("Content-Security-Policy", style.csp);
    if (on_domain) {
      // Nothing of the marketplace's (the language cookie of ?lang=) is
      // ever set under a shop's domain.
      std::erase_if(res.headers, [](const auto& h) { return h.first == "Set-Cookie"; });
    }
    return res;
  }

  const web::Renderer& renderer_;
  SitesModule& m_;
  std::string css_;
  trace::PageCache cache_;
  std::mutex styles_mu_;
  std::map<std::string, ThemeStyle, std::less<>> styles_;  // by theme colour, guarded by styles_mu_
};

std::string ReadCss(const std::string& web_dir) {
  std::ifstream in(web_dir + std::string(kSiteCssFile), std::ios::binary);
  if (!in) {
    spdlog::error("sites: {}{} is missing; shop sites have no style", web_dir, kSiteCssFile);
    return "";
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

void AddSitePages(http::Router& router, const web::Renderer& renderer, SitesModule& module,
                  const std::string& web_dir) {
  auto pages = std::make_shared<SitePages>(renderer, module, ReadCss(web_dir));
  const http::RouteOptions read{.max_body = 0};
  const std::string site = std::string(kSitePrefix) + "{slug}";
  router.Get(
      site, [pages](Request& r) { return pages->Site(r); }, read);
  router.Get(
      site + "/robots.txt", [pages](Request& r) { return pages->Robots(r); }, read);
  router.Get(
      site + "/sitemap.xml", [pages](Request& r) { return pages->Sitemap(r); }, read);
  AddSettingsPages(router, renderer, module);
  AddDomainPages(router, renderer, module);
}

}  // namespace nongsan::sites
