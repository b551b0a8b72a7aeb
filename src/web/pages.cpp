#include "web/pages.hpp"

#include "web/page_routes.hpp"
#include "web/page_services.hpp"

namespace nongsan::web {

namespace {
constexpr std::string_view kApiPrefix = "/api/";
constexpr std::string_view kProblemType = "application/problem+json";
}  // namespace

// Paths for programs, not people: the API and the operator's endpoints keep
// problem+json on errors.
bool IsApiPath(std::string_view path) {
  return path.starts_with(kApiPrefix) || path == "/metrics" || path == "/healthz";
}

void AddPageRoutes(http::Router& router, const Renderer& renderer, const PageServices& services) {
  detail::AddStorefrontPages(router, renderer, services);
  detail::AddAccountPages(router, renderer, services);
  detail::AddOrderPages(router, renderer, services);
  detail::AddSellerPages(router, renderer, services);
  detail::AddProfilePages(router, renderer, services);
  detail::AddReviewPages(router, renderer, services);
  detail::AddCertificatePages(router, renderer, services);
  detail::AddOfficialPages(router, renderer, services);
  detail::AddReportPages(router, renderer, services);
  detail::AddSeoRoutes(router, renderer, services);
}

http::Handler MakeNotFoundFallback(const Renderer& renderer) {
  return [&renderer](http::Request& request) {
    if (IsApiPath(request.path)) return http::Response::Problem(Error::NotFound("page"), request.path);
    return renderer.NotFound(request);
  };
}

std::function<void(const http::Request&, http::Response&)> MakeErrorPageHook(const Renderer& renderer) {
  return [&renderer](const http::Request& request, http::Response& response) {
    if (response.status < 400 || IsApiPath(request.path)) return;
    if (!response.content_type.starts_with(kProblemType)) return;
    http::Response page = renderer.StatusPage(request, response.status);
    // Headers the refusal set for the client stay (Retry-After, Allow).
    for (const auto& [name, value] : response.headers) {
      if (!page.GetHeader(name)) page.SetHeader(name, value);
    }
    page.close = response.close;
    response = std::move(page);
  };
}

}  // namespace nongsan::web
