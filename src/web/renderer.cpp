#include "web/renderer.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.hpp"
#include "core/principal.hpp"

namespace nongsan::web {

namespace {

// Hex digits of the content hash put into asset URLs; enough to never collide
// between two versions of one file.
constexpr std::size_t kAssetVersionChars = 10;
constexpr std::string_view kSignInPath = "/dang-nhap";
constexpr std::string_view kErrorTemplate = "error";

bool IsSeller(const Principal& principal) {
  return principal.Has(Role::kShopOwner) || principal.Has(Role::kShopStaff) ||
         principal.Has(Role::kCoopManager);
}

bool IsOfficial(const Principal& principal) {
  return principal.Has(Role::kCommuneOfficer) || principal.Has(Role::kProvinceAdmin);
}

// The current target with its lang parameter replaced by `lang`.
std::string WithLang(const http::Request& request, Lang lang) {
  std::string query;
  for (const auto& [name, value] : http::ParseUrlEncoded(request.query_string)) {
    if (name == "lang") continue;
    query += http::UrlEncode(name) + "=" + http::UrlEncode(value) + "&";
  }
  query += "lang=" + std::string(LangCode(lang));
  return request.path + "?" + query;
}

}  // namespace

std::string JsonForScript(const nlohmann::json& value) {
  const std::string dumped = value.dump();
  std::string out;
  out.reserve(dumped.size() + 16);
  for (char c : dumped) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<std::unique_ptr<Renderer>> Renderer::Load(RendererOptions options) {
  namespace fs = std::filesystem;
  TRY_ASSIGN(Translations translations, Translations::Load(options.web_dir + "/i18n"));
  TRY_ASSIGN(auto templates, TemplateSet::Load(options.web_dir + "/templates"));
  auto renderer = std::unique_ptr<Renderer>(
      new Renderer(std::move(options), std::move(translations), std::move(templates)));
  std::error_code ec;
  const fs::path static_dir = fs::path(renderer->options_.web_dir) / "static";
  for (auto it = fs::recursive_directory_iterator(static_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    renderer->asset_versions_[fs::relative(it->path(), static_dir).generic_string()] =
        ids::Sha256Hex(content.str()).substr(0, kAssetVersionChars);
  }
  return renderer;
}

Renderer::Renderer(RendererOptions options, Translations translations, std::unique_ptr<TemplateSet> templates)
    : options_(std::move(options)), translations_(std::move(translations)), templates_(std::move(templates)) {
  for (Lang lang : {Lang::kVi, Lang::kEn}) {
    MustacheData layer{MustacheData::type::object};
    layer.set("t", translations_.Data(lang));
    translation_layer_[static_cast<std::size_t>(lang)] = std::move(layer);
  }
}

Lang Renderer::LangOf(const http::Request& request) const {
  if (auto query = request.Query("lang")) {
    if (auto lang = ParseLang(*query)) return *lang;
  }
  if (auto cookie = request.Cookie(kLangCookie)) {
    if (auto lang = ParseLang(*cookie)) return *lang;
  }
  return Lang::kVi;
}

std::string Renderer::AssetUrl(std::string_view file) const {
  std::string url = "/static/" + std::string(file);
  if (auto it = asset_versions_.find(file); it != asset_versions_.end()) url += "?v=" + it->second;
  return url;
}

std::string Renderer::CsrfToken(const http::Request& request) const {
  return options_.csrf_token ? options_.csrf_token(request) : std::string();
}

nlohmann::json Renderer::CommonFields(const http::Request& request, Lang lang) const {
  const Lang other = lang == Lang::kVi ? Lang::kEn : Lang::kVi;
  nlohmann::json common = {
      {"lang", LangCode(lang)},
      {"lang_en", lang == Lang::kEn},
      {"css_url", AssetUrl("app.css")},
      {"js_url", AssetUrl("app.js")},
      {"csrf_token", CsrfToken(request)},
      {"current_path", request.path},
      {"current_target", request.target},
      {"next_param", http::UrlEncode(request.target)},
      {"lang_switch",
       {{"href", WithLang(request, other)},
        {"label", translations_.Get(lang, "layout.switch_language")},
        {"code", LangCode(other)}}},
  };
  if (options_.cart_count) {
    if (const std::int64_t count = options_.cart_count(request); count > 0) common["cart_count"] = count;
  }
  if (request.principal) {
    const Principal& principal = *request.principal;
    common["user"] = {{"name", principal.full_name.empty() ? principal.phone : principal.full_name},
                      {"seller", IsSeller(principal)},
                      {"official", IsOfficial(principal)}};
    common["signed_in"] = true;
  } else {
    common["user"] = false;
    common["signed_in"] = false;
  }
  return common;
}

Result<std::string> Renderer::RenderHtml(const http::Request& request, std::string_view template_name,
                                         nlohmann::json data) const {
  const Lang lang = LangOf(request);
  if (!data.is_object()) data = nlohmann::json::object();
  nlohmann::json common = CommonFields(request, lang);
  for (auto& [key, value] : common.items()) {
    if (!data.contains(key)) data[key] = std::move(value);
  }
  std::string canonical_path = data.value("canonical", request.path);
  data["canonical_url"] = options_.base_url + canonical_path;
  if (data.contains("jsonld")) {
    data["jsonld_script"] = JsonForScript(data["jsonld"]);
    data.erase("jsonld");
  }
  MustacheData page = ToMustache(data);
  MustacheContext context(&translation_layer_[static_cast<std::size_t>(lang)]);
  context.push(&page);
  return templates_->Render(template_name, context);
}

http::Response Renderer::Render(const http::Request& request, std::string_view template_name,
                                nlohmann::json data, int status) const {
  auto html = RenderHtml(request, template_name, std::move(data));
  if (!html.ok()) {
    spdlog::error("request {}: rendering {} failed: {}", request.request_id, template_name,
                  html.error().detail);
    return http::Response::Html(500,
                                "<!doctype html><meta charset=utf-8><title>500</title><p>"
                                "Xin lỗi, đã có lỗi. Vui lòng thử lại.</p>");
  }
  http::Response response = http::Response::Html(status, std::move(html).value());
  response.SetHeader("Content-Language", std::string(LangCode(LangOf(request))));
  // Pages carry the visitor's name, cart and CSRF token: never share them
  // between people, but let the browser revalidate its own copy.
  response.SetHeader("Cache-Control", "private, no-cache");
  response.SetHeader("Vary", "Cookie");
  if (auto query = request.Query("lang")) {
    if (auto lang = ParseLang(*query)) {
      response.AddCookie(std::string(kLangCookie) + "=" + std::string(LangCode(*lang)) +
                         "; Path=/; Max-Age=" + std::to_string(kLangCookieMaxAgeSeconds) + "; SameSite=Lax");
    }
  }
  return response;
}

http::Response Renderer::NotFound(const http::Request& request) const {
  return ErrorPage(request, Error::NotFound("page"));
}

http::Response Renderer::ErrorPage(const http::Request& request, const Error& error) const {
  if (error.code == ErrorCode::kUnauthorized) return SignInRedirect(request);
  if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kUnavailable) {
    spdlog::error("request {}: page error: {}", request.request_id, error.detail);
  }
  return StatusPage(request, http::StatusFor(error.code));
}

http::Response Renderer::StatusPage(const http::Request& request, int status) const {
  std::string key = "errors.page.generic";
  if (status == 404) key = "errors.page.not_found";
  if (status == 403) key = "errors.page.forbidden";
  if (status == 405) key = "errors.page.method_not_allowed";
  if (status == 413) key = "errors.page.too_large";
  if (status == 429) key = "errors.page.rate_limited";
  const Lang lang = LangOf(request);
  nlohmann::json data = {{"title", translations_.Get(lang, key + "_title")},
                         {"message", translations_.Get(lang, key)},
                         {"status", status},
                         {"noindex", true}};
  return Render(request, kErrorTemplate, std::move(data), status);
}

http::Response Renderer::SignInRedirect(const http::Request& request) const {
  return http::Response::Redirect(std::string(kSignInPath) + "?next=" + http::UrlEncode(request.target));
}

}  // namespace nongsan::web
