#include "live/live_pages.hpp"

#include <map>
#include <set>

#include "catalog/catalog_service.hpp"
#include "core/text.hpp"
#include "http/encoding.hpp"
#include "live/live_service.hpp"
#include "web/centre_page.hpp"
#include "web/forms.hpp"
#include "web/renderer.hpp"

namespace nongsan::live {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kPath = "/kenh-ban/livestream";
// The form: a title, an address of kMaxUrlBytes and kMaxSessionProducts ids.
constexpr std::size_t kFormMaxBody = 16 * 1024;
// Sessions listed per page and products offered to tick.
constexpr std::size_t kSessionsShown = 20;
constexpr int kProductsOffered = 100;
constexpr const char* kFields[] = {"title",        "platform",       "url", "started_at", "ended_at",
                                   "peak_viewers", "orders_reported"};

// "20:30 28/11/2026" in Vietnam time.
std::string Display(std::int64_t ms) {
  return timefmt::Rfc3339(ms).substr(11, 5) + " " + timefmt::DisplayDate(ms);
}

// A datetime-local value ("2026-11-28T20:00", seconds optional) is Vietnam
// time; anything else goes to the service as typed, which refuses it.
std::string AsRfc3339(const std::string& local) {
  if (local.size() == 16 && local[10] == 'T') return local + ":00+07:00";
  if (local.size() == 19 && local[10] == 'T') return local + "+07:00";
  return local;
}

// A whole number typed in a box: absent when empty, -1 (refused by the
// service with the other fields, so nothing is written) when not a number.
std::optional<std::int64_t> Count(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto n = web::ParseCount(text);
  if (!n && text == "0") return std::int64_t{0};
  return n ? *n : -1;
}

// What a seller reads beside a refused field (never the service's English).
std::string Message(const std::string& field, const std::string& said, const SessionInput& input) {
  const bool future = said.find("future") != std::string::npos;
  if (field == "title") return "Nhập tên phiên (tối đa 200 ký tự, không có ký tự < hoặc >).";
  if (field == "platform") return "Chọn nền tảng trong danh sách.";
  if (field == "url") {
    const auto platform = ParsePlatform(input.platform);
    if (!HttpHost(input.url) || !platform)
      return "Nhập địa chỉ của phiên, bắt đầu bằng https:// hoặc http://.";
    if (*platform == Platform::kNongsan) return "Địa chỉ phải là một trang của sàn nongsan.";
    return "Địa chỉ phải thuộc " + std::string(PlatformLabel(*platform)) + " (" +
           PlatformDomainsText(*platform) + ").";
  }
  if (field == "started_at") {
    if (future) return "Giờ bắt đầu không được ở tương lai.";
    return "Chọn ngày giờ bắt đầu.";
  }
  if (field == "ended_at") {
    if (future) return "Giờ kết thúc không được ở tương lai.";
    if (said.find("after") != std::string::npos) return "Giờ kết thúc phải sau giờ bắt đầu.";
    if (said.find("hours") != std::string::npos) {
      return "Một phiên dài tối đa " + std::to_string(kMaxSessionMs / 3'600'000) + " giờ.";
    }
    return "Chọn ngày giờ kết thúc.";
  }
  if (field == "peak_viewers" || field == "orders_reported") return "Nhập một số nguyên từ 0 trở lên.";
  return "Chỉ chọn sản phẩm của cửa hàng này, tối đa " + std::to_string(kMaxSessionProducts) + " sản phẩm.";
}

class LivePages {
 public:
  LivePages(const web::Renderer& renderer, LiveService& live, sellers::SellerService& sellers,
            catalog::CatalogService& catalog)
      : renderer_(renderer), centre_(renderer, sellers), live_(live), catalog_(catalog) {}

  Response Page(Request& req) {
    auto current = centre_.CurrentShop(req);
    if (auto* response = std::get_if<Response>(&current)) return std::move(*response);
    auto& context = std::get<web::CentreContext>(current);
    json form = json::object();
    for (const char* field : kFields) form[field]["value"] = "";
    form["platform"]["value"] = "facebook";
    return Show(req, context, std::move(form), {}, 200);
  }

