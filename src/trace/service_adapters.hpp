// The traceability ports implemented over the other modules' services:
// sellers for shops, the catalogue for products, quality for certificates,
// places for communes. Built by TraceModule's production constructor.
// Thread-safety: as the services they wrap (all safe to share).
#pragma once

#include "trace/ports.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
}
namespace nongsan::quality {
class QualityService;
}
namespace nongsan::places {
class PlaceService;
}
namespace nongsan::orders {
class Notifications;
}

namespace nongsan::trace {

class SellerShopPort final : public ShopPort {
 public:
  explicit SellerShopPort(sellers::SellerService& sellers) : sellers_(sellers) {}
  Result<std::optional<ShopRef>> Find(std::int64_t seller_id) override;
  bool CanManage(const Principal* principal, std::int64_t seller_id) override;
  bool OfficerCovers(const Principal& principal, const std::string& commune_code) override;

 private:
  sellers::SellerService& sellers_;
};

class CatalogProductPort final : public ProductPort {
 public:
  explicit CatalogProductPort(catalog::CatalogService& catalog) : catalog_(catalog) {}
  Result<std::optional<ProductRef>> Find(std::int64_t product_id) override;
  Status SetGtin(const Principal& principal, std::int64_t product_id, const std::string& gtin) override;

 private:
  catalog::CatalogService& catalog_;
};

class QualityCertificatePort final : public CertificatePort {
 public:
  explicit QualityCertificatePort(quality::QualityService& quality) : quality_(quality) {}
  Result<std::vector<CertificateRef>> ValidOn(std::int64_t product_id, std::int64_t day) override;

 private:
  quality::QualityService& quality_;
};

class PlacesAreaPort final : public AreaPort {
 public:
  explicit PlacesAreaPort(const places::PlaceService& places) : places_(places) {}
  std::string UnitName(const std::string& code) const override;
  std::optional<std::string> ProvinceOf(const std::string& commune_code) const override;
  bool IsCommune(const std::string& code) const override;

 private:
  const places::PlaceService& places_;
};

class OrdersBuyerNotifier final : public BuyerNotifier {
 public:
  explicit OrdersBuyerNotifier(const orders::Notifications& notifications) : notifications_(notifications) {}
  Status NotifyRecall(db::Connection& c, const std::vector<BuyerNotice>& notices) override;

 private:
  const orders::Notifications& notifications_;
};

}  // namespace nongsan::trace
