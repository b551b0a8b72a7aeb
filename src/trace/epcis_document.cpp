#include "trace/epcis_document.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/clock.hpp"
#include "http/request.hpp"

namespace nongsan::trace {
namespace {

using nlohmann::json;

// The CBV 2.0 words an event may use bare (GS1's EPCIS 2.0 JSON schema lists
// the same); anything else must be a URI outside the retired CBV namespaces.
constexpr std::string_view kBizSteps[] = {"accepting",
                                          "arriving",
                                          "assembling",
                                          "collecting",
                                          "commissioning",
                                          "consigning",
                                          "creating_class_instance",
                                          "cycle_counting",
                                          "decommissioning",
                                          "departing",
                                          "destroying",
                                          "disassembling",
                                          "dispensing",
                                          "encoding",
                                          "entering_exiting",
                                          "holding",
                                          "inspecting",
                                          "installing",
                                          "killing",
                                          "loading",
                                          "other",
                                          "packing",
                                          "picking",
                                          "receiving",
                                          "removing",
                                          "repackaging",
                                          "repairing",
                                          "replacing",
                                          "reserving",
                                          "retail_selling",
                                          "shipping",
                                          "staging_outbound",
                                          "stock_taking",
                                          "stocking",
                                          "storing",
                                          "transporting",
                                          "unloading",
                                          "unpacking",
                                          "void_shipping",
                                          "sensor_reporting",
                                          "sampling"};
constexpr std::string_view kDispositions[] = {"active",
                                              "container_closed",
                                              "damaged",
                                              "destroyed",
                                              "dispensed",
                                              "disposed",
                                              "encoded",
                                              "expired",
                                              "in_progress",
                                              "in_transit",
                                              "inactive",
                                              "no_pedigree_match",
                                              "non_sellable_other",
                                              "partially_dispensed",
                                              "recalled",
                                              "reserved",
                                              "retail_sold",
                                              "returned",
                                              "sellable_accessible",
                                              "sellable_not_accessible",
                                              "stolen",
                                              "unknown",
                                              "available",
                                              "completeness_verified",
                                              "completeness_inferred",
                                              "conformant",
                                              "container_open",
                                              "mismatch_instance",
                                              "mismatch_class",
                                              "mismatch_quantity",
                                              "needs_replacement",
                                              "non_conformant",
                                              "unavailable"};
// The EPCIS 1.x vocabulary URIs the 2.0 schema no longer admits.
constexpr std::string_view kRetiredCbv[] = {"urn:epcglobal:cbv", "http://ns.gs1.org/cbv/",
                                            "https://ns.gs1.org/cbv/"};

// "scheme:rest" with an RFC 3986 scheme: enough to tell a URI from a word.
bool LooksLikeUri(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](char ch) {
                       return std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' ||
                              ch == '.';
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

// How a complaint names an object's member: its key, or `[""]` for the empty
// key (JSON allows it, and a complaint must still point somewhere).
std::string MemberName(const std::string& key) { return key.empty() ? std::string("[\"\"]") : key; }

bool IsDigits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// The value of two ASCII digits, or -1.
int TwoDigits(std::string_view s) {
  if (!IsDigits(s, 2)) return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

// Collects the complaints about one captured event.
class EventCheck {
 public:
  EventCheck(const json& event, std::string at, std::vector<FieldError>& errors)
      : event_(event), at_(std::move(at)), errors_(errors) {}

  void Fail(const std::string& field, const std::string& message) {
    errors_.push_back({at_ + (field.empty() ? "" : field.front() == '[' ? field : "." + field), message});
  }

  // Checks the event as the schema would; the lot URIs are returned.
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
      if (!KnownKey(key)) Fail(MemberName(key), "is not captured here");
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
    if (event_.contains("bizStep") && (!event_["bizStep"].is_string() ||
                                       !VocabularyValue(event_["bizStep"].get<std::string>(), kBizSteps))) {
      Fail("bizStep", "must be a CBV business step or a URI");
    }
    if (event_.contains("disposition") &&
        (!event_["disposition"].is_string() ||
         !VocabularyValue(event_["disposition"].get<std::string>(), kDispositions))) {
      Fail("disposition", "must be a CBV disposition or a URI");
    }
    for (const char* place : {"readPoint", "bizLocation"}) {
      if (!event_.contains(place)) continue;
      const json& p = event_[place];
      if (!p.is_object() || !p.contains("id") || !p["id"].is_string() ||
          !LooksLikeUri(p["id"].get<std::string>())) {
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
    static constexpr std::string_view kKeys[] = {
        "@context", "type",         "eventTime", "recordTime",  "eventTimeZoneOffset", "action",
        "epcList",  "quantityList", "bizStep",   "disposition", "readPoint",           "bizLocation"};
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
      if (key != "epcClass" && key != "quantity" && key != "uom")
        Fail(at + (key.empty() ? MemberName(key) : "." + key), "is not allowed here");
    }
    if (q.contains("quantity") && !q["quantity"].is_number()) Fail(at + ".quantity", "must be a number");
    if (q.contains("uom")) {
      const json& uom = q["uom"];
      const bool ok =
          uom.is_string() && uom.get_ref<const std::string&>().size() >= 2 &&
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

}  // namespace

std::optional<LotUriParts> ParseLotUri(std::string_view base_url, std::string_view uri) {
  if (uri.size() <= base_url.size() || uri.compare(0, base_url.size(), base_url) != 0) return std::nullopt;
  std::string_view path = uri.substr(base_url.size());
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::vector<std::string_view> parts;
  for (std::size_t start = 1; start <= path.size();) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.size() == 2 && parts[0] == "truy-xuat" && !parts[1].empty()) {
    return LotUriParts{"", "", std::string(parts[1])};
  }
  // /01/{gtin14}/10/{lot}, optionally followed by /21/{serial} (one item of the lot).
  if ((parts.size() == 4 || (parts.size() == 6 && parts[4] == "21")) && parts[0] == "01" &&
      parts[2] == "10" && IsDigits(parts[1], 14)) {
    auto code = http::UrlDecode(parts[3], false);
    if (!code || code->empty()) return std::nullopt;
    return LotUriParts{std::string(parts[1]), std::move(*code), ""};
  }
  return std::nullopt;
}

CaptureCheck CheckCaptureDocument(const json& doc) {
  CaptureCheck out;
  if (!doc.is_object() || doc.value("type", json()) != "EPCISDocument") {
    out.errors.push_back({"type", "must be EPCISDocument"});
    out.not_epcis = true;
    return out;
  }
  if (doc.value("schemaVersion", json()) != "2.0") out.errors.push_back({"schemaVersion", "must be \"2.0\""});
  if (!doc.contains("@context") ||
      !(doc["@context"].is_string() || doc["@context"].is_object() || doc["@context"].is_array())) {
    out.errors.push_back({"@context", "is required (the EPCIS 2.0 JSON-LD context)"});
  }
  static constexpr std::string_view kDocumentKeys[] = {"@context",      "id",           "type",
                                                       "schemaVersion", "creationDate", "instanceIdentifier",
                                                       "sender",        "receiver",     "epcisBody"};
  for (const auto& [key, value] : doc.items()) {
    if (std::find(std::begin(kDocumentKeys), std::end(kDocumentKeys), key) == std::end(kDocumentKeys) &&
        !LooksLikeUri(key)) {
      out.errors.push_back({MemberName(key), "is not captured here"});
    }
  }
  if (doc.contains("id") && (!doc["id"].is_string() || !LooksLikeUri(doc["id"].get<std::string>()))) {
    out.errors.push_back({"id", "must be a URI"});
  }
  for (const char* key : {"instanceIdentifier", "sender", "receiver"}) {
    if (doc.contains(key) && !doc[key].is_string()) out.errors.push_back({key, "must be a string"});
  }
  const json created = doc.value("creationDate", json());
  if (!created.is_string() || !ParseRfc3339(created.get<std::string>())) {
    out.errors.push_back({"creationDate", "must be a date-time (RFC 3339)"});
  }
  const json* list = nullptr;
  if (doc.contains("epcisBody") && doc["epcisBody"].is_object() && doc["epcisBody"].contains("eventList") &&
      doc["epcisBody"]["eventList"].is_array()) {
    list = &doc["epcisBody"]["eventList"];
  }
  if (list == nullptr || list->empty() || list->size() > kMaxCaptureEvents) {
    out.errors.push_back(
        {"epcisBody.eventList", "must list 1 to " + std::to_string(kMaxCaptureEvents) + " events"});
    out.not_epcis = true;
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = "epcisBody.eventList[" + std::to_string(i) + "]";
    EventCheck check((*list)[i], at, out.errors);
    const std::vector<std::string> uris = check.Run();
    if ((*list)[i].is_object() && (*list)[i].dump().size() > kMaxCapturedEventBytes) {
      out.errors.push_back({at, "is larger than " + std::to_string(kMaxCapturedEventBytes) + " bytes"});
    }
    CheckedEvent event{i, {}};
    for (std::size_t u = 0; u < uris.size(); ++u)
      event.lots.push_back({uris[u], at + "." + check.FieldOf(u)});
    out.events.push_back(std::move(event));
  }
  return out;
}

}  // namespace nongsan::trace
