// The pages of the sites module, rendered with web::Renderer but not the
// marketplace's layout:
//   GET  /s/{shop-slug}               the shop's own mobile-first website:
//                                     hero, tagline, story, products with
//                                     "Mua" buttons into the marketplace
//                                     cart, certificates and trademark,
//                                     contact and a map link, schema.org
//                                     LocalBusiness + ItemList JSON-LD and
//                                     Open Graph; a 404 where the shop page
//                                     (/cua-hang/…) is one
//   GET  /s/{shop-slug}/robots.txt    only on the shop's approved domain
//   GET  /s/{shop-slug}/sitemap.xml   (host_routing.hpp), absolute URLs on it
//   GET  /kenh-ban/cua-hang/{id}/trang-web   the seller centre's set-up form
//   POST /kenh-ban/cua-hang/{id}/trang-web   saves it (CSRF-checked); a
//                                     refusal re-shows the form with a
//                                     Vietnamese message beside each field
// Pages are private, no-cache like the shop page (the buy form carries the
// visitor's CSRF token); the copy anonymous visitors share is kept on the
// server for trace::kPageCacheTtl, as provenance pages are. The site's
// stylesheet is inlined and allowed by its hash in the page's own
// Content-Security-Policy.
#pragma once

#include <string>

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::sites {

struct SitesModule;

// web_dir: where static/site.css is read from (once, here).
void AddSitePages(http::Router& router, const web::Renderer& renderer, SitesModule& module,
                  const std::string& web_dir);

}  // namespace nongsan::sites
