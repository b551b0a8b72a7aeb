#include "sites/host_routing.hpp"

#include "sites/site_rules.hpp"
#include "sites/site_service.hpp"
#include "web/format.hpp"

namespace nongsan::sites {
namespace {

// Paths a shop's domain serves as they are: the site's stylesheet, icons and
// photos.
constexpr std::string_view kPassThrough[] = {"/static/", "/photos/"};
constexpr std::string_view kSitePrefix = "/s/";

}  // namespace

std::optional<std::int64_t> CustomDomainShop(SiteService& sites, const http::Request& request) {
  auto header = request.Header("host");
  if (!header) return std::nullopt;
  const std::string host = HostOfHeader(*header);
  if (host.empty() || host == sites.platform_host()) return std::nullopt;
  return sites.ShopForHost(host);
}

http::HostRewrite MakeHostRewrite(SiteService& sites) {
  return [&sites](const http::Request& request) -> std::optional<std::string> {
    auto shop = CustomDomainShop(sites, request);
    if (!shop) return std::nullopt;
    for (std::string_view prefix : kPassThrough) {
      if (request.path.starts_with(prefix)) return std::nullopt;
    }
    // The site's own paths on the marketplace (/s/{its slug}/…) mean the
    // same on its domain; another shop's never do.
    if (request.path.starts_with(kSitePrefix)) {
      const std::string_view rest = std::string_view(request.path).substr(kSitePrefix.size());
      if (web::IdFromSlug(rest.substr(0, rest.find('/'))) == shop) return std::nullopt;
    }
    const std::string site = std::string(kSitePrefix) + std::to_string(*shop);
    if (request.path == "/") return site;
    return site + request.path;
  };
}

}  // namespace nongsan::sites
