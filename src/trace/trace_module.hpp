// Everything the traceability module runs in one process: its ports onto
// sellers, the catalogue, quality and places, and its service. App holds one
// (built after quality). Members are public so wiring and tests can reach
// them; the services document their own thread-safety.
#pragma once

#include <memory>
#include <string>

#include "trace/epcis.hpp"
#include "trace/listing_watch.hpp"
#include "trace/order_lots.hpp"
#include "trace/page_cache.hpp"
#include "trace/ports.hpp"
#include "trace/provenance.hpp"
#include "trace/recall_service.hpp"
#include "trace/trace_service.hpp"

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

struct TraceModule {
  TraceModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
              sellers::SellerService& sellers, catalog::CatalogService& catalog,
              quality::QualityService& quality, const orders::Notifications& notifications,
              std::string base_url);
  TraceModule(const TraceModule&) = delete;
  TraceModule& operator=(const TraceModule&) = delete;

  std::unique_ptr<ShopPort> shops;
  std::unique_ptr<ProductPort> products;
  std::unique_ptr<CertificatePort> certificates;
  std::unique_ptr<AreaPort> areas;
  std::unique_ptr<BuyerNotifier> notifier;
  // Where packs' QR codes point: the platform's public address.
  std::string base_url;
  TraceService trace;
  // What a scanned pack resolves to; counts scans.
  ProvenanceService provenance;
  // Tells provenance of the catalogue's product writes: the app hands it to
  // CatalogService::SetListingObserver, ahead of programme's roll-ups.
  ProvenanceListingWatch listing_watch;
  // Provenance pages as anonymous scanners see them.
  PageCache page_cache;
  // Holds, releases, recalls and the order lines a lot went into.
  RecallService recalls;
  // Packing's lots, handed to the orders module (OrderService::SetLotLedger).
  TraceLotLedger lot_ledger;
  // EPCIS 2.0 events: recorded, captured and queried.
  EpcisService epcis;
};

}  // namespace nongsan::trace
