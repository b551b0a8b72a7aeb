// What a scanned pack resolves to: the lot (or, for a bare GTIN, the
// product), its producer, origin, the certificates valid on the lot's
// production date and the lot's timeline — the minimum traceability data of
// Decree 37 as listed in ../shared/DOMAIN.md. Also counts scans per lot.
//
// Scans are counted in memory and written in batches by a thread of the
// service's own (every kScanFlushBatch scans or kScanFlushIntervalMs,
// whichever comes first, and at shutdown), so a scan never waits for a
// database write; a lot's count may lag by that much.
//
// What the page shows about the product, its shop and its certificates is the
// same for every lot of the product made on one day, and it belongs to other
// modules (each read through a port is a transaction of its own). It is kept
// for kProductContextTtl per (product, production day), so a page costs one
// read of trace's own tables — the lot and its recorded events, together.
// The wiring tells the service when a product changes (ProductsChanged, from
// the catalogue's ListingObserver) and when a certificate decision is made
// (CertificatesChanged, from quality), and the next scan shows the change; a
// shop's own name or address shows within kProductContextTtl.
//
// Thread-safety: safe to share; the scan counter and the product contexts are
// each guarded by a mutex.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "trace/ports.hpp"
#include "trace/trace_service.hpp"

namespace nongsan::trace {

// A flush writes one upsert per lot scanned into the narrow trace_lot_scans
// (lot id, count; ~250 lots a page, not the ~13 of a wide trace_lots page),
// in lot id order, in write transactions of kScanWriteChunk lots (so other
// writes never wait long). Large batches matter when scans spread over many
// lots: a page written once for all its lots scanned, not once per scan.
inline constexpr std::int64_t kScanFlushBatch = 65536;
inline constexpr std::int64_t kScanFlushIntervalMs = 5000;
inline constexpr std::size_t kScanWriteChunk = 2048;
// Pending scan entries kept before they are merged by lot in memory (while
// writes fail, so the list stays bounded by the lots scanned).
inline constexpr std::size_t kMaxPendingScanEntries = 4 * kScanFlushBatch;

// One line of a lot's timeline, oldest first.
struct TimelineEvent {
  std::string date;  // YYYY-MM-DD
  std::string title;
  std::string detail;
};

// How long a product's context (product, shop, certificates) is reused, and
// how many are kept (one per product and production day in use).
inline constexpr std::chrono::seconds kProductContextTtl{30};
inline constexpr std::size_t kMaxProductContexts = 4096;
// The catalogue tells of a product change inside its write transaction,
// before the commit: a context loaded in this window after the news may hold
// the old product, so it is kept no longer than this.
inline constexpr std::chrono::seconds kChangeSettleTime{1};

// Origin communes whose names are kept (administrative units never change
// while the server runs; Vietnam has about 10,000 communes, so this holds
// every one in practice; when full it starts afresh).
inline constexpr std::size_t kMaxOriginNames = 16384;

// Timeline lines kept as EPCIS events: those a shop captured and the
// platform's decisions (hold, release, recall, destroy, with their reasons).
struct RecordedLines {
  std::vector<TimelineEvent> lines;  // oldest first
  std::int64_t version = 0;          // the newest row's id, 0 without any
};

class TimelineSource {
 public:
  virtual ~TimelineSource() = default;
  // Read inside the caller's read transaction.
  virtual Result<RecordedLines> RecordedTimeline(db::Connection& c, std::int64_t lot_id) = 0;
};

// A lot as the resolver reads it: the row and its recorded lines, from one
// read transaction.
struct LotView {
  Lot lot;
  RecordedLines recorded;
};

// The provenance page's markup that depends only on a product context,
// escaped and written once when the context is loaded (provenance_page.cpp's
// RenderContextHtml), so a page copies it instead of writing it again.
struct ContextHtml {
  bool ready = false;
  std::string heading;       // "<h1>name</h1>\n<p class=\"muted\">Truy xuất nguồn gốc"
  std::string producer;      // "</p>\n", the photo, the producer's facts, up to the origin's <dd>
  std::string certificates;  // after the certificates' <h2>
  std::string product_link;  // the closing button to the product page
};

// What a provenance page shows that is not the lot's: shared by every lot of
// the product made on one day.
struct ProductContext {
  ProductRef product;
  ShopRef shop;
  std::string shop_commune_name;
  std::string shop_province_name;
  std::vector<CertificateRef> certificates;  // valid on the day
  std::int64_t generation = 0;               // differs between two loads: part of a cached page's key
  ContextHtml html;
};

// A page: the lot's own facts and timeline, and its product's shared context
// (not copied: one context serves every lot of the product made that day).
struct Provenance {
  std::optional<Lot> lot;  // nullopt when only the GTIN was scanned
  std::shared_ptr<const ProductContext> context;
  std::string gtin14;  // "" for a product without a GTIN
  std::string origin_commune_code;
  std::string origin_commune_name;
  std::string origin_province_name;
  std::vector<TimelineEvent> timeline;

