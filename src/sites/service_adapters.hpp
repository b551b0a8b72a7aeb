// The sites ports implemented over the other modules' services: sellers for
// shops, the catalogue for products and photos, the catalogue's
// certification source (quality's adapter) for certificates, and quality's
// GrantedTrademarks for the registered trademarks. Built by
// SitesModule. Thread-safety: as the services they wrap (all safe to share).
#pragma once

#include "sites/ports.hpp"

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

class SellerSitePort final : public ShopPort {
 public:
  SellerSitePort(sellers::SellerService& sellers, const places::PlaceService& places)
      : sellers_(sellers), places_(places) {}
  Result<SiteShop> View(const Principal* viewer, std::int64_t seller_id) override;
  ShopRelation RelationOf(const Principal* principal, std::int64_t seller_id) override;

 private:
  sellers::SellerService& sellers_;
  const places::PlaceService& places_;
};

class CatalogSitePort final : public CatalogPort {
 public:
  explicit CatalogSitePort(catalog::CatalogService& catalog) : catalog_(catalog) {}
  Result<std::vector<SiteProduct>> PublicProducts(std::int64_t seller_id, Members members,
                                                  int limit) override;
  Result<std::vector<ShopPhoto>> ShopPhotos(const Principal& principal, std::int64_t seller_id,
                                            std::size_t limit) override;
  std::string PhotoPath(const std::string& key, int width, const std::string& ext) const override;

 private:
  catalog::CatalogService& catalog_;
};

class CertificationSitePort final : public CertificatePort {
 public:
  // `source` and `quality` may be null (no quality module): no certificates then.
  CertificationSitePort(catalog::CertificationSource* source, quality::QualityService* quality)
      : source_(source), quality_(quality) {}
  Result<std::vector<SiteCertificate>> ShopCertificates(std::int64_t seller_id) override;
  // Through QualityService::GrantedTrademarks, as the product page and the label.
  Result<std::vector<SiteCertificate>> Trademarks(std::int64_t seller_id) override;

 private:
  catalog::CertificationSource* source_;
  quality::QualityService* quality_;
};

}  // namespace nongsan::sites
