// The HTML pages of nongsan: the storefront, the buyer's account and orders,
// the seller centre and the officers' onboarding view, plus robots.txt and
// sitemap.xml. URL scheme: docs/pages.md. Handlers are thin: read the
// request, call the domain services (never their tables), shape a view model
// and hand it to the Renderer.
//
// Thread-safety: routes are registered at start-up; the handlers only read
// the Renderer and call thread-safe services.
#pragma once

#include "http/router.hpp"
#include "web/renderer.hpp"

namespace nongsan::app {
struct Services;
}

namespace nongsan::web {

// Registers every page route on the router. `renderer` and `services` must
// outlive the router.
void AddPageRoutes(http::Router& router, const Renderer& renderer, app::Services& services);

}  // namespace nongsan::web
