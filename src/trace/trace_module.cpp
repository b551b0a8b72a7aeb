#include "trace/trace_module.hpp"

#include "quality/quality_service.hpp"
#include "trace/service_adapters.hpp"

namespace nongsan::trace {

TraceModule::TraceModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                         sellers::SellerService& sellers, catalog::CatalogService& catalog,
                         quality::QualityService& quality, const orders::Notifications& notifications,
                         std::string base_url_in)
    : shops(std::make_unique<SellerShopPort>(sellers)),
      products(std::make_unique<CatalogProductPort>(catalog)),
      certificates(std::make_unique<QualityCertificatePort>(quality)),
      areas(std::make_unique<PlacesAreaPort>(places)),
      notifier(std::make_unique<OrdersBuyerNotifier>(notifications)),
      base_url(std::move(base_url_in)),
      trace(db, clock, *shops, *products, *areas),
      provenance(trace, *certificates),
      listing_watch(provenance),
      recalls(trace, *notifier),
      epcis(trace, base_url) {
  provenance.SetTimelineSource(&epcis);
  // A certificate decision shows on the next scan (quality calls after commit).
  quality.SetOnCertificatesChanged([this] { provenance.CertificatesChanged(); });
}

}  // namespace nongsan::trace
