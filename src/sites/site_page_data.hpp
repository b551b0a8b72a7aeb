// What the public site page shows, as template data and JSON-LD, built from
// a PublicSite: pure functions so the page and its tests share them.
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sites/site_service.hpp"

namespace nongsan::sites {

// Where the page is served and where buying happens.
struct SiteAddress {
  std::string site_url;         // "https://che-ducxuan.vn/" or "https://nongsan.vn/s/che-7"
  std::string asset_base;       // absolute origin for images: "https://che-ducxuan.vn"
  std::string marketplace_url;  // "https://nongsan.vn"
  bool custom_domain = false;   // served on the shop's own domain: links, not forms, to buy
};

// The template data of sites/site (without the common layout fields).
nlohmann::json SitePageData(const PublicSite& site, const SiteAddress& address, const CatalogPort& catalog);

// schema.org: a LocalBusiness for the shop and an ItemList of its products.
nlohmann::json SiteJsonLd(const PublicSite& site, const SiteAddress& address, const CatalogPort& catalog);

// "https://www.google.com/maps/search/?api=1&query=…" and the OpenStreetMap
// search of the same address: links, no embedded third-party script.
std::string GoogleMapsUrl(const std::string& address);
std::string OpenStreetMapUrl(const std::string& address);

}  // namespace nongsan::sites
