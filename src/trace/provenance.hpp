// What a scanned pack resolves to: the lot (or, for a bare GTIN, the
// product), its producer, origin, the certificates valid on the lot's
// production date and the lot's timeline — the minimum traceability data of
// Decree 37 as listed in ../shared/DOMAIN.md. Also counts scans per lot.
//
// Scans are counted in memory and written in batches (every kScanFlushBatch
// scans or kScanFlushInterval, whichever comes first, and at shutdown), so a
// scan never waits for the single SQLite writer; a lot's count may lag by
// that much.
//
// What the page shows about the product, its shop and its certificates is the
// same for every lot of the product made on one day, and it belongs to other
// modules (each read through a port is a transaction of its own). It is kept
// for kProductContextTtl per (product, production day), so a page costs one
// read of trace's own tables — the lot and its captured events, together.
// A renamed product or a newly verified certificate shows within that time.
//
// Thread-safety: safe to share; the scan counter and the product contexts are
// each guarded by a mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/ports.hpp"
#include "trace/trace_service.hpp"

namespace nongsan::trace {

// A flush is one write transaction of one UPDATE per lot scanned.
inline constexpr std::int64_t kScanFlushBatch = 512;
inline constexpr std::int64_t kScanFlushIntervalMs = 5000;

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

// Timeline lines recorded elsewhere (the EPCIS events a shop captured).
struct CapturedLines {
  std::vector<TimelineEvent> lines;  // oldest first
  std::int64_t version = 0;          // the newest captured row's id, 0 without any
};

class TimelineSource {
 public:
  virtual ~TimelineSource() = default;
  // Read inside the caller's read transaction.
  virtual Result<CapturedLines> CapturedTimeline(db::Connection& c, std::int64_t lot_id) = 0;
};

// A lot as the resolver reads it: the row and its captured lines, from one
// read transaction.
struct LotView {
  Lot lot;
  CapturedLines captured;
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
};

struct Provenance {
  std::optional<Lot> lot;  // nullopt when only the GTIN was scanned
  ProductRef product;
  ShopRef shop;
  std::string gtin14;  // "" for a product without a GTIN
  std::string origin_commune_code;
  std::string origin_commune_name;
  std::string origin_province_name;
  std::string shop_commune_name;
  std::string shop_province_name;
  std::vector<CertificateRef> certificates;  // valid on the lot's production date (today without a lot)
  std::vector<TimelineEvent> timeline;
};

class ProvenanceService {
 public:
  ProvenanceService(TraceService& trace, CertificatePort& certificates);
  ~ProvenanceService();
  ProvenanceService(const ProvenanceService&) = delete;
  ProvenanceService& operator=(const ProvenanceService&) = delete;

  // The product a GTIN names, without a lot; nullopt when none does.
  Result<std::optional<Provenance>> ForGtin(const std::string& gtin14);
  // The lot and its captured lines (no scan counted), for a caller that may
  // already hold its page.
  Result<std::optional<LotView>> LotByGtin(const std::string& gtin14, const std::string& lot_code);
  Result<std::optional<LotView>> LotByPublicCode(const std::string& public_code);
  // The product's context on `day`, reused for kProductContextTtl; nullptr
  // when the product or its shop is gone.
  Result<std::shared_ptr<const ProductContext>> Context(std::int64_t product_id, std::int64_t day);
  // Assembles the page of a lot found above from its context; counts its scan.
  Provenance ForLot(LotView view, const ProductContext& context);
  // Counts a scan of a lot whose page was served from a copy.
  void CountScan(std::int64_t lot_id);

  // Adds `source`'s lines to every lot's timeline (set once, at wiring).
  void SetTimelineSource(TimelineSource* source) { timeline_source_ = source; }

  // Writes the scans counted so far.
  Status FlushScans();

 private:
  Result<std::optional<LotView>> ReadLot(
      const std::function<Result<std::optional<Lot>>(db::Connection&)>& find);
  Result<std::shared_ptr<const ProductContext>> LoadContext(std::int64_t product_id, std::int64_t day);
  Provenance Assemble(const ProductContext& context, const Lot* lot);

  TraceService& trace_;
  CertificatePort& certificates_;
  TimelineSource* timeline_source_ = nullptr;

  std::mutex scans_mu_;
  std::unordered_map<std::int64_t, std::int64_t> pending_scans_;  // guarded by scans_mu_
  std::int64_t pending_total_ = 0;                                // guarded by scans_mu_
  std::int64_t last_flush_ms_ = 0;                                // guarded by scans_mu_

  struct CachedContext {
    std::shared_ptr<const ProductContext> context;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex contexts_mu_;
  // Keyed by (product id, day); guarded by contexts_mu_.
  std::map<std::pair<std::int64_t, std::int64_t>, CachedContext> contexts_;
  std::int64_t next_generation_ = 1;  // guarded by contexts_mu_
};

}  // namespace nongsan::trace
