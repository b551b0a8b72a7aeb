// The catalogue's view of certificates (catalog::CertificationSource, an
// interface the catalogue owns) over QualityService. The catalogue may not
// depend on quality; quality depends on the catalogue, so the adapter lives
// here and the app wiring hands it to catalog::SearchService.
//
// Coverage: converted from QualityService::ValidToday()'s CertifiedProducts
// snapshot once per new snapshot, and given a new version only when its
// content changed, so the catalogue's caches survive the snapshot's periodic
// rebuilds and are dropped as soon as a decision or the day's turn changes
// what counts. Badges: QualityService::Certifications / ShopCertifications.
// Verified and valid today only, by the quality module's own rules and Clock.
//
// Thread-safety: all methods of both classes may be called from any thread.
#pragma once

#include <memory>
#include <mutex>

#include "catalog/certification_source.hpp"
#include "sellers/shop_facts.hpp"

namespace nongsan::quality {

class QualityService;
struct CertifiedProducts;

class CatalogCertificationSource final : public catalog::CertificationSource {
 public:
  explicit CatalogCertificationSource(QualityService& quality) : quality_(quality) {}
  Result<std::shared_ptr<const catalog::CertificationCoverage>> Coverage() override;
  Result<std::map<std::int64_t, std::vector<catalog::CertificationBadge>>> ProductBadges(
      const std::vector<std::int64_t>& product_ids) override;
  Result<std::vector<catalog::CertificationBadge>> SellerBadges(std::int64_t seller_id) override;

 private:
  QualityService& quality_;
  std::mutex mu_;
  std::shared_ptr<const CertifiedProducts> from_;               // guarded by mu_
  std::shared_ptr<const catalog::CertificationCoverage> last_;  // guarded by mu_
};

// A shop's JSON carries its verified certificates valid today, as a
// product's does ("certifications"), through the sellers module's ShopFacts.
class ShopCertificationFacts final : public sellers::ShopFacts {
 public:
  explicit ShopCertificationFacts(catalog::CertificationSource& source) : source_(source) {}
  Status AddTo(std::int64_t seller_id, nlohmann::json& body) override;

 private:
  catalog::CertificationSource& source_;
};

}  // namespace nongsan::quality
