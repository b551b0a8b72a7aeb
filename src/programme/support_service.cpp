#include "programme/support_service.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "programme/programme_service.hpp"
#include "programme/rollups.hpp"
#include "quality/officer_scope.hpp"

namespace nongsan::programme {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kKinds = {"trademark",  "gs1_barcode", "packaging_label",
                                                    "catalogue",  "website",     "ecommerce_onboarding",
                                                    "livestream", "training"};

constexpr const char* kColumns =
    "id, shop_id, commune_code, province_code, kind, note, status, assignee_id, outcome, outcome_recorded, "
    "reason, "
    "created_by, created_at, updated_at, closed_at";

bool IsOpenStatus(const std::string& s) { return s == "open" || s == "assigned" || s == "in_progress"; }

// Which moves the workflow allows (who may make them is checked apart).
bool Allowed(const std::string& from, const std::string& to) {
  if (to == "assigned") return from == "open" || from == "assigned";
  if (to == "in_progress") return from == "assigned";
  if (to == "done") return from == "in_progress";
  if (to == "declined") return IsOpenStatus(from);
  return false;
}

Principal PrincipalFrom(const Person& p) {
  Principal out;
  out.user_id = p.user_id;
  out.full_name = p.full_name;
  out.grants = p.grants;
  return out;
}

}  // namespace

struct SupportService::Row {
  std::int64_t id = 0;
  std::int64_t shop_id = 0;
  std::string commune_code;
  std::string province_code;
  std::string kind;
  std::string note;
  std::string status;
  std::optional<std::int64_t> assignee_id;
  std::string outcome;
  std::string outcome_recorded;
  std::string reason;
  std::int64_t created_by = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> closed_at;

  static Row From(const db::Row& r) {
    return {r.Int(0),  r.Int(1),  r.Text(2),  r.Text(3), r.Text(4), r.Text(5), r.Text(6),   r.OptInt(7),
            r.Text(8), r.Text(9), r.Text(10), r.Int(11), r.Int(12), r.Int(13), r.OptInt(14)};
  }
};

bool IsSupportKind(const std::string& kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

SupportService::SupportService(db::Database& db, const Clock& clock, ShopPort& shops, const AreaPort& areas,
                               PeoplePort& people, OutcomePort& outcomes)
    : db_(db), clock_(clock), shops_(shops), areas_(areas), people_(people), outcomes_(outcomes) {}

Result<SupportService::Side> SupportService::SideOf(const Principal& principal, std::int64_t shop_id,
                                                    const std::string& commune_code) {
  if (quality::IsOfficer(principal) && quality::CoversCommune(principal, areas_, commune_code))
    return Side::kOfficer;
  TRY_ASSIGN(bool manages, shops_.CanManage(&principal, shop_id));
  return manages ? Side::kShop : Side::kNone;
}

Result<std::optional<SupportService::Row>> SupportService::Load(std::int64_t id) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<Row>> {
    TRY_ASSIGN(auto row,
               c.QueryOne(std::string("SELECT ") + kColumns + " FROM programme_support_requests WHERE id = ?",
                          {id}));
    if (!row) return std::optional<Row>();
    return std::optional<Row>(Row::From(*row));
  });
}

json SupportService::View(const Row& r) const {
  const std::int64_t end = r.closed_at.value_or(clock_.NowMs());
  return {{"id", r.id},
          {"shop_id", r.shop_id},
          {"commune_code", r.commune_code},
          {"commune_name", areas_.UnitName(r.commune_code)},
          {"kind", r.kind},
          {"note", r.note},
          {"status", r.status},
          {"assignee_id", r.assignee_id ? json(*r.assignee_id) : json(nullptr)},
          {"outcome", r.outcome.empty() ? json(nullptr) : json(r.outcome)},
          {"outcome_recorded_in", r.outcome_recorded.empty() ? json(nullptr) : json(r.outcome_recorded)},
          {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
          {"created_at", timefmt::Rfc3339(r.created_at)},
          {"updated_at", timefmt::Rfc3339(r.updated_at)},
          {"closed_at", r.closed_at ? json(timefmt::Rfc3339(*r.closed_at)) : json(nullptr)},
          {"age_days", (end - r.created_at) / kMsPerDay}};
}

Result<json> SupportService::Create(const Principal* principal, const SupportRequestInput& input) {
  TRY(quality::RequireSignedIn(principal));
  TRY_ASSIGN(auto shop, shops_.Find(input.shop_id));
  if (!shop) return Error::NotFound("shop");
  TRY_ASSIGN(Side side, SideOf(*principal, shop->id, shop->commune_code));
  if (side == Side::kNone) return Error::NotFound("shop");
  std::vector<FieldError> bad;
  if (!IsSupportKind(input.kind)) {
    bad.push_back({"kind",
                   "must be trademark, gs1_barcode, packaging_label, catalogue, website, "
                   "ecommerce_onboarding, livestream or training"});
  }
  const std::string note = text::Trim(text::ToNfc(input.note));
  if (text::CodePointCount(note) > kMaxSupportNoteChars) {
    bad.push_back({"note", "at most " + std::to_string(kMaxSupportNoteChars) + " characters"});
  }
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  const auto province = areas_.ProvinceOf(shop->commune_code).value_or("");
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(std::int64_t id, db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(
        std::int64_t new_id,
        c.QueryInt(
            "INSERT INTO programme_support_requests (shop_id, commune_code, province_code, kind, note, "
            "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?) "
            "RETURNING id",
            {shop->id, shop->commune_code, province, input.kind, note, principal->user_id, now, now}));
    TRY(c.Exec(
        "INSERT INTO programme_support_transitions (request_id, from_status, to_status, actor_id, note, at) "
        "VALUES (?, '', 'open', ?, '', ?)",
        {new_id, principal->user_id, now}));
    return new_id;
  }));
  TRY_ASSIGN(auto row, Load(id));
  json view = View(*row);
  view["shop_name"] = shop->name;
  return view;
}

