// Serving a shop's site under its own domain. The server asks this rewrite
// about every request (http::Server::SetHostRewrite); for a Host that is a
// shop's approved custom domain it maps
//   /             → /s/{id}              the site
//   /robots.txt   → /s/{id}/robots.txt   its own robots.txt
//   /sitemap.xml  → /s/{id}/sitemap.xml  its own sitemap, on that host
//   /static/…, /photos/…                 unchanged (the site's assets)
//   /s/{its own slug}/…                  unchanged (its marketplace paths)
//   anything else → /s/{id}/…            the site's "page not found"
// so the marketplace's pages, sign-in and cart are never served under a
// shop's domain (no session cookie is ever set there, and the site's buy
// links go to the marketplace's own host). Every other host — the
// platform's, an unknown or malformed one, a domain not yet approved — is
// served as it came: the marketplace.
// Thread-safety: as SiteService (safe to share).
#pragma once

#include "http/server.hpp"

namespace nongsan::sites {

class SiteService;

http::HostRewrite MakeHostRewrite(SiteService& sites);

// The shop whose approved domain the request's Host names, if any.
std::optional<std::int64_t> CustomDomainShop(SiteService& sites, const http::Request& request);

}  // namespace nongsan::sites
