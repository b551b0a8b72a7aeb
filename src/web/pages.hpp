// The HTML pages of nongsan: the storefront, the buyer's account and orders,
// the seller centre and the officers' onboarding view, plus robots.txt and
// sitemap.xml. URL scheme: docs/pages.md. Handlers are thin: read the
// request, call the domain services (never their tables), shape a view model
// and hand it to the Renderer.
//
// Thread-safety: routes are registered at start-up; the handlers only read
// the Renderer and call thread-safe services.
#pragma once

#include <functional>
#include <string_view>

#include "http/router.hpp"
#include "web/page_services.hpp"
#include "web/renderer.hpp"

namespace nongsan::web {

// Registers every page route on the router. `renderer` and the services
// `services` points to must outlive the router (the struct itself need not).
void AddPageRoutes(http::Router& router, const Renderer& renderer, const PageServices& services);

// True for paths whose errors are problem+json for programs (/api/…), false
// for the pages people read.
bool IsApiPath(std::string_view path);

// The server's fallback (http::Server::SetFallback): an unknown path outside
// /api/ gets the site's 404 page, one under /api/ problem+json as before.
http::Handler MakeNotFoundFallback(const Renderer& renderer);

// An after-hook for http::Server: an error a page route answered with
// problem+json (a CSRF refusal, a rate limit, a body too large, a handler
// that threw) becomes the HTML error page with the same status, so a person
// never sees JSON. /api/ and non-error responses pass untouched.
std::function<void(const http::Request&, http::Response&)> MakeErrorPageHook(const Renderer& renderer);

}  // namespace nongsan::web
