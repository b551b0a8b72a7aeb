// Everything the printing module runs in one process: its ports onto
// sellers, the catalogue, trace and quality, and its services. App holds one
// (built after trace). Members are public so wiring and tests can reach them.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "printing/catalogue_service.hpp"
#include "printing/label_service.hpp"
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

struct PrintingModule {
  PrintingModule(const Clock& clock, const places::PlaceService& places, sellers::SellerService& sellers,
                 catalog::CatalogService& catalog, const catalog::PhotoStorage& photos,
                 trace::TraceService& trace, quality::QualityService& quality, std::string base_url);
  PrintingModule(const PrintingModule&) = delete;
  PrintingModule& operator=(const PrintingModule&) = delete;

  std::unique_ptr<ShopPort> shops;
  std::unique_ptr<ProductPort> products;
  std::unique_ptr<LotPort> lots;
  std::unique_ptr<CertificatePort> certificates;
  LabelService labels;
  CatalogueService catalogues;
  // PDFs being drawn right now, across requests (see routes.cpp).
  std::atomic<int> rendering{0};
};

}  // namespace nongsan::printing
