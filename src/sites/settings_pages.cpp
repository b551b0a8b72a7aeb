#include "sites/settings_pages.hpp"

#include <map>

#include "sites/routes.hpp"
#include "sites/site_rules.hpp"
#include "sites/sites_module.hpp"
#include "web/format.hpp"
#include "web/renderer.hpp"

namespace nongsan::sites {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kCentrePrefix = "/kenh-ban/cua-hang/";
constexpr std::string_view kCentreSuffix = "/trang-web";
// The set-up form: four short fields and a story of kMaxStoryChars.
constexpr std::size_t kSettingsFormMaxBody = 64 * 1024;
// The hero picker's thumbnails.
constexpr int kThumbWidth = 160;
constexpr const char* kFields[] = {"tagline", "story", "theme_color", "hero_photo_id", "custom_domain"};

// What a seller reads beside a field the service refused (never the
// service's English). The colour's message names the ratio, see ColorMessage.
const std::map<std::string, std::string, std::less<>>& Messages() {
  static const std::map<std::string, std::string, std::less<>> messages = {
      {"tagline", "Khẩu hiệu một dòng, tối đa 120 ký tự, không có ký tự < hoặc >."},
      {"story", "Câu chuyện tối đa 3000 ký tự, không có ký tự < hoặc > hay ký tự điều khiển."},
      {"theme_color", "Chọn màu dạng #rrggbb, ví dụ #1b6e3a."},
      {"hero_photo_id", "Chọn một ảnh sản phẩm của chính cửa hàng."},
      {"custom_domain",
       "Tên miền không hợp lệ. Ví dụ: chetancuong.vn (không có http://, không phải địa chỉ của sàn)."},
  };
  return messages;
}

std::string ColorMessage(const std::string& value) {
  std::string color = value;
  for (char& c : color) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ratio = ContrastWithWhite(color);
  if (!ratio || *ratio >= kMinContrastWithWhite) return Messages().at("theme_color");
  return "Màu này chỉ đạt độ tương phản " + RatioText(*ratio) + ":1 với chữ trắng, cần ít nhất " +
         RatioText(kMinContrastWithWhite) + ":1. Hãy chọn màu đậm hơn.";
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

std::string CentrePath(std::int64_t seller_id) {
  return std::string(kCentrePrefix) + std::to_string(seller_id) + std::string(kCentreSuffix);
}

json FormOf(const SiteSettings& s) {
  json form = json::object();
  form["tagline"]["value"] = s.tagline;
  form["story"]["value"] = s.story;
  form["theme_color"]["value"] = s.theme_color;
  form["hero_photo_id"]["value"] = s.hero_photo_id ? std::to_string(*s.hero_photo_id) : "";
  // As people read it ("nôngsản.vn"); saved again, it maps to the same xn-- form.
  form["custom_domain"]["value"] = s.custom_domain ? DomainForDisplay(*s.custom_domain) : "";
  return form;
}

class SettingsPages {
 public:
  SettingsPages(const web::Renderer& renderer, SitesModule& module) : renderer_(renderer), m_(module) {}

  Response Page(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    auto settings = m_.sites.Get(&*req.principal, *id);
    if (!settings.ok()) return renderer_.ErrorPage(req, settings.error());
    return Show(req, *id, *settings, FormOf(*settings), 200);
  }

  Response Save(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    auto value = [&](const char* name) { return req.Form(name).value_or(""); };
    SiteInput input;
    input.tagline = value("tagline");
    input.story = value("story");
    input.theme_color = value("theme_color");
    input.custom_domain = value("custom_domain");
    json form = json::object();
    for (const char* field : kFields) form[field]["value"] = value(field);
    if (!value("hero_photo_id").empty()) {
      // Not a number names no photo: 0 is refused by the service with the
      // other fields, so nothing is written.
      input.hero_photo_id = ParseId(value("hero_photo_id")).value_or(0);
    }
    auto saved = m_.sites.Put(&*req.principal, *id, input);
    if (saved.ok()) return Response::Redirect(CentrePath(*id) + "?da-luu=1");
    const Error& error = saved.error();
    const bool taken = error.code == ErrorCode::kConflict && error.type == "domain_taken";
    if (error.code != ErrorCode::kInvalid && !taken) return renderer_.ErrorPage(req, error);
    if (taken) form["custom_domain"]["error"] = "Tên miền này đã có cửa hàng khác dùng.";
    for (const auto& f : error.fields) {
      json& field = form[f.field];
      field["invalid"] = true;
      if (field.contains("error")) continue;
      field["error"] = f.field == "theme_color" ? ColorMessage(value("theme_color")) : Messages().at(f.field);
    }
    form["has_errors"] = true;
    auto current = m_.sites.Get(&*req.principal, *id);
    if (!current.ok()) return renderer_.ErrorPage(req, current.error());
    return Show(req, *id, *current, form, 422);
  }

 private:
  Response Show(const Request& req, std::int64_t seller_id, const SiteSettings& current, json form,
                int status) {
    auto shop = m_.shops->View(&*req.principal, seller_id);
    if (!shop.ok()) return renderer_.ErrorPage(req, shop.error());
    json photos = json::array();
    const std::string chosen = form["hero_photo_id"].value("value", "");
    // Officials may read the page; only the shop's people get the photos.
    if (auto choices = m_.sites.HeroChoices(&*req.principal, seller_id); choices.ok()) {
      for (const auto& p : *choices) {
        photos.push_back({{"id", p.id},
                          {"thumb", m_.catalog->PhotoPath(p.key, kThumbWidth, "jpg")},
                          {"alt", p.product_name},
                          {"checked", std::to_string(p.id) == chosen}});
      }
    }
    static const std::map<DomainStatus, const char*> kDomainText = {
        {DomainStatus::kNone, ""},
        {DomainStatus::kPending, "Đang chờ quản trị tỉnh duyệt."},
        {DomainStatus::kApproved, "Đã duyệt: trang đang chạy trên tên miền này."}};
    json data = {
        {"title", "Trang web riêng: " + shop->name},
        {"noindex", true},
        {"shop_name", shop->name},
        {"action", CentrePath(seller_id)},
        {"site_path", SitePath(shop->name, shop->id)},
        {"domain_text", kDomainText.at(current.domain_status)},
        {"domain_ascii",
         current.custom_domain && DomainForDisplay(*current.custom_domain) != *current.custom_domain
             ? *current.custom_domain
             : ""},
        {"refused_domain", current.refused_domain.empty() ? "" : DomainForDisplay(current.refused_domain)},
        {"refusal_reason", current.refusal_reason},
        {"photos", std::move(photos)},
        {"no_photo_checked", chosen.empty()},
        {"saved", req.Query("da-luu").has_value()},
        {"max_tagline", kMaxTaglineChars},
        {"max_story", kMaxStoryChars},
        {"form", std::move(form)}};
    data["has_photos"] = !data["photos"].empty();
    return renderer_.Render(req, "sites/settings", std::move(data), status);
  }

  const web::Renderer& renderer_;
  SitesModule& m_;
};

}  // namespace

void AddSettingsPages(http::Router& router, const web::Renderer& renderer, SitesModule& module) {
  auto pages = std::make_shared<SettingsPages>(renderer, module);
  const std::string path = std::string(kCentrePrefix) + "{id}" + std::string(kCentreSuffix);
  router.Get(path, [pages](Request& r) { return pages->Page(r); }, {.max_body = 0});
  router.Post(path, [pages](Request& r) { return pages->Save(r); }, {.max_body = kSettingsFormMaxBody});
}

}  // namespace nongsan::sites