  const ProductRef& product() const { return context->product; }
  const ShopRef& shop() const { return context->shop; }
  const std::string& shop_commune_name() const { return context->shop_commune_name; }
  const std::string& shop_province_name() const { return context->shop_province_name; }
  // Valid on the lot's production date (today without a lot).
  const std::vector<CertificateRef>& certificates() const { return context->certificates; }
};

class ProvenanceService {
 public:
  ProvenanceService(TraceService& trace, CertificatePort& certificates);
  ~ProvenanceService();
  ProvenanceService(const ProvenanceService&) = delete;
  ProvenanceService& operator=(const ProvenanceService&) = delete;

  // The product a GTIN names, without a lot; nullopt when none does.
  Result<std::optional<Provenance>> ForGtin(const std::string& gtin14);
  // The lot and its recorded lines (no scan counted), for a caller that may
  // already hold its page.
  Result<std::optional<LotView>> LotByGtin(const std::string& gtin14, const std::string& lot_code);
  Result<std::optional<LotView>> LotByPublicCode(const std::string& public_code);
  // The product's context on `day`, reused for kProductContextTtl; nullptr
  // when the product or its shop is gone.
  Result<std::shared_ptr<const ProductContext>> Context(std::int64_t product_id, std::int64_t day);
  // Assembles the page of a lot found above from its context; counts its scan.
  Provenance ForLot(LotView view, std::shared_ptr<const ProductContext> context);
  // Counts a scan of a lot whose page was served from a copy.
  void CountScan(std::int64_t lot_id);

  // Adds `source`'s lines to every lot's timeline (set once, at wiring).
  void SetTimelineSource(TimelineSource* source) { timeline_source_ = source; }

  // Writes the scans counted so far.
  Status FlushScans();

  // These products changed (renamed, photo, shop shown or hidden …): their
  // contexts are dropped, so the next scan reads them again.
  void ProductsChanged(const std::vector<std::int64_t>& product_ids);
  // A certificate was verified, rejected, revoked or decided: every context
  // is dropped (decisions are rare; which products a certificate covers is
  // quality's business).
  void CertificatesChanged();

 private:
  // The lot by `find_alone` (one statement on its own); for a lot with
  // recorded events, the lot again by `find` and its lines in one read.
  Result<std::optional<LotView>> ReadLot(
      const std::function<Result<std::optional<Lot>>()>& find_alone,
      const std::function<Result<std::optional<Lot>>(db::Connection&)>& find);
  Result<std::shared_ptr<const ProductContext>> LoadContext(std::int64_t product_id, std::int64_t day);
  Provenance Assemble(std::shared_ptr<const ProductContext> context, const Lot* lot);
  void FlushLoop();

  TraceService& trace_;
  CertificatePort& certificates_;
  TimelineSource* timeline_source_ = nullptr;

  std::mutex scans_mu_;
  // (lot id, scans) appended per scan (no hashing on the request's path),
  // merged by lot at a flush or when it grows past kMaxPendingScanEntries;
  // guarded by scans_mu_.
  std::vector<std::pair<std::int64_t, std::int64_t>> pending_scans_;
  std::int64_t pending_total_ = 0;  // guarded by scans_mu_
  bool stopping_ = false;           // guarded by scans_mu_
  std::condition_variable scans_cv_;

  struct CachedContext {
    std::shared_ptr<const ProductContext> context;
    std::chrono::steady_clock::time_point expires;
  };
  // An origin commune's name and its province's, looked up once per code
  // (AreaPort copies a whole unit per lookup); guarded by origins_mu_.
  struct OriginNames {
    std::string commune;
    std::string province;
  };
  OriginNames Origin(const std::string& commune_code);
  std::mutex origins_mu_;
  std::unordered_map<std::string, OriginNames> origins_;

  std::mutex contexts_mu_;
  // Keyed by (product id, day); guarded by contexts_mu_.
  std::map<std::pair<std::int64_t, std::int64_t>, CachedContext> contexts_;
  std::int64_t next_generation_ = 1;  // guarded by contexts_mu_
  // Until when a changed product's freshly loaded context is kept only
  // briefly (kChangeSettleTime); guarded by contexts_mu_.
  std::unordered_map<std::int64_t, std::chrono::steady_clock::time_point> settling_;

  std::thread flusher_;  // last: started once everything above exists
};

}  // namespace nongsan::trace
