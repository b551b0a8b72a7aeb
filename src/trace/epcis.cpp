#include "trace/epcis.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "http/request.hpp"
#include "trace/gs1.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace nongsan::trace {
namespace {

using nlohmann::json;

constexpr const char* kContext = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
constexpr const char* kCbvBizStep = "https://ref.gs1.org/cbv/BizStep-";
constexpr const char* kCbvDisposition = "https://ref.gs1.org/cbv/Disp-";
// Events are told in Vietnam time.
constexpr const char* kVietnamOffset = "+07:00";

std::string TrimmedBase(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

// "commissioning" for "commissioning" or its CBV URI; other URIs stay whole.
std::string BareBizStep(const std::string& s) {
  const std::string_view prefix = kCbvBizStep;
  if (s.rfind(prefix, 0) == 0) return s.substr(prefix.size());
  return s;
}

// The CBV 2.0 words an event may use bare (GS1's EPCIS 2.0 JSON schema lists
// the same); anything else must be a URI outside the retired CBV namespaces.
constexpr std::string_view kBizSteps[] = {
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
    "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
    "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
    "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
    "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking",
    "void_shipping", "sensor_reporting", "sampling"};
constexpr std::string_view kDispositions[] = {
    "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired",
    "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other", "partially_dispensed",
    "recalled", "reserved", "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen",
    "unknown", "available", "completeness_verified", "completeness_inferred", "conformant", "container_open",
    "mismatch_instance", "mismatch_class", "mismatch_quantity", "needs_replacement", "non_conformant",
    "unavailable"};
// The EPCIS 1.x vocabulary URIs the 2.0 schema no longer admits.
constexpr std::string_view kRetiredCbv[] = {"urn:epcglobal:cbv", "http://ns.gs1.org/cbv/", "https://ns.gs1.org/cbv/"};

// "scheme:rest" with an RFC 3986 scheme: enough to tell a URI from a word.
bool LooksLikeUri(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon), [](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' || ch == '.';
         }) &&
         std::none_of(s.begin(), s.end(), [](char ch) { return ch == ' ' || ch < 0x20 || ch == 0x7f; });
}

// A CBV word from `words`, or a URI outside the retired CBV namespaces.
template <std::size_t N>
bool VocabularyValue(std::string_view s, const std::string_view (&words)[N]) {
  if (std::find(std::begin(words), std::end(words), s) != std::end(words)) return true;
  for (std::string_view retired : kRetiredCbv) {
    if (s.rfind(retired, 0) == 0) return false;
  }
  return LooksLikeUri(s);
}

