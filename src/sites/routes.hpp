// The sites module's JSON API:
//   GET  /api/v1/sellers/{id}/site                  the website settings
//   PUT  /api/v1/sellers/{id}/site                  replaces them
//   POST /api/v1/sellers/{id}/site/domain/approve   the province admin approves the custom domain
//   GET  /api/v1/site-domains                       the domains waiting in the admin's province
// Handlers only parse, call SiteService and shape JSON.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "sites/sites_module.hpp"

namespace nongsan::sites {

// A story of kMaxStoryChars and the other fields, with room for escapes.
inline constexpr std::size_t kSiteMaxBody = 64 * 1024;

void AddRoutes(http::Router& router, SitesModule& module);

// The settings as the API answers them; site_url: the public site's address.
nlohmann::json SiteJson(const SiteSettings& s, const CatalogPort& catalog, const std::string& site_url);

// "/s/che-duc-xuan-7": the site's path on the marketplace's host.
std::string SitePath(const std::string& shop_name, std::int64_t seller_id);

}  // namespace nongsan::sites
