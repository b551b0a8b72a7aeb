// Internal to src/web: each group of pages registers its own routes; pages.cpp
// calls them all. Shared helpers for the handlers live here too.
#pragma once

#include "http/router.hpp"
#include "web/renderer.hpp"

namespace nongsan::app {
struct Services;
}

namespace nongsan::web::detail {

void AddStorefrontPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddSeoRoutes(http::Router& router, const Renderer& renderer, app::Services& services);

}  // namespace nongsan::web::detail
