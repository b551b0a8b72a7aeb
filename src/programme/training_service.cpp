#include "programme/training_service.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <set>

#include "core/phone.hpp"
#include "core/text.hpp"
#include "programme/programme_service.hpp"
#include "programme/rollups.hpp"
#include "quality/officer_scope.hpp"

namespace nongsan::programme {
namespace {

using nlohmann::json;

// A day after any training ("no upper bound" for the list's range).
constexpr std::int64_t kNoLastDay = 1'000'000'000;

// "held_day.id" as List hands it out.
std::optional<std::pair<std::int64_t, std::int64_t>> ParseCursor(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::int64_t day = 0;
  std::int64_t id = 0;
  const char* end = text.data() + text.size();
  auto [p1, e1] = std::from_chars(text.data(), text.data() + dot, day);
  auto [p2, e2] = std::from_chars(text.data() + dot + 1, end, id);
  if (e1 != std::errc() || p1 != text.data() + dot || e2 != std::errc() || p2 != end || id <= 0 || day < 0) {
    return std::nullopt;
  }
  return std::pair{day, id};
}

constexpr std::array<std::string_view, 6> kKinds = {"livestream", "ecommerce",    "packaging",
                                                    "quality",    "traceability", "other"};

}  // namespace

bool IsTrainingKind(const std::string& kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

TrainingService::TrainingService(db::Database& db, const Clock& clock, const AreaPort& areas,
                                 PeoplePort& people)
    : db_(db), clock_(clock), areas_(areas), people_(people) {}

Result<json> TrainingService::Create(const Principal* principal, const TrainingInput& input) {
  TRY(quality::RequireSignedIn(principal));
  if (!quality::IsOfficer(*principal)) {
    return Error::Forbidden("Only a commune officer or the province administration records trainings.");
  }
  std::vector<FieldError> bad;
  const std::string title = text::Trim(text::ToNfc(input.title));
  const std::string trainer = text::Trim(text::ToNfc(input.trainer));
  if (title.empty()) bad.push_back({"title", "is required"});
  if (text::CodePointCount(title) > kMaxTrainingTitleChars) bad.push_back({"title", "too long"});
  if (text::CodePointCount(trainer) > kMaxTrainerChars) bad.push_back({"trainer", "too long"});
  if (!IsTrainingKind(input.kind)) {
    bad.push_back({"kind", "must be livestream, ecommerce, packaging, quality, traceability or other"});
  }
  const auto held = timefmt::ParseIsoDate(input.held_on);
  if (!held) bad.push_back({"held_on", "must be a date YYYY-MM-DD"});
  const bool commune = areas_.IsCommune(input.commune_code);
  if (!commune) bad.push_back({"commune_code", "not a current commune code"});
  if (input.attendees.empty()) bad.push_back({"attendees", "list at least one attendee's phone"});
  if (input.attendees.size() > kMaxAttendees) {
    bad.push_back({"attendees", "at most " + std::to_string(kMaxAttendees) + " per training"});
  }
  std::set<std::string> phones;  // one attendance per person per training
  for (std::size_t i = 0; i < input.attendees.size() && i < kMaxAttendees; ++i) {
    auto canonical = phone::Normalize(input.attendees[i]);
    if (!canonical) {
      bad.push_back({"attendees[" + std::to_string(i) + "]", "not a Vietnamese mobile number"});
      continue;
    }
    phones.insert(*canonical);
  }
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  if (!quality::CoversCommune(*principal, areas_, input.commune_code)) {
    return Error::Forbidden("This commune is outside your area.");
  }
  // Accounts are looked up before the write transaction (the port reads).
  std::vector<std::pair<std::string, std::optional<std::int64_t>>> attendees;
  for (const std::string& p : phones) {
    TRY_ASSIGN(auto user_id, people_.UserIdByPhone(p));
    attendees.emplace_back(p, user_id);
  }
  const std::string province = areas_.ProvinceOf(input.commune_code).value_or("");
  const std::int64_t now = clock_.NowMs();
  std::int64_t new_people = 0;
  TRY_ASSIGN(std::int64_t id, db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    new_people = 0;
    TRY_ASSIGN(
        std::int64_t training_id,
        c.QueryInt(
            "INSERT INTO programme_trainings (title, kind, held_day, commune_code, province_code, "
            "trainer, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {title, input.kind, *held, input.commune_code, province, trainer, principal->user_id, now}));
    for (const auto& [p, user_id] : attendees) {
      TRY(c.Exec("INSERT INTO programme_training_attendees (training_id, phone, user_id) VALUES (?, ?, ?)",
                 {training_id, p, user_id ? db::Value{*user_id} : db::Value{}}));
      TRY_ASSIGN(std::int64_t first,
                 c.Exec("INSERT INTO programme_trained_people (province_code, phone, first_training_id) "
                        "VALUES (?, ?, ?) ON CONFLICT (province_code, phone) DO NOTHING",
                        {province, p, training_id}));
      new_people += first;
    }
    TRY(AddToRollups(c, {{input.commune_code, Metric::kTrainingAttendances, *held,
                          static_cast<std::int64_t>(attendees.size())},
                         {input.commune_code, Metric::kPeopleTrained, *held, new_people}}));
    return training_id;
  }));
  json list = json::array();
  for (const auto& [p, user_id] : attendees) {
    list.push_back({{"phone", p}, {"user_id", user_id ? json(*user_id) : json(nullptr)}});
  }
  return json{{"id", id},
              {"title", title},
              {"kind", input.kind},
              {"held_on", timefmt::IsoDate(*held)},
              {"commune_code", input.commune_code},
              {"commune_name", areas_.UnitName(input.commune_code)},
              {"trainer", trainer},
              {"attendees", std::move(list)},
              {"attendances", attendees.size()},
              {"people_new", new_people}};
}

Result<json> TrainingService::List(const Principal* principal, const TrainingQuery& query) {
  TRY(quality::RequireSignedIn(principal));
  if (!quality::IsOfficer(*principal)) return Error::Forbidden("Trainings are listed for officials.");
  std::vector<FieldError> bad;
  if (!query.commune_code.empty() && !areas_.IsCommune(query.commune_code)) {
    bad.push_back({"commune_code", "not a current commune code"});
  }
  const auto from = query.from.empty() ? std::optional<std::int64_t>(0) : timefmt::ParseIsoDate(query.from);
  const auto to =
      query.to.empty() ? std::optional<std::int64_t>(kNoLastDay) : timefmt::ParseIsoDate(query.to);
  if (!from) bad.push_back({"from", "must be a date YYYY-MM-DD"});
  if (!to) bad.push_back({"to", "must be a date YYYY-MM-DD"});
  if (from && to && *from > *to) bad.push_back({"from", "must not be after to"});
  if (query.limit < 1 || query.limit > kMaxListedTrainings) {
    bad.push_back({"limit", "must be 1 to " + std::to_string(kMaxListedTrainings)});
  }
  const auto after = query.cursor.empty() ? std::optional<std::pair<std::int64_t, std::int64_t>>(
                                                std::pair<std::int64_t, std::int64_t>{kNoLastDay, 0})
                                          : ParseCursor(query.cursor);
  if (!after) bad.push_back({"cursor", "not a cursor this endpoint gave out"});
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  if (!query.commune_code.empty() && !quality::CoversCommune(*principal, areas_, query.commune_code)) {
    return Error::Forbidden("This commune is outside your area.");
  }

  // The officer's area: one commune, or the communes of their grants and the
  // provinces they administer.
  std::string where;
  db::Params params;
  if (!query.commune_code.empty()) {
    where = "t.commune_code = ?";
    params.push_back(query.commune_code);
  } else {
    for (const Grant& g : principal->grants) {
      if (g.role != Role::kCommuneOfficer && g.role != Role::kProvinceAdmin) continue;
      where += where.empty() ? "(" : " OR ";
      where += g.role == Role::kCommuneOfficer ? "t.commune_code = ?" : "t.province_code = ?";
      params.push_back(g.scope);
    }
    where += ")";
  }
  // Newest first; the cursor is the (held_day, id) of the last row shown.
  where += " AND t.held_day >= ? AND t.held_day <= ? AND (t.held_day < ? OR (t.held_day = ? AND t.id < ?))";
  params.insert(params.end(),
                {*from, *to, after->first, after->first,
                 after->second == 0 ? std::numeric_limits<std::int64_t>::max() : after->second});
  params.push_back(std::int64_t{query.limit + 1});
  TRY_ASSIGN(auto rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT t.id, t.title, t.kind, t.held_day, t.trainer, t.commune_code, "
        "(SELECT COUNT(*) FROM programme_training_attendees a WHERE a.training_id = t.id) "
        "FROM programme_trainings t WHERE " +
            where + " ORDER BY t.held_day DESC, t.id DESC LIMIT ?",
        params);
  }));
  json items = json::array();
  json next = nullptr;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (static_cast<int>(i) == query.limit) {
      const auto& last = rows[i - 1];
      next = std::to_string(last.Int(3)) + "." + std::to_string(last.Int(0));
      break;
    }
    items.push_back({{"id", r.Int(0)},
                     {"title", r.Text(1)},
                     {"kind", r.Text(2)},
                     {"held_on", timefmt::IsoDate(r.Int(3))},
                     {"trainer", r.Text(4)},
                     {"commune_code", r.Text(5)},
                     {"commune_name", areas_.UnitName(r.Text(5))},
                     {"attendances", r.Int(6)}});
  }
  return json{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

Result<json> TrainingService::ListForCommune(const Principal& officer, const std::string& commune_code,
                                             int limit) {
  TrainingQuery query;
  query.commune_code = commune_code;
  query.limit = std::clamp(limit, 1, kMaxListedTrainings);
  TRY_ASSIGN(json page, List(&officer, query));
  return std::move(page["items"]);
}

}  // namespace nongsan::programme
