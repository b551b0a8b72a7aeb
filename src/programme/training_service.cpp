#include "programme/training_service.hpp"

#include "core/phone.hpp"
#include "core/text.hpp"
#include "programme/programme_service.hpp"
#include "programme/rollups.hpp"
#include "quality/officer_scope.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

namespace nongsan::programme {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kKinds = {"livestream", "ecommerce",    "packaging",
                                                    "quality",    "traceability", "other"};

}  // namespace

bool IsTrainingKind(const std::string& kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

TrainingService::TrainingService(db::Database& db, const Clock& clock, const AreaPort& areas, PeoplePort& people)
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
    TRY_ASSIGN(std::int64_t training_id,
               c.QueryInt("INSERT INTO programme_trainings (title, kind, held_day, commune_code, province_code, "
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

Result<json> TrainingService::ListForCommune(const Principal& officer, const std::string& commune_code, int limit) {
  if (!quality::IsOfficer(officer) || !quality::CoversCommune(officer, areas_, commune_code)) {
    return Error::Forbidden("This commune is outside your area.");
  }
  TRY_ASSIGN(auto rows, db_.Read([&](db::Connection& c) {
    return c.Query("SELECT t.id, t.title, t.kind, t.held_day, t.trainer, COUNT(a.phone) FROM programme_trainings t "
                   "LEFT JOIN programme_training_attendees a ON a.training_id = t.id WHERE t.commune_code = ? "
                   "GROUP BY t.id, t.title, t.kind, t.held_day, t.trainer ORDER BY t.held_day DESC, t.id DESC LIMIT ?",
                   {commune_code, std::int64_t{std::clamp(limit, 1, kMaxListedTrainings)}});
  }));
  json items = json::array();
  for (const auto& r : rows) {
    items.push_back({{"id", r.Int(0)},
                     {"title", r.Text(1)},
                     {"kind", r.Text(2)},
                     {"held_on", timefmt::IsoDate(r.Int(3))},
                     {"trainer", r.Text(4)},
                     {"attendances", r.Int(5)}});
  }
  return items;
}

}  // namespace nongsan::programme