Result<json> SupportService::Get(const Principal* principal, std::int64_t id) {
  TRY(quality::RequireSignedIn(principal));
  TRY_ASSIGN(auto row, Load(id));
  if (!row) return Error::NotFound("support request");
  TRY_ASSIGN(Side side, SideOf(*principal, row->shop_id, row->commune_code));
  if (side == Side::kNone) return Error::NotFound("support request");
  json view = View(*row);
  TRY_ASSIGN(auto history, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT from_status, to_status, actor_id, note, at FROM programme_support_transitions "
        "WHERE request_id = ? ORDER BY at, to_status",
        {id});
  }));
  view["history"] = json::array();
  for (const auto& h : history) {
    view["history"].push_back({{"from", h.Text(0).empty() ? json(nullptr) : json(h.Text(0))},
                               {"to", h.Text(1)},
                               {"actor_id", h.Int(2)},
                               {"note", h.Text(3)},
                               {"at", timefmt::Rfc3339(h.Int(4))}});
  }
  return view;
}

Result<json> SupportService::Transition(const Principal* principal, std::int64_t id,
                                        const SupportTransitionInput& input) {
  TRY(quality::RequireSignedIn(principal));
  TRY_ASSIGN(auto row, Load(id));
  if (!row) return Error::NotFound("support request");
  TRY_ASSIGN(Side side, SideOf(*principal, row->shop_id, row->commune_code));
  if (side == Side::kNone) return Error::NotFound("support request");
  if (side == Side::kShop)
    return Error::Forbidden("Only an officer of the shop's area moves a support request.");

  std::vector<FieldError> bad;
  const std::string to = input.to;
  if (to != "assigned" && to != "in_progress" && to != "done" && to != "declined") {
    bad.push_back({"to", "must be assigned, in_progress, done or declined"});
  }
  const std::string outcome = text::Trim(text::ToNfc(input.outcome));
  const std::string reason = text::Trim(text::ToNfc(input.reason));
  if (text::CodePointCount(outcome) > kMaxOutcomeChars) bad.push_back({"outcome", "too long"});
  if (text::CodePointCount(reason) > kMaxSupportReasonChars) bad.push_back({"reason", "too long"});
  std::optional<std::int64_t> assignee = row->assignee_id;
  if (to == "assigned") {
    if (!input.assignee_id) {
      bad.push_back({"assignee_id", "is required to assign"});
    } else {
      TRY_ASSIGN(auto person, people_.Get(*input.assignee_id));
      const bool covers = person && quality::IsOfficer(PrincipalFrom(*person)) &&
                          quality::CoversCommune(PrincipalFrom(*person), areas_, row->commune_code);
      if (!covers) bad.push_back({"assignee_id", "not an officer of the shop's commune or province"});
      assignee = input.assignee_id;
    }
  }
  if (to == "declined" && reason.empty()) bad.push_back({"reason", "say why the request is declined"});
  if (to == "done") {
    if (row->kind == "gs1_barcode" && outcome.empty())
      bad.push_back({"outcome", "the GS1 company prefix issued"});
    if (row->kind == "trademark" && outcome.empty())
      bad.push_back({"outcome", "the trademark application number"});
    if (row->kind == "website" && outcome.rfind("https://", 0) != 0 && outcome.rfind("http://", 0) != 0) {
      bad.push_back({"outcome", "the website address (http:// or https://)"});
    }
  }
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  if (!Allowed(row->status, to)) {
    return Error::Conflict("invalid_transition",
                           "A request that is " + row->status + " cannot move to " + to + ".");
  }

  // The outcome goes where it is data before the request closes: a refused
  // prefix leaves the request as it was.
  std::string recorded;
  if (to == "done" && row->kind == "gs1_barcode") {
    if (Status st = outcomes_.RecordGs1Prefix(*principal, row->shop_id, outcome); !st.ok()) {
      if (st.error().code == ErrorCode::kInternal || st.error().code == ErrorCode::kUnavailable)
        return st.error();
      return FieldsRefused({{"outcome", "the traceability module refused the prefix: " + st.error().detail}});
    }
    recorded = "trace.gs1_prefix";
  }
  bool cooperative = false;
  if (to == "done") {
    TRY_ASSIGN(auto shop, shops_.Find(row->shop_id));
    cooperative = shop && shop->cooperative;
  }
  const std::int64_t now = clock_.NowMs();
  TRY(db_.Write([&](db::Connection& c) -> Status {
    const bool closes = to == "done" || to == "declined";
    TRY_ASSIGN(
        std::int64_t changed,
        c.Exec("UPDATE programme_support_requests SET status = ?, assignee_id = ?, outcome = ?, "
               "outcome_recorded = ?, reason = ?, updated_at = ?, closed_at = ? WHERE id = ? AND status = ?",
               {to, assignee ? db::Value{*assignee} : db::Value{}, to == "done" ? outcome : row->outcome,
                recorded.empty() ? row->outcome_recorded : recorded, to == "declined" ? reason : row->reason,
                now, closes ? db::Value{now} : db::Value{}, id, row->status}));
    // Someone else moved it meanwhile.
    if (changed == 0)
      return Error::Conflict("invalid_transition", "The request changed meanwhile; reload it.");
    TRY(c.Exec(
        "INSERT INTO programme_support_transitions (request_id, from_status, to_status, actor_id, note, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {id, row->status, to, principal->user_id, to == "declined" ? reason : outcome, now}));
    if (to != "done") return Ok{};
    const std::int64_t day = timefmt::LocalDay(now);
    std::vector<RollupDelta> deltas = {{row->commune_code, Metric::kSupportRequestsDone, day, 1}};
    if (cooperative) {
      TRY_ASSIGN(std::int64_t first,
                 c.Exec("INSERT INTO programme_supported_shops (shop_id, first_done_at) VALUES (?, ?) "
                        "ON CONFLICT (shop_id) DO NOTHING",
                        {row->shop_id, now}));
      if (first == 1) deltas.push_back({row->commune_code, Metric::kCooperativesSupported, day, 1});
    }
    return AddToRollups(c, deltas);
  }));
  return Get(principal, id);
}

Result<json> SupportService::List(const Principal* principal, const SupportQuery& query) {
  TRY(quality::RequireSignedIn(principal));
  if (!query.status.empty() && query.status != "open" && query.status != "assigned" &&
      query.status != "in_progress" && query.status != "done" && query.status != "declined") {
    return FieldsRefused({{"status", "must be open, assigned, in_progress, done or declined"}});
  }
  const int limit = std::clamp(query.limit, 1, kMaxSupportPage);
  std::string where;
  db::Params params;
  std::string order = " ORDER BY created_at, id";
  if (query.shop_id) {
    TRY_ASSIGN(auto shop, shops_.Find(*query.shop_id));
    if (!shop) return Error::NotFound("shop");
    TRY_ASSIGN(Side side, SideOf(*principal, shop->id, shop->commune_code));
    if (side == Side::kNone) return Error::NotFound("shop");
    where = "shop_id = ?";
    params.push_back(*query.shop_id);
    order = " ORDER BY id DESC";
  } else {
    if (!quality::IsOfficer(*principal)) {
      return FieldsRefused({{"shop_id", "name your shop (the area's queue is for officers)"}});
    }
    // The officer's area: the communes of their grants and the provinces they administer.
    std::string area;
    for (const Grant& g : principal->grants) {
      if (g.role != Role::kCommuneOfficer && g.role != Role::kProvinceAdmin) continue;
      if (!area.empty()) area += " OR ";
      area += g.role == Role::kCommuneOfficer ? "commune_code = ?" : "province_code = ?";
      params.push_back(g.scope);
    }
    where = "(" + area + ")";
  }
  if (query.status.empty() && !query.shop_id) {
    where += " AND status IN ('open', 'assigned', 'in_progress')";
  } else if (!query.status.empty()) {
    where += " AND status = ?";
    params.push_back(query.status);
  }
  params.push_back(std::int64_t{limit});
  TRY_ASSIGN(auto rows, db_.Read([&](db::Connection& c) {
    return c.Query(std::string("SELECT ") + kColumns + " FROM programme_support_requests WHERE " + where +
                       order + " LIMIT ?",
                   params);
  }));
  json items = json::array();
  for (const auto& r : rows) items.push_back(View(Row::From(r)));
  return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

Result<json> SupportService::ListForCommune(const Principal& officer, const std::string& commune_code,
                                            int limit) {
  if (!quality::IsOfficer(officer) || !quality::CoversCommune(officer, areas_, commune_code)) {
    return Error::Forbidden("This commune is outside your area.");
  }
  TRY_ASSIGN(auto rows, db_.Read([&](db::Connection& c) {
    return c.Query(std::string("SELECT ") + kColumns +
                       " FROM programme_support_requests WHERE commune_code = ? ORDER BY id DESC LIMIT ?",
                   {commune_code, std::int64_t{std::clamp(limit, 1, kMaxSupportPage)}});
  }));
  json items = json::array();
  for (const auto& r : rows) items.push_back(View(Row::From(r)));
  return items;
}

}  // namespace nongsan::programme
