#include "web/pages.hpp"

#include "web/page_routes.hpp"

namespace nongsan::web {

void AddPageRoutes(http::Router& router, const Renderer& renderer, app::Services& services) {
  detail::AddStorefrontPages(router, renderer, services);
  detail::AddAccountPages(router, renderer, services);
  detail::AddOrderPages(router, renderer, services);
  detail::AddSellerPages(router, renderer, services);
  detail::AddSeoRoutes(router, renderer, services);
}

}  // namespace nongsan::web
