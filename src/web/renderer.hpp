// The page renderer every HTML handler calls:
//
//   return renderer.Render(request, "product", {{"product", ...}});
//
// It resolves the language (?lang= → cookie `lang` → Vietnamese), adds what
// the layout needs to the page data (translations as {{t.…}}, the CSRF token
// for forms, who is signed in, asset URLs with a content version, the
// language switch link, canonical URL) and returns a text/html response.
//
// Templates, translations and asset versions are loaded once by Load();
// afterwards the Renderer is immutable and every method is thread-safe.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/request.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

namespace nongsan::web {

inline constexpr std::string_view kLangCookie = "lang";
inline constexpr int kLangCookieMaxAgeSeconds = 365 * 24 * 3600;
inline constexpr std::string_view kSiteName = "Nông sản Thái Nguyên";

// The CSRF token for the request's session ("" for an anonymous visitor:
// requests without a session cookie need none). Supplied by accounts.
using CsrfTokenFn = std::function<std::string(const http::Request&)>;

// How many products the visitor's cart holds (0 without a cart), for the
// count in the header. Supplied by orders.
using CartCountFn = std::function<std::int64_t(const http::Request&)>;

struct RendererOptions {
  std::string web_dir;               // holds templates/, i18n/ and static/
  std::string base_url;              // "https://nongsan.vn", for canonical and Open Graph URLs
  std::string home_province = "19";  // the province the home page and new shops start with
  CsrfTokenFn csrf_token;
  CartCountFn cart_count;  // optional
};

class Renderer {
 public:
  static Result<std::unique_ptr<Renderer>> Load(RendererOptions options);

  // Renders `template_name` with `data` (plus the common layout fields) into
  // an HTML response. A template failure is logged and answered with 500.
  // Fields a page may set: "title" (page title), "description" (meta),
  // "canonical" (path), "noindex" (bool), "og" (Open Graph object),
  // "jsonld" (a JSON object, embedded safely as application/ld+json).
  http::Response Render(const http::Request& request, std::string_view template_name, nlohmann::json data,
                        int status = 200) const;
  // The HTML alone (tests, benchmarks).
  Result<std::string> RenderHtml(const http::Request& request, std::string_view template_name,
                                 nlohmann::json data) const;

  // The "page not found" page with status 404.
  http::Response NotFound(const http::Request& request) const;
  // A page for an Error from a service (404 page, 403 page, 500 page …).
  http::Response ErrorPage(const http::Request& request, const Error& error) const;
  // The error page for an HTTP status a page route answered with a
  // problem+json body (a CSRF refusal, a rate limit, a body too large, an
  // exception): the same layout, the status kept.
  http::Response StatusPage(const http::Request& request, int status) const;
  // 303 to the sign-in page, which returns to this request's page afterwards.
  http::Response SignInRedirect(const http::Request& request) const;

  Lang LangOf(const http::Request& request) const;
  const std::string& T(const http::Request& request, std::string_view key) const {
    return translations_.Get(LangOf(request), key);
  }
  const Translations& translations() const { return translations_; }
  const TemplateSet& templates() const { return *templates_; }
  const std::string& base_url() const { return options_.base_url; }
  const std::string& home_province() const { return options_.home_province; }
  // "/static/app.css?v=1a2b3c4d": a content-versioned URL, cached for a year.
  std::string AssetUrl(std::string_view file) const;
  std::string CsrfToken(const http::Request& request) const;

 private:
  Renderer(RendererOptions options, Translations translations, std::unique_ptr<TemplateSet> templates);
  nlohmann::json CommonFields(const http::Request& request, Lang lang) const;

  RendererOptions options_;
  Translations translations_;
  std::unique_ptr<TemplateSet> templates_;
  // {"t": <translations>} per language, pushed under the page data.
  std::array<MustacheData, kLangCount> translation_layer_;
  std::map<std::string, std::string, std::less<>> asset_versions_;
};

// Serialises JSON for a <script type="application/ld+json"> block: '<', '>'
// and '&' are escaped as \u003c … so the data can never close the script.
std::string JsonForScript(const nlohmann::json& value);

}  // namespace nongsan::web
