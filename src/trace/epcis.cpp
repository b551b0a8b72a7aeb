#include "trace/epcis.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/field_errors.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "http/json_writer.hpp"
#include "http/request.hpp"
#include "trace/gs1.hpp"

namespace nongsan::trace {
namespace {

using nlohmann::json;

constexpr const char* kContext = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
constexpr const char* kCbvBizStep = "https://ref.gs1.org/cbv/BizStep-";
constexpr const char* kCbvDisposition = "https://ref.gs1.org/cbv/Disp-";
// Events are told in Vietnam time.
constexpr const char* kVietnamOffset = "+07:00";

// The events a lot's provenance page shows: every captured one, and the
// platform's decisions (hold and recall are holding, release is inspecting).
// Spelt as migration 5's partial index trace_epcis_timeline, so that both
// planners use it and a recalled lot's shipping events are never read.
constexpr std::string_view kTimelineEventsWhere =
    "(source = 'capture' OR biz_step IN ('holding', 'inspecting', 'destroying'))";

bool IsDecision(const std::string& biz_step) {
  return biz_step == "holding" || biz_step == "inspecting" || biz_step == "destroying";
}

// A decision's timeline line: what was decided, and why.
TimelineEvent DecisionLine(std::int64_t at_ms, const std::string& biz_step, const std::string& disposition,
                           std::optional<std::int64_t> quantity, std::string reason) {
  std::string title;
  if (biz_step == "destroying") {
    title = "Tiêu hủy";
    if (quantity) title += " " + std::to_string(*quantity) + " đơn vị";
  } else if (biz_step == "inspecting") {
    title = "Mở bán lại";
  } else if (disposition == "recalled") {
    title = "Thu hồi";
  } else {
    title = "Tạm dừng bán";
  }
  return {timefmt::IsoDate(timefmt::LocalDay(at_ms)), std::move(title), std::move(reason)};
}

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

// A text column's value in place ("" for NULL): the query reads ten columns
// of many rows, and Row::Text copies each.
std::string_view TextOf(const db::Row& r, std::size_t i) {
  if (const auto* s = std::get_if<std::string>(&r.at(i))) return *s;
  return {};
}

// An event the platform recorded, rebuilt from its row and written straight
// into `out` (keys in nlohmann's sorted order): the query answers many of
// these, and a JSON tree per event would cost more than the database read.
void WritePlatformEvent(const db::Row& r, std::string_view base, std::string& out, std::string& place) {
  http::JsonWriter w(out);
  const std::string_view commune = TextOf(r, 6);
  place.clear();
  if (!commune.empty()) {
    place += base;
    place += "/dia-ban/";
    place += commune;
  }
  w.BeginObject().Key("action").String(TextOf(r, 3));
  if (!place.empty()) w.Key("bizLocation").BeginObject().Key("id").String(place).EndObject();
  w.Key("bizStep").String(TextOf(r, 4));
  if (const std::string_view disposition = TextOf(r, 5); !disposition.empty())
    w.Key("disposition").String(disposition);
  w.Key("epcList").BeginArray().EndArray();
  w.Key("eventTime").String(timefmt::Rfc3339(r.Int(2)));
  w.Key("eventTimeZoneOffset").String(kVietnamOffset);
  w.Key("quantityList").BeginArray().BeginObject().Key("epcClass");
  {
    // base + lot path, without building the URI apart.
    std::string epc_class;
    epc_class.reserve(base.size() + TextOf(r, 1).size());
    epc_class += base;
    epc_class += TextOf(r, 1);
    w.String(epc_class);
  }
  if (!r.IsNull(9)) w.Key("quantity").Int(r.Int(9));
  w.EndObject().EndArray();
  if (!place.empty()) w.Key("readPoint").BeginObject().Key("id").String(place).EndObject();
  w.Key("type").String("ObjectEvent").EndObject();
}

std::vector<std::string> BizStepKeys(const std::vector<std::string>& steps) {
  std::vector<std::string> keys;
  for (const auto& s : steps) keys.push_back(BareBizStep(s));
  return keys;
}

}  // namespace

std::string LotClassPath(const Lot& lot) {
  if (lot.gtin14) return "/01/" + *lot.gtin14 + "/10/" + gs1::EncodePathSegment(lot.code);
  return "/truy-xuat/" + lot.public_code;
}

Status RecordPlatformEvent(db::Connection& c, const Lot& lot, const PlatformEvent& e) {
  TRY_ASSIGN(
      std::int64_t id,
      c.QueryInt("INSERT INTO trace_epcis_events (seller_id, lot_id, lot_path, event_time, action, biz_step, "
                 "disposition, commune_code, quantity, source, event, reason, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'platform', '', ?, ?) RETURNING id",
                 {lot.seller_id, lot.id, LotClassPath(lot), e.at_ms, e.action, e.biz_step, e.disposition,
                  e.at_origin ? lot.origin_commune_code : std::string(),
                  e.quantity ? db::Value(*e.quantity) : db::Value(std::monostate{}), e.reason, e.at_ms}));
  // A decision shows on the lot's page: its next scan reads the lines.
  if (IsDecision(e.biz_step))
    TRY(c.Exec("UPDATE trace_lots SET timeline_version = ? WHERE id = ?", {id, lot.id}));
  return Ok{};
}

EpcisService::EpcisService(TraceService& trace, std::string base_url)
    : trace_(trace), base_url_(TrimmedBase(std::move(base_url))) {}

Result<std::optional<Lot>> EpcisService::LotOfUri(const std::string& uri) {
  const auto parsed = ParseLotUri(base_url_, uri);
  if (!parsed) return std::optional<Lot>{};
  if (!parsed->public_code.empty()) return trace_.FindLotByPublicCode(parsed->public_code);
  return trace_.FindLotByGtin(parsed->gtin14, parsed->lot_code);
}

Result<std::int64_t> EpcisService::Capture(const Principal* principal, const json& doc) {
  if (principal == nullptr) return Error::Unauthorized();
  CaptureCheck check = CheckCaptureDocument(doc);
  std::vector<FieldError>& errors = check.errors;
  if (check.not_epcis) {
    std::string detail = "the document is not an EPCIS 2.0 EPCISDocument";
    if (!errors.empty() && errors.front().field == "type") detail = "type: must be EPCISDocument";
    return Error::Invalid(std::move(detail), std::move(errors));
  }
  const json& list = doc["epcisBody"]["eventList"];
  struct Row {
    std::size_t event;
    Lot lot;
  };
  std::vector<Row> rows;
  for (const CheckedEvent& event : check.events) {
    std::vector<std::int64_t> seen;
    for (const NamedLot& named : event.lots) {
      TRY_ASSIGN(auto lot, LotOfUri(named.uri));
      if (!lot) {
        errors.push_back(
            {named.field,
             "is not a lot of this platform ({base}/01/{gtin14}/10/{lot} or {base}/truy-xuat/{code})"});
      } else if (!trace_.shops().CanManage(principal, lot->seller_id)) {
        // Another shop's lot: refused without saying whose it is.
        errors.push_back({named.field, "is not a lot of a shop you manage"});
      } else if (std::find(seen.begin(), seen.end(), lot->id) == seen.end()) {
        seen.push_back(lot->id);
        rows.push_back({event.index, std::move(*lot)});
      }
    }
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const std::int64_t now = trace_.clock().NowMs();
  return trace_.db().Write([&](db::Connection& c) -> Result<std::int64_t> {
    for (const auto& r : rows) {
      const json& e = list[r.event];
      TRY(c.Exec(
          "INSERT INTO trace_epcis_events (seller_id, lot_id, lot_path, event_time, action, biz_step, "
          "disposition, commune_code, source, event, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, '', 'capture', ?, ?)",
          {r.lot.seller_id, r.lot.id, LotClassPath(r.lot), *ParseRfc3339(e["eventTime"].get<std::string>()),
           e["action"].get<std::string>(), BareBizStep(e.value("bizStep", std::string())),
           e.value("disposition", std::string()), e.dump(), now}));
    }
    // The lots' newest event shown on their pages, which they read their lines by.
    for (const auto& r : rows) {
      TRY(
          c.Exec("UPDATE trace_lots SET timeline_version = (SELECT MAX(e.id) FROM trace_epcis_events e "
                 "WHERE e.lot_id = trace_lots.id AND " +
                     std::string(kTimelineEventsWhere) + ") WHERE id = ?",
                 {r.lot.id}));
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
      if (auto serial = path.find("/21/"); path.rfind("/01/", 0) == 0 && serial != std::string::npos)
        path.resize(serial);
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
    return c.Query(
        "SELECT id, lot_path, event_time, action, biz_step, disposition, commune_code, source, event, "
        "quantity "
        "FROM trace_epcis_events WHERE " +
            where + " ORDER BY id LIMIT ?",
        params);
  }));
  EpcisPage page;
  std::string& out = page.document;
  out.reserve(256 + rows.size() * 420);
  out += R"({"@context":[")";
  out += kContext;
  out += R"("],"creationDate":")";
  out += timefmt::Rfc3339(trace_.clock().NowMs());
  out += R"(","epcisBody":{"queryResults":{"queryName":"SimpleEventQuery","resultsBody":{"eventList":[)";
  std::string place;  // reused by every event
  for (std::size_t i = 0; i < rows.size() && static_cast<std::int64_t>(i) < q.per_page; ++i) {
    const db::Row& r = rows[i];
    if (i > 0) out += ',';
    if (TextOf(r, 7) == "capture") {
      out += TextOf(r, 8);  // the event as captured: checked, then stored as nlohmann's dump()
    } else {
      WritePlatformEvent(r, base_url_, out, place);
    }
    page.next_after_id = r.Int(0);
  }
  if (static_cast<std::int64_t>(rows.size()) <= q.per_page) page.next_after_id.reset();
  out += R"(]}}},"schemaVersion":"2.0","type":"EPCISQueryDocument"})";
  return page;
}

Result<RecordedLines> EpcisService::RecordedTimeline(db::Connection& c, std::int64_t lot_id) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT event_time, biz_step, disposition, id, source, quantity, reason "
                     "FROM trace_epcis_events WHERE lot_id = ? AND " +
                         std::string(kTimelineEventsWhere) + " ORDER BY event_time DESC, id DESC LIMIT ?",
                     {lot_id, kMaxTimelineEvents}));
  RecordedLines out;
  out.lines.reserve(rows.size());
  for (std::size_t i = rows.size(); i-- > 0;) {
    const db::Row& r = rows[i];
    out.version = std::max(out.version, r.Int(3));
    if (r.Text(4) == "platform") {
      out.lines.push_back(DecisionLine(r.Int(0), r.Text(1), r.Text(2),
                                       r.IsNull(5) ? std::nullopt : std::optional<std::int64_t>(r.Int(5)),
                                       r.Text(6)));
      continue;
    }
    std::string detail = r.Text(2);
    if (detail.rfind(kCbvDisposition, 0) == 0)
      detail = detail.substr(std::string_view(kCbvDisposition).size());
    const std::string step = r.Text(1).empty() ? "sự kiện" : r.Text(1);
    out.lines.push_back({timefmt::IsoDate(timefmt::LocalDay(r.Int(0))), "EPCIS: " + step, detail});
  }
  return out;
}

Result<std::vector<TimelineEvent>> EpcisService::RecordedTimeline(std::int64_t lot_id) {
  TRY_ASSIGN(RecordedLines recorded,
             trace_.db().Read([&](db::Connection& c) { return RecordedTimeline(c, lot_id); }));
  return std::move(recorded.lines);
}

}  // namespace nongsan::trace
