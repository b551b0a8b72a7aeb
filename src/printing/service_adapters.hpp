// The printing ports implemented over the other modules' services: sellers
// for shops, the catalogue for products, trace for lots (and their QR URIs),
// quality for OCOP ratings, places for names. Built by PrintingModule.
// Thread-safety: as the services they wrap (all safe to share).
#pragma once

#include <string>

#include "printing/ports.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
class PhotoStorage;
}  // namespace nongsan::catalog
namespace nongsan::quality {
class QualityService;
}
namespace nongsan::places {
class PlaceService;
}
namespace nongsan::trace {
class TraceService;
}

namespace nongsan::printing {

class SellerShopPort final : public ShopPort {
 public:
  SellerShopPort(sellers::SellerService& sellers, const places::PlaceService& places)
      : sellers_(sellers), places_(places) {}
  Result<std::optional<ShopInfo>> Find(std::int64_t seller_id) override;
  bool CanManage(const Principal* principal, std::int64_t seller_id) override;
  bool OfficerCovers(const Principal& principal, const std::string& commune_code) override;
  Result<std::vector<ShopInfo>> Members(std::int64_t coop_id) override;

 private:
  sellers::SellerService& sellers_;
  const places::PlaceService& places_;
};

class CatalogProductPort final : public ProductPort {
 public:
  CatalogProductPort(catalog::CatalogService& catalog, const catalog::PhotoStorage& photos,
                     const places::PlaceService& places)
      : catalog_(catalog), photos_(photos), places_(places) {}
  Result<std::optional<ProductInfo>> Find(std::int64_t product_id) override;
  Result<std::vector<ProductInfo>> OnSale(std::int64_t seller_id) override;
  Result<std::string> CoverJpeg(const std::string& cover_key, int width) override;

 private:
  catalog::CatalogService& catalog_;
  const catalog::PhotoStorage& photos_;
  const places::PlaceService& places_;
};

class TraceLotPort final : public LotPort {
 public:
  TraceLotPort(trace::TraceService& trace, std::string base_url)
      : trace_(trace), base_url_(std::move(base_url)) {}
  Result<std::optional<LotInfo>> Find(std::int64_t lot_id) override;
  Result<std::vector<LotInfo>> ListForProduct(const Principal* principal, std::int64_t product_id) override;

 private:
  trace::TraceService& trace_;
  std::string base_url_;
};

class QualityCertificatePort final : public CertificatePort {
 public:
  explicit QualityCertificatePort(quality::QualityService& quality) : quality_(quality) {}
  Result<std::optional<int>> OcopStars(std::int64_t product_id, std::int64_t day) override;
  Result<std::map<std::int64_t, int>> OcopStarsToday(const std::vector<std::int64_t>& product_ids) override;
  Result<std::vector<CertificateLine>> ShopCertificates(std::int64_t seller_id) override;
  // Through QualityService::GrantedTrademarks, as the product page and the website.
  Result<std::vector<std::string>> TrademarkNumbers(std::int64_t seller_id) override;

 private:
  quality::QualityService& quality_;
};

}  // namespace nongsan::printing