bool IsDigits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// The value of two ASCII digits, or -1.
int TwoDigits(std::string_view s) {
  if (!IsDigits(s, 2)) return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

// An event the platform recorded, rebuilt from its row.
json PlatformEventJson(const db::Row& r, const std::string& base) {
  json event = {{"type", "ObjectEvent"},
                {"eventTime", timefmt::Rfc3339(r.Int(2))},
                {"eventTimeZoneOffset", kVietnamOffset},
                {"epcList", json::array()},
                {"quantityList", json::array({{{"epcClass", base + r.Text(1)}}})},
                {"action", r.Text(3)},
                {"bizStep", r.Text(4)}};
  if (!r.Text(5).empty()) event["disposition"] = r.Text(5);
  if (auto quantity = r.OptInt(9)) event["quantityList"][0]["quantity"] = *quantity;
  if (!r.Text(6).empty()) {
    const std::string place = base + "/dia-ban/" + r.Text(6);
    event["readPoint"] = {{"id", place}};
    event["bizLocation"] = {{"id", place}};
  }
  return event;
}

// Collects the complaints about one captured event.
class EventCheck {
 public:
  EventCheck(const json& event, std::string at, std::vector<FieldError>& errors)
      : event_(event), at_(std::move(at)), errors_(errors) {}

  void Fail(const std::string& field, const std::string& message) {
    errors_.push_back({at_ + (field.empty() ? "" : "." + field), message});
  }

  // Checks the fields this platform relies on; the lot URIs are returned.
  std::vector<std::string> Run() {
    std::vector<std::string> uris;
    if (!event_.is_object()) {
      Fail("", "must be an event object");
      return uris;
    }
    const json type = event_.value("type", json());
    if (type != "ObjectEvent") {
      // The other EPCIS 2.0 event types describe what a lot's story here has
      // no place for (items aggregated into cases, inputs transformed into
      // outputs, business transactions): refused by name.
      Fail("type", type.is_string() ? type.get<std::string>() + " is not captured here: only ObjectEvent"
                                    : "must be an EPCIS event type; only ObjectEvent is captured here");
    }
    for (const auto& [key, value] : event_.items()) {
      if (!KnownKey(key)) Fail(key, "is not captured here");
    }
    const json action = event_.value("action", json());
    if (!action.is_string() || (action != "ADD" && action != "OBSERVE" && action != "DELETE")) {
      Fail("action", "must be ADD, OBSERVE or DELETE");
    }
    const json time = event_.value("eventTime", json());
    if (!time.is_string() || !ParseRfc3339(time.get<std::string>())) {
      Fail("eventTime", "must be a date-time (RFC 3339)");
    }
    if (event_.contains("recordTime") &&
        (!event_["recordTime"].is_string() || !ParseRfc3339(event_["recordTime"].get<std::string>()))) {
      Fail("recordTime", "must be a date-time (RFC 3339)");
    }
    const json offset = event_.value("eventTimeZoneOffset", json());
    if (!offset.is_string() || !ValidOffset(offset.get<std::string>())) {
      Fail("eventTimeZoneOffset", "must be ±hh:mm, from -14:00 to +14:00");
    }
    if (event_.contains("bizStep") &&
        (!event_["bizStep"].is_string() || !VocabularyValue(event_["bizStep"].get<std::string>(), kBizSteps))) {
      Fail("bizStep", "must be a CBV business step or a URI");
    }
    if (event_.contains("disposition") && (!event_["disposition"].is_string() ||
                                           !VocabularyValue(event_["disposition"].get<std::string>(), kDispositions))) {
      Fail("disposition", "must be a CBV disposition or a URI");
    }
    for (const char* place : {"readPoint", "bizLocation"}) {
      if (!event_.contains(place)) continue;
      const json& p = event_[place];
      if (!p.is_object() || !p.contains("id") || !p["id"].is_string() || !LooksLikeUri(p["id"].get<std::string>())) {
        Fail(std::string(place) + ".id", "is required (a URI)");
      }
    }
    if (event_.contains("epcList")) {
      const json& list = event_["epcList"];
      if (!list.is_array()) Fail("epcList", "must be a list of URIs");
      for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        const std::string at = "epcList[" + std::to_string(i) + "]";
        if (!list[i].is_string()) {
          Fail(at, "must be a URI");
        } else if (std::find(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(i), list[i]) !=
                   list.begin() + static_cast<std::ptrdiff_t>(i)) {
          Fail(at, "is listed twice");
        } else {
          uris.push_back(list[i].get<std::string>());
          fields_.push_back(at);
        }
      }
    }
    if (event_.contains("quantityList")) {
      const json& list = event_["quantityList"];
      if (!list.is_array()) Fail("quantityList", "must be a list of {epcClass, quantity, uom}");
      for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        CheckQuantity(list[i], "quantityList[" + std::to_string(i) + "]", uris);
      }
    }
    if (uris.empty()) Fail("epcList", "the event must name a lot (epcList or quantityList)");
    return uris;
  }

  // The field that carried uris[i].
  const std::string& FieldOf(std::size_t i) const { return fields_[i]; }

 private:
  // -14:00 … +14:00, as the schema's pattern allows.
  static bool ValidOffset(std::string_view s) {
    if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return false;
    const int hours = TwoDigits(s.substr(1, 2));
    const int minutes = TwoDigits(s.substr(4, 2));
    if (hours < 0 || minutes < 0 || minutes > 59) return false;
    return hours < 14 || (hours == 14 && minutes == 0);
  }

  // The ObjectEvent fields this platform reads and checks, and extensions
  // (a namespaced key such as "example:note", which the schema leaves free).
  static bool KnownKey(const std::string& key) {
    static constexpr std::string_view kKeys[] = {"@context", "type", "eventTime", "recordTime", "eventTimeZoneOffset",
                                                 "action", "epcList", "quantityList", "bizStep", "disposition",
                                                 "readPoint", "bizLocation"};
    return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys) || LooksLikeUri(key);
  }

  // One {epcClass, quantity, uom} of a quantityList.
  void CheckQuantity(const json& q, const std::string& at, std::vector<std::string>& uris) {
    if (!q.is_object() || !q.contains("epcClass") || !q["epcClass"].is_string()) {
      Fail(at + ".epcClass", "is required (a URI)");
    } else {
      uris.push_back(q["epcClass"].get<std::string>());
      fields_.push_back(at + ".epcClass");
    }
    if (!q.is_object()) return;
    for (const auto& [key, value] : q.items()) {
      if (key != "epcClass" && key != "quantity" && key != "uom") Fail(at + "." + key, "is not allowed here");
    }
    if (q.contains("quantity") && !q["quantity"].is_number()) Fail(at + ".quantity", "must be a number");
    if (q.contains("uom")) {
      const json& uom = q["uom"];
      const bool ok = uom.is_string() && uom.get_ref<const std::string&>().size() >= 2 &&
                      uom.get_ref<const std::string&>().size() <= 3 &&
                      std::all_of(uom.get_ref<const std::string&>().begin(), uom.get_ref<const std::string&>().end(),
                                  [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); });
      if (!ok) Fail(at + ".uom", "must be a UN/CEFACT unit code (2–3 capitals or digits)");
    }
  }

  const json& event_;
  std::string at_;
  std::vector<FieldError>& errors_;
  std::vector<std::string> fields_;
};

