// robots.txt and sitemap.xml: what search engines may crawl, and where the
// public pages are (home, every category, every product on sale).
#include "catalog/catalog_module.hpp"
#include "catalog/categories.hpp"
#include "core/text.hpp"
#include "web/format.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"

namespace nongsan::web::detail {

namespace {

// A sitemap file may list at most 50,000 URLs (sitemaps.org).
constexpr std::size_t kMaxSitemapUrls = 50'000;

}  // namespace

void AddSeoRoutes(http::Router& router, const Renderer& renderer, const PageServices& services) {
  router.Get("/robots.txt",
             [&renderer](http::Request&) {
               std::string body =
                   "User-agent: *\n"
                   "Disallow: /kenh-ban\n"
                   "Disallow: /can-bo\n"
                   "Disallow: /gio-hang\n"
                   "Disallow: /thanh-toan\n"
                   "Disallow: /don-hang\n"
                   "Disallow: /dat-hang-thanh-cong\n"
                   "Disallow: /dang-nhap\n"
                   "Disallow: /dang-ky\n"
                   "Disallow: /tim-kiem\n"
                   "Disallow: /api/\n"
                   "Sitemap: " +
                   renderer.base_url() + "/sitemap.xml\n";
               http::Response response = http::Response::Text(200, std::move(body));
               response.SetHeader("Cache-Control", "public, max-age=86400");
               return response;
             },
             {.max_body = 0});

  catalog::SearchService& search = services.catalog->search;
  router.Get("/sitemap.xml",
             [&renderer, &search](http::Request&) {
               const std::string& base = renderer.base_url();
               std::string body =
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
               std::size_t count = 0;
               // HTML's escaping is XML's too (&#39; is a character reference).
               auto add = [&](const std::string& path) {
                 body += "<url><loc>" + text::HtmlEscape(base + path) + "</loc></url>\n";
                 ++count;
               };
               add("/");
               for (const auto& category : catalog::AllCategories())
                 add(std::string(kCategoryPrefix) + category.slug);
               catalog::SearchRequest request;
               request.sort = catalog::SortOrder::kNewest;
               request.limit = catalog::kMaxSearchLimit;
               while (count < kMaxSitemapUrls) {
                 auto page = search.Search(request);
                 if (!page.ok()) break;
                 for (const auto& product : page->products) {
                   if (count == kMaxSitemapUrls) break;
                   add(ProductPath(product.name, product.id));
                 }
                 if (!page->response.next) break;
                 request.after = page->response.next;
               }
               body += "</urlset>\n";
               http::Response response =
                   http::Response::Text(200, std::move(body), "application/xml; charset=utf-8");
               response.SetHeader("Cache-Control", "public, max-age=3600");
               return response;
             },
             {.max_body = 0});
}

}  // namespace nongsan::web::detail
