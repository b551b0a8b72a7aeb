// robots.txt and sitemap.xml: what search engines may crawl and where the
// public pages are.
#include "web/page_routes.hpp"

#include "app/services.hpp"

namespace nongsan::web::detail {

void AddSeoRoutes(http::Router& router, const Renderer& renderer, app::Services& services) {
  (void)services;
  router.Get("/robots.txt", [&renderer](http::Request&) {
    std::string body =
        "User-agent: *\n"
        "Disallow: /kenh-ban\n"
        "Disallow: /can-bo\n"
        "Disallow: /gio-hang\n"
        "Disallow: /thanh-toan\n"
        "Disallow: /don-hang\n"
        "Disallow: /dang-nhap\n"
        "Disallow: /dang-ky\n"
        "Disallow: /api/\n"
        "Sitemap: " + renderer.base_url() + "/sitemap.xml\n";
    http::Response response = http::Response::Text(200, std::move(body));
    response.SetHeader("Cache-Control", "public, max-age=86400");
    return response;
  }, {.max_body = 0});
}

}  // namespace nongsan::web::detail