std::vector<std::string> BizStepKeys(const std::vector<std::string>& steps) {
  std::vector<std::string> keys;
  for (const auto& s : steps) keys.push_back(BareBizStep(s));
  return keys;
}


}  // namespace

std::optional<std::int64_t> ParseRfc3339(std::string_view s) {
  // YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') return std::nullopt;
  const auto day = timefmt::ParseIsoDate(s.substr(0, 10));
  const int hh = TwoDigits(s.substr(11, 2));
  const int mm = TwoDigits(s.substr(14, 2));
  const int ss = TwoDigits(s.substr(17, 2));
  if (!day || hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t ms = 0;
  if (i < s.size() && s[i] == '.') {
    std::size_t digits = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
      if (digits < 3) ms = ms * 10 + (s[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) ms *= 10;
  }
  std::int64_t offset_min = 0;
  const std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") {
    offset_min = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' && IsDigits(zone.substr(1, 2), 2) &&
             IsDigits(zone.substr(4, 2), 2)) {
    offset_min = TwoDigits(zone.substr(1, 2)) * 60 + TwoDigits(zone.substr(4, 2));
    if (zone[0] == '-') offset_min = -offset_min;
  } else {
    return std::nullopt;
  }
  const std::int64_t seconds = *day * 86400 + hh * 3600 + mm * 60 + ss - offset_min * 60;
  return seconds * 1000 + ms;
}

std::string LotClassPath(const Lot& lot) {
  if (lot.gtin14) return "/01/" + *lot.gtin14 + "/10/" + gs1::EncodePathSegment(lot.code);
  return "/truy-xuat/" + lot.public_code;
}

Status RecordPlatformEvent(db::Connection& c, const Lot& lot, const PlatformEvent& e) {
  TRY(c.Exec("INSERT INTO trace_epcis_events (seller_id, lot_id, lot_path, event_time, action, biz_step, "
             "disposition, commune_code, quantity, source, event, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'platform', '', ?)",
             {lot.seller_id, lot.id, LotClassPath(lot), e.at_ms, e.action, e.biz_step, e.disposition,
              e.at_origin ? lot.origin_commune_code : std::string(),
              e.quantity ? db::Value(*e.quantity) : db::Value(std::monostate{}), e.at_ms}));
  return Ok{};
}

EpcisService::EpcisService(TraceService& trace, std::string base_url)
    : trace_(trace), base_url_(TrimmedBase(std::move(base_url))) {}

Result<std::optional<Lot>> EpcisService::LotOfUri(const std::string& uri) {
  if (uri.size() <= base_url_.size() || uri.compare(0, base_url_.size(), base_url_) != 0) {
    return std::optional<Lot>{};
  }
  std::string path = uri.substr(base_url_.size());
  if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
  std::vector<std::string> parts;
  for (std::size_t start = 1; start <= path.size();) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (path.empty() || path[0] != '/') return std::optional<Lot>{};
  if (parts.size() == 2 && parts[0] == "truy-xuat") return trace_.FindLotByPublicCode(parts[1]);
  // /01/{gtin14}/10/{lot}, optionally followed by /21/{serial} (one item of the lot).
  if ((parts.size() == 4 || (parts.size() == 6 && parts[4] == "21")) && parts[0] == "01" && parts[2] == "10" &&
      IsDigits(parts[1], 14)) {
    auto code = http::UrlDecode(parts[3], false);
    if (!code) return std::optional<Lot>{};
    return trace_.FindLotByGtin(parts[1], *code);
  }
  return std::optional<Lot>{};
}

Result<std::int64_t> EpcisService::Capture(const Principal* principal, const json& doc) {
  if (principal == nullptr) return Error::Unauthorized();
  std::vector<FieldError> errors;
  if (!doc.is_object() || doc.value("type", json()) != "EPCISDocument") {
    return Error::Invalid("type: must be EPCISDocument", {{"type", "must be EPCISDocument"}});
  }
  if (doc.value("schemaVersion", json()) != "2.0") errors.push_back({"schemaVersion", "must be \"2.0\""});
  if (!doc.contains("@context") || !(doc["@context"].is_string() || doc["@context"].is_object() ||
                                     doc["@context"].is_array())) {
    errors.push_back({"@context", "is required (the EPCIS 2.0 JSON-LD context)"});
  }
  static constexpr std::string_view kDocumentKeys[] = {"@context", "id", "type", "schemaVersion", "creationDate",
                                                       "instanceIdentifier", "sender", "receiver", "epcisBody"};
  for (const auto& [key, value] : doc.items()) {
    if (std::find(std::begin(kDocumentKeys), std::end(kDocumentKeys), key) == std::end(kDocumentKeys) &&
        !LooksLikeUri(key)) {
      errors.push_back({key, "is not captured here"});
    }
  }
  if (doc.contains("id") && (!doc["id"].is_string() || !LooksLikeUri(doc["id"].get<std::string>()))) {
    errors.push_back({"id", "must be a URI"});
  }
  for (const char* key : {"instanceIdentifier", "sender", "receiver"}) {
    if (doc.contains(key) && !doc[key].is_string()) errors.push_back({key, "must be a string"});
  }
  const json created = doc.value("creationDate", json());
  if (!created.is_string() || !ParseRfc3339(created.get<std::string>())) {
    errors.push_back({"creationDate", "must be a date-time (RFC 3339)"});
  }
  const json* list = nullptr;
  if (doc.contains("epcisBody") && doc["epcisBody"].is_object() && doc["epcisBody"].contains("eventList") &&
      doc["epcisBody"]["eventList"].is_array()) {
    list = &doc["epcisBody"]["eventList"];
  }
  if (list == nullptr || list->empty() || list->size() > kMaxCaptureEvents) {
    errors.push_back({"epcisBody.eventList", "must list 1 to " + std::to_string(kMaxCaptureEvents) + " events"});
    return Error::Invalid("the document is not an EPCIS 2.0 EPCISDocument", std::move(errors));
  }
  struct Row { std::size_t event; Lot lot; };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = "epcisBody.eventList[" + std::to_string(i) + "]";
    EventCheck check((*list)[i], at, errors);
    const std::vector<std::string> uris = check.Run();
    if ((*list)[i].is_object() && (*list)[i].dump().size() > kMaxCapturedEventBytes) {
      errors.push_back({at, "is larger than " + std::to_string(kMaxCapturedEventBytes) + " bytes"});
    }
    std::vector<std::int64_t> seen;
    for (std::size_t u = 0; u < uris.size(); ++u) {
      TRY_ASSIGN(auto lot, LotOfUri(uris[u]));
      const std::string field = at + "." + check.FieldOf(u);
      if (!lot) {
        errors.push_back({field, "is not a lot of this platform ({base}/01/{gtin14}/10/{lot} or {base}/truy-xuat/{code})"});
      } else if (!trace_.shops().CanManage(principal, lot->seller_id)) {
        // Another shop's lot: refused without saying whose it is.
        errors.push_back({field, "is not a lot of a shop you manage"});
      } else if (std::find(seen.begin(), seen.end(), lot->id) == seen.end()) {
        seen.push_back(lot->id);
        rows.push_back({i, std::move(*lot)});
      }
    }
  }
  if (!errors.empty()) {
    std::string detail;
    for (const auto& e : errors) detail += (detail.empty() ? "" : "; ") + e.field + ": " + e.message;
    return Error::Invalid(std::move(detail), std::move(errors));
  }
  const std::int64_t now = trace_.clock().NowMs();
  return trace_.db().Write([&](db::Connection& c) -> Result<std::int64_t> {
    for (const auto& r : rows) {
      const json& e = (*list)[r.event];
      TRY(c.Exec("INSERT INTO trace_epcis_events (seller_id, lot_id, lot_path, event_time, action, biz_step, "
                 "disposition, commune_code, source, event, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, '', 'capture', ?, ?)",
                 {r.lot.seller_id, r.lot.id, LotClassPath(r.lot), *ParseRfc3339(e["eventTime"].get<std::string>()),
                  e["action"].get<std::string>(), BareBizStep(e.value("bizStep", std::string())),
                  e.value("disposition", std::string()), e.dump(), now}));
    }
    return static_cast<std::int64_t>(rows.size());
  });
}

