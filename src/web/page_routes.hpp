// Internal to src/web: each group of pages registers its own routes; pages.cpp
// calls them all. Shared helpers for the handlers live here too.
#pragma once

#include "http/router.hpp"
#include "web/renderer.hpp"

namespace nongsan::app {
struct Services;
}

namespace nongsan::web::detail {

// Body limit of the page forms that carry no file (far above any real form).
inline constexpr std::size_t kFormMaxBody = 32 * 1024;

void AddStorefrontPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddAccountPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddOrderPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddSellerPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddReportPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddReviewPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddProfilePages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddCertificatePages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddOfficialPages(http::Router& router, const Renderer& renderer, app::Services& services);
void AddSeoRoutes(http::Router& router, const Renderer& renderer, app::Services& services);

}  // namespace nongsan::web::detail
