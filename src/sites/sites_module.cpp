#include "sites/sites_module.hpp"

#include "sites/service_adapters.hpp"
#include "sites/site_rules.hpp"

namespace nongsan::sites {

SitesModule::SitesModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                         sellers::SellerService& sellers, catalog::CatalogService& catalog_service,
                         catalog::CertificationSource* certifications, std::string base_url_in,
                         quality::QualityService* quality)
    : shops(std::make_unique<SellerSitePort>(sellers, places)),
      catalog(std::make_unique<CatalogSitePort>(catalog_service)),
      certificates(std::make_unique<CertificationSitePort>(certifications, quality)),
      base_url(std::move(base_url_in)),
      sites(db, clock, *shops, *catalog, *certificates, HostOfUrl(base_url)) {}

}  // namespace nongsan::sites
