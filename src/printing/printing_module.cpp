#include "printing/printing_module.hpp"

#include "printing/service_adapters.hpp"

namespace nongsan::printing {

PrintingModule::PrintingModule(const Clock& clock, const places::PlaceService& places,
                               sellers::SellerService& sellers, catalog::CatalogService& catalog,
                               const catalog::PhotoStorage& photos, trace::TraceService& trace,
                               quality::QualityService& quality, std::string base_url)
    : shops(std::make_unique<SellerShopPort>(sellers, places)),
      products(std::make_unique<CatalogProductPort>(catalog, photos, places)),
      lots(std::make_unique<TraceLotPort>(trace, base_url)),
      certificates(std::make_unique<QualityCertificatePort>(quality)),
      labels(clock, *shops, *products, *lots, *certificates),
      catalogues(clock, std::move(base_url), *shops, *products, *certificates) {}

}  // namespace nongsan::printing
