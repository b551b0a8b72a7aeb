// Everything the sites module runs in one process: its ports onto sellers,
// the catalogue and certificates, and its service. App holds one (built
// after quality). Members are public so wiring and tests can reach them.
#pragma once

#include <memory>
#include <string>

#include "sites/ports.hpp"
#include "sites/site_service.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
class CertificationSource;
}  // namespace nongsan::catalog
namespace nongsan::places {
class PlaceService;
}
namespace nongsan::quality {
class QualityService;
}

namespace nongsan::sites {

struct SitesModule {
  // base_url: the marketplace's public address; its host is never a shop's.
  SitesModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
              sellers::SellerService& sellers, catalog::CatalogService& catalog,
              catalog::CertificationSource* certifications, std::string base_url,
              quality::QualityService* quality = nullptr);
  SitesModule(const SitesModule&) = delete;
  SitesModule& operator=(const SitesModule&) = delete;

  std::unique_ptr<ShopPort> shops;
  std::unique_ptr<CatalogPort> catalog;
  std::unique_ptr<CertificatePort> certificates;
  // "https://nongsan.vn": where the sites send buyers (cart, product pages).
  std::string base_url;
  SiteService sites;
};

}  // namespace nongsan::sites
