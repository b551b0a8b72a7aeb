// EPCIS 2.0 events of production lots, in trace's own table
// (trace_epcis_events): the platform records what it sees happen (a lot
// commissioned when created, a recall decision), a cooperative captures
// events from its own system about its own lots, and anyone queries them as
// an EPCISQueryDocument — the same public facts the provenance page shows.
//
// Identifiers are Digital Link URIs under the platform's base URL: a lot is
// the class `{base}/01/{gtin14}/10/{lot}` (or `{base}/truy-xuat/{code}` for a
// household lot without a GTIN); places are `{base}/dia-ban/{commune code}`.
// Each stored row is one event about one lot, keyed by the lot's URI path,
// so one lot's events are one index range.
//
// Capture rules: the document must be an EPCIS 2.0 EPCISDocument of
// ObjectEvents; every event names at least one lot by one of those URIs, and
// every lot named must belong to a shop the sender manages. Any complaint
// refuses the whole document (400, each field named), nothing stored.
//
// Thread-safety: stateless over the database; safe to share.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "trace/epcis_document.hpp"
#include "trace/provenance.hpp"
#include "trace/trace_service.hpp"

namespace nongsan::trace {

inline constexpr std::int64_t kEpcisDefaultPerPage = 30;
inline constexpr std::int64_t kEpcisMaxPerPage = 200;
// Values of one query parameter (EQ_bizStep=a|b|c).
inline constexpr std::size_t kMaxQueryValues = 20;
// Recorded events (captured, and the platform's decisions) shown on a lot's
// provenance page, newest kept.
inline constexpr std::int64_t kMaxTimelineEvents = 100;

// The lot-class URI path of a lot: "/01/{gtin14}/10/{lot}" or "/truy-xuat/{code}".
std::string LotClassPath(const Lot& lot);

// What the platform itself saw happen to a lot, written in the caller's
// write transaction so the event commits with the change it describes.
struct PlatformEvent {
  std::string action = "ADD";  // ADD, OBSERVE or DELETE
  std::string biz_step;        // CBV bare word: commissioning, holding, …
  std::string disposition;     // CBV bare word, "" for none
  std::int64_t at_ms = 0;
  std::optional<std::int64_t> quantity;  // units of the lot, when counted
  bool at_origin = true;                 // placed at the lot's origin commune
  // A decision (holding, inspecting, destroying): shown on the lot's
  // provenance page with its reason; the lot's timeline_version moves to it.
  std::string reason;
};
Status RecordPlatformEvent(db::Connection& c, const Lot& lot, const PlatformEvent& event);

struct EpcisQuery {
  std::vector<std::string> biz_steps;    // EQ_bizStep, bare words or CBV URIs
  std::vector<std::string> epcs;         // MATCH_epc, full URIs
  std::vector<std::string> epc_classes;  // MATCH_anyEPCClass, full URIs
  std::optional<std::int64_t> from_ms;   // GE_eventTime
  std::optional<std::int64_t> until_ms;  // LT_eventTime
  std::int64_t per_page = kEpcisDefaultPerPage;
  std::int64_t after_id = 0;  // from nextPageToken
};

struct EpcisPage {
  std::string document;  // the EPCISQueryDocument, as JSON text
  std::optional<std::int64_t> next_after_id;
};

class EpcisService final : public TimelineSource {
 public:
  EpcisService(TraceService& trace, std::string base_url);

  Result<EpcisPage> Query(const EpcisQuery& query);
  // Validates and stores an EPCISDocument; the number of events stored.
  Result<std::int64_t> Capture(const Principal* principal, const nlohmann::json& document);
  // The lot's captured events and the platform's decisions on it as
  // provenance timeline lines (newest kMaxTimelineEvents), read in the
  // caller's transaction.
  Result<RecordedLines> RecordedTimeline(db::Connection& c, std::int64_t lot_id) override;
  // The same in a read of its own.
  Result<std::vector<TimelineEvent>> RecordedTimeline(std::int64_t lot_id);

  const std::string& base_url() const { return base_url_; }

 private:
  // The lot a URI of ours names, if any (URIs outside base_url name none).
  Result<std::optional<Lot>> LotOfUri(const std::string& uri);

  TraceService& trace_;
  std::string base_url_;  // without a trailing '/'
};

}  // namespace nongsan::trace