  Response Save(Request& req) {
    auto current = centre_.CurrentShop(req);
    if (auto* response = std::get_if<Response>(&current)) return std::move(*response);
    auto& context = std::get<web::CentreContext>(current);
    std::map<std::string, std::string> values;
    std::set<std::int64_t> ticked;
    SessionInput input;
    const auto content_type = req.Header("content-type");
    if (content_type && http::StartsWithIgnoreCase(*content_type, "application/x-www-form-urlencoded")) {
      for (auto& [key, value] : http::ParseUrlEncoded(req.body)) {
        if (key == "product_ids") {
          // Not a number names no product of the shop: refused with the rest.
          const auto id = web::ParseCount(value).value_or(0);
          if (ticked.insert(id).second) input.product_ids.push_back(id);
        } else if (!values.count(key)) {
          values[key] = text::Trim(value);
        }
      }
    }
    json form = json::object();
    for (const char* field : kFields) form[field]["value"] = values[field];
    input.title = values["title"];
    input.platform = values["platform"];
    input.url = values["url"];
    input.started_at = AsRfc3339(values["started_at"]);
    input.ended_at = AsRfc3339(values["ended_at"]);
    input.peak_viewers = Count(values["peak_viewers"]);
    input.orders_reported = Count(values["orders_reported"]);
    auto recorded = live_.Record(&*req.principal, context.shop.id, input);
    if (recorded.ok()) return Response::Redirect(std::string(kPath) + "?da-luu=1");
    const Error& error = recorded.error();
    if (error.code != ErrorCode::kUnprocessable && error.code != ErrorCode::kInvalid) {
      return renderer_.ErrorPage(req, error);
    }
    for (const FieldError& f : error.fields) {
      const std::string field = f.field.rfind("product_ids", 0) == 0 ? "product_ids" : f.field;
      json& entry = form[field];
      if (entry.contains("error")) continue;
      entry["invalid"] = true;
      entry["error"] = Message(field, f.message, input);
    }
    form["has_errors"] = true;
    return Show(req, context, std::move(form), ticked, 422);
  }

 private:
  Response Show(const Request& req, const web::CentreContext& context, json form,
                const std::set<std::int64_t>& ticked, int status) {
    const Principal* principal = &*req.principal;
    const std::int64_t shop = context.shop.id;
    auto page = live_.List(principal, shop, req.Query("sau").value_or(""), kSessionsShown);
    if (!page.ok()) return renderer_.ErrorPage(req, page.error());
    std::vector<std::int64_t> shown;
    for (const Session& s : page->items)
      shown.insert(shown.end(), s.product_ids.begin(), s.product_ids.end());
    std::map<std::int64_t, std::string> names;
    if (!shown.empty()) {
      if (auto products = catalog_.FindMany(shown); products.ok()) {
        for (const auto& p : *products) names[p.id] = p.name;
      }
    }
    json sessions = json::array();
    for (const Session& s : page->items) {
      json products = json::array();
      for (std::int64_t id : s.product_ids) {
        if (auto it = names.find(id); it != names.end()) products.push_back(it->second);
      }
      sessions.push_back({{"title", s.title},
                          {"platform", PlatformLabel(s.platform)},
                          {"url", s.url},
                          {"started", Display(s.started_at)},
                          {"minutes", (s.ended_at - s.started_at) / 60'000},
                          {"peak_viewers", s.peak_viewers ? json(*s.peak_viewers) : json(nullptr)},
                          {"orders_reported", s.orders_reported ? json(*s.orders_reported) : json(nullptr)},
                          {"shows_products", !products.empty()},
                          {"products", std::move(products)}});
    }
    const std::string chosen = form["platform"].value("value", "");
    json platforms = json::array();
    for (Platform p : AllPlatforms()) {
      platforms.push_back(
          {{"value", PlatformName(p)}, {"label", PlatformLabel(p)}, {"selected", PlatformName(p) == chosen}});
    }
    json products = json::array();
    catalog::SellerListOptions options;
    options.limit = kProductsOffered;
    if (auto list = catalog_.ListForSeller(principal, shop, options); list.ok()) {
      for (const auto& p : list->items) {
        products.push_back({{"id", p.id}, {"name", p.name}, {"checked", ticked.count(p.id) > 0}});
      }
    }
    json data = {
        {"title", "Livestream · " + context.shop.name},
        {"action", std::string(kPath)},
        {"sessions", std::move(sessions)},
        {"empty", page->items.empty()},
        {"next", page->next_cursor ? json(std::string(kPath) + "?sau=" + *page->next_cursor) : json(nullptr)},
        {"platforms", std::move(platforms)},
        {"products", std::move(products)},
        {"saved", req.Query("da-luu").has_value()},
        {"max_title", kMaxTitleChars},
        {"max_products", kMaxSessionProducts},
        {"max_hours", kMaxSessionMs / 3'600'000},
        {"now", timefmt::Rfc3339(live_.clock().NowMs()).substr(0, 16)},
        {"form", std::move(form)}};
    data["has_products"] = !data["products"].empty();
    return centre_.Render(req, context, "live/sessions", std::move(data), status);
  }

  const web::Renderer& renderer_;
  web::CentrePage centre_;
  LiveService& live_;
  catalog::CatalogService& catalog_;
};

}  // namespace

void AddLivePages(http::Router& router, const web::Renderer& renderer, LiveService& live,
                  sellers::SellerService& sellers, catalog::CatalogService& catalog) {
  auto pages = std::make_shared<LivePages>(renderer, live, sellers, catalog);
  const std::string path(kPath);
  router.Get(path, [pages](Request& r) { return pages->Page(r); }, {.max_body = 0});
  router.Post(path, [pages](Request& r) { return pages->Save(r); }, {.max_body = kFormMaxBody});
}

}  // namespace nongsan::live
