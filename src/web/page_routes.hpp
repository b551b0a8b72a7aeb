// Internal to src/web: each group of pages registers its own routes; pages.cpp
// calls them all. Shared helpers for the handlers live here too.
#pragma once

#include "http/router.hpp"
#include "web/page_services.hpp"
#include "web/renderer.hpp"

namespace nongsan::web::detail {

// Body limit of the page forms that carry no file (far above any real form).
inline constexpr std::size_t kFormMaxBody = 32 * 1024;

void AddStorefrontPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddAccountPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddOrderPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddSellerPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddReportPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddReviewPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddProfilePages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddCertificatePages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddOfficialPages(http::Router& router, const Renderer& renderer, const PageServices& services);
void AddSeoRoutes(http::Router& router, const Renderer& renderer, const PageServices& services);

}  // namespace nongsan::web::detail