Result<EpcisPage> EpcisService::Query(const EpcisQuery& q) {
  std::string where = "id > ?";
  db::Params params{q.after_id};
  auto any_of = [&](const char* column, const std::vector<std::string>& values) {
    where += std::string(" AND ") + column + " IN (" + db::Placeholders(values.size()) + ")";
    for (const auto& v : values) params.push_back(v);
  };
  if (!q.biz_steps.empty()) any_of("biz_step", BizStepKeys(q.biz_steps));
  // Both name lots here: every event is about a lot class, and an item
  // (…/21/{serial}) belongs to its lot's events.
  std::vector<std::string> paths;
  for (const auto& uris : {q.epcs, q.epc_classes}) {
    for (const auto& uri : uris) {
      if (uri.rfind(base_url_, 0) != 0) {
        paths.push_back("");  // matches nothing
        continue;
      }
      std::string path = uri.substr(base_url_.size());
      if (auto qm = path.find('?'); qm != std::string::npos) path.resize(qm);
      if (auto serial = path.find("/21/"); path.rfind("/01/", 0) == 0 && serial != std::string::npos) path.resize(serial);
      paths.push_back(path);
    }
  }
  if (!q.epcs.empty() || !q.epc_classes.empty()) any_of("lot_path", paths);
  if (q.from_ms) {
    where += " AND event_time >= ?";
    params.push_back(*q.from_ms);
  }
  if (q.until_ms) {
    where += " AND event_time < ?";
    params.push_back(*q.until_ms);
  }
  params.push_back(q.per_page + 1);
  TRY_ASSIGN(db::Rows rows, trace_.db().Read([&](db::Connection& c) {
    return c.Query("SELECT id, lot_path, event_time, action, biz_step, disposition, commune_code, source, event, "
                   "quantity "
                   "FROM trace_epcis_events WHERE " + where + " ORDER BY id LIMIT ?",
                   params);
  }));
  EpcisPage page;
  json events = json::array();
  for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < q.per_page; ++i) {
    const db::Row& r = rows[i];
    if (r.Text(7) == "capture") {
      events.push_back(json::parse(r.Text(8), nullptr, false));
    } else {
      events.push_back(PlatformEventJson(r, base_url_));
    }
    page.next_after_id = r.Int(0);
  }
  if (static_cast<std::int64_t>(rows.size()) <= q.per_page) page.next_after_id.reset();
  page.document = {{"@context", json::array({kContext})},
                   {"type", "EPCISQueryDocument"},
                   {"schemaVersion", "2.0"},
                   {"creationDate", timefmt::Rfc3339(trace_.clock().NowMs())},
                   {"epcisBody",
                    {{"queryResults",
                      {{"queryName", "SimpleEventQuery"}, {"resultsBody", {{"eventList", std::move(events)}}}}}}}};
  return page;
}

