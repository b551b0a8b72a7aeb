// Buyer-facing catalogue pages: home, search, category, product, shop, cooperative.
#include "web/page_routes.hpp"

#include "app/services.hpp"
#include "catalog/categories.hpp"
#include "web/format.hpp"

namespace nongsan::web::detail {

namespace {

std::string CategoryName(const catalog::Category& category, Lang lang) {
  return lang == Lang::kEn ? category.name_en : category.name_vi;
}

nlohmann::json TopCategories(Lang lang) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& category : catalog::AllCategories()) {
    if (!category.parent_code.empty()) continue;
    list.push_back({{"name", CategoryName(category, lang)},
                    {"url", std::string(kCategoryPrefix) + category.slug}});
  }
  return list;
}

}  // namespace

void AddStorefrontPages(http::Router& router, const Renderer& renderer, app::Services& services) {
  (void)services;
  router.Get("/", [&renderer](http::Request& request) {
    const Lang lang = renderer.LangOf(request);
    nlohmann::json data = {{"categories", TopCategories(lang)}};
    return renderer.Render(request, "home", std::move(data));
  }, {.max_body = 0});
}

}  // namespace nongsan::web::detail
