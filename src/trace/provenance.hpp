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
// Thread-safety: safe to share; the scan counter is guarded by a mutex.
#pragma once

#include "trace/ports.hpp"
#include "trace/trace_service.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nongsan::trace {

inline constexpr std::int64_t kScanFlushBatch = 64;
inline constexpr std::int64_t kScanFlushIntervalMs = 5000;

// One line of a lot's timeline, oldest first.
struct TimelineEvent {
  std::string date;  // YYYY-MM-DD
  std::string title;
  std::string detail;
};

// Timeline lines recorded elsewhere (the EPCIS events a shop captured).
class TimelineSource {
 public:
  virtual ~TimelineSource() = default;
  virtual Result<std::vector<TimelineEvent>> CapturedTimeline(std::int64_t lot_id) = 0;
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
  // The lot alone (no scan counted), for a caller that may already hold its page.
  Result<std::optional<Lot>> LotByGtin(const std::string& gtin14, const std::string& lot_code);
  Result<std::optional<Lot>> LotByPublicCode(const std::string& public_code);
  // Assembles the page of a lot found above; counts its scan.
  Result<std::optional<Provenance>> ForLot(Lot lot);
  // Counts a scan of a lot whose page was served from a copy.
  void CountScan(std::int64_t lot_id);

  // Adds `source`'s lines to every lot's timeline (set once, at wiring).
  void SetTimelineSource(TimelineSource* source) { timeline_source_ = source; }

  // Writes the scans counted so far.
  Status FlushScans();

 private:
  Result<std::optional<Provenance>> Assemble(std::optional<Lot> lot, std::int64_t product_id);

  TraceService& trace_;
  CertificatePort& certificates_;
  TimelineSource* timeline_source_ = nullptr;

  std::mutex scans_mu_;
  std::unordered_map<std::int64_t, std::int64_t> pending_scans_;  // guarded by scans_mu_
  std::int64_t pending_total_ = 0;                                 // guarded by scans_mu_
  std::int64_t last_flush_ms_ = 0;                                 // guarded by scans_mu_
};

}  // namespace nongsan::trace