Result<CapturedLines> EpcisService::CapturedTimeline(db::Connection& c, std::int64_t lot_id) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT event_time, biz_step, disposition, id FROM trace_epcis_events "
                     "WHERE lot_id = ? AND source = 'capture' ORDER BY event_time DESC, id DESC LIMIT ?",
                     {lot_id, kMaxTimelineEvents}));
  CapturedLines out;
  out.lines.reserve(rows.size());
  for (std::size_t i = rows.size(); i-- > 0;) {
    const db::Row& r = rows[i];
    std::string detail = r.Text(2);
    if (detail.rfind(kCbvDisposition, 0) == 0) detail = detail.substr(std::string_view(kCbvDisposition).size());
    const std::string step = r.Text(1).empty() ? "sự kiện" : r.Text(1);
    out.lines.push_back({timefmt::IsoDate(timefmt::LocalDay(r.Int(0))), "EPCIS: " + step, detail});
    out.version = std::max(out.version, r.Int(3));
  }
  return out;
}

Result<std::vector<TimelineEvent>> EpcisService::CapturedTimeline(std::int64_t lot_id) {
  TRY_ASSIGN(CapturedLines captured,
             trace_.db().Read([&](db::Connection& c) { return CapturedTimeline(c, lot_id); }));
  return std::move(captured.lines);
}

}  // namespace nongsan::trace
