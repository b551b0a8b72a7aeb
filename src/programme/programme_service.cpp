#include "programme/programme_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/field_errors.hpp"
#include "core/text.hpp"
#include "programme/levels.hpp"
#include "programme/rollups.hpp"
#include "programme/snapshots.hpp"
#include "quality/officer_scope.hpp"

namespace nongsan::programme {
namespace {

using nlohmann::json;

constexpr const char* kProgrammeColumns = "id, name, province_code, starts_day, ends_day, created_at";

Programme ProgrammeFromRow(const db::Row& r) {
  return {r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5)};
}

// Months (yyyymm) from the month of from_day to that of to_day.
std::vector<std::int64_t> MonthsBetween(std::int64_t from_day, std::int64_t to_day) {
  std::vector<std::int64_t> out;
  std::int64_t m = MonthOfDay(from_day);
  const std::int64_t last = MonthOfDay(to_day);
  while (m <= last) {
    out.push_back(m);
    m = (m % 100 == 12) ? (m / 100 + 1) * 100 + 1 : m + 1;
  }
  return out;
}

std::string MonthText(std::int64_t yyyymm) {
  const std::int64_t month = yyyymm % 100;
  return std::to_string(yyyymm / 100) + (month < 10 ? "-0" : "-") + std::to_string(month);
}

}  // namespace

Error FieldsRefused(std::vector<FieldError> fields) { return UnprocessableFields(std::move(fields)); }

ProgrammeService::ProgrammeService(db::Database& db, const Clock& clock, const AreaPort& areas,
                                   LivestreamPort& livestreams, OnboardingPort& onboarding,
                                   CertificationPort& certifications, CertifiedToday& certified_today)
    : db_(db),
      clock_(clock),
      areas_(areas),
      livestreams_(livestreams),
      onboarding_(onboarding),
      certifications_(certifications),
      certified_today_(certified_today) {}

bool ProgrammeService::IsAdminOf(const Principal& principal, const Programme& p) const {
  return principal.Has(Role::kProvinceAdmin, p.province_code);
}

Result<Programme> ProgrammeService::Create(const Principal* principal, const ProgrammeInput& input) {
  TRY(quality::RequireSignedIn(principal));
  if (!principal->Has(Role::kProvinceAdmin)) {
    return Error::Forbidden("Only the province administration may create a programme.");
  }
  std::vector<FieldError> bad;
  const std::string name = text::Trim(text::ToNfc(input.name));
  if (name.empty()) bad.push_back({"name", "is required"});
  if (text::CodePointCount(name) > kMaxProgrammeNameChars) {
    bad.push_back({"name", "at most " + std::to_string(kMaxProgrammeNameChars) + " characters"});
  }
  if (!areas_.IsProvince(input.province_code))
    bad.push_back({"province_code", "not a current province code"});
  const auto starts = timefmt::ParseIsoDate(input.starts_on);
  const auto ends = timefmt::ParseIsoDate(input.ends_on);
  if (!starts) bad.push_back({"starts_on", "must be a date YYYY-MM-DD"});
  if (!ends) bad.push_back({"ends_on", "must be a date YYYY-MM-DD"});
  if (starts && ends && *starts > *ends) bad.push_back({"ends_on", "must not be before starts_on"});
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  if (!principal->Has(Role::kProvinceAdmin, input.province_code)) {
    return Error::Forbidden("Only the administration of this province may create its programme.");
  }
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(std::int64_t id, db_.Write([&](db::Connection& c) {
    return c.QueryInt(
        "INSERT INTO programme_programmes (name, province_code, starts_day, ends_day, created_by, "
        "created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {name, input.province_code, *starts, *ends, principal->user_id, now, now});
  }));
  return Programme{id, name, input.province_code, *starts, *ends, now};
}

Result<std::optional<Programme>> ProgrammeService::Load(std::int64_t id) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<Programme>> {
    TRY_ASSIGN(auto row, c.QueryOne(std::string("SELECT ") + kProgrammeColumns +
                                        " FROM programme_programmes WHERE id = ?",
                                    {id}));
    if (!row) return std::optional<Programme>();
    return std::optional<Programme>(ProgrammeFromRow(*row));
  });
}

bool ProgrammeService::Sees(const Principal& principal, const Programme& p) const {
  if (IsAdminOf(principal, p)) return true;
  for (const Grant& g : principal.grants) {
    if (g.role == Role::kCommuneOfficer && areas_.ProvinceOf(g.scope) == p.province_code) return true;
  }
  return false;
}

Result<Programme> ProgrammeService::Get(const Principal* principal, std::int64_t id) {
  TRY(quality::RequireSignedIn(principal));
  TRY_ASSIGN(auto p, Load(id));
  if (!p || !Sees(*principal, *p)) return Error::NotFound("programme");
  return *p;
}

Result<std::vector<Programme>> ProgrammeService::ListVisible(const Principal* principal) {
  TRY_ASSIGN(auto rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        std::string("SELECT ") + kProgrammeColumns + " FROM programme_programmes ORDER BY id DESC LIMIT ?",
        {std::int64_t{kMaxListedProgrammes}});
  }));
  std::vector<Programme> out;
  for (const auto& r : rows) {
    Programme p = ProgrammeFromRow(r);
    if (principal == nullptr || Sees(*principal, p)) out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<TargetRow>> ProgrammeService::Targets(std::int64_t programme_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<TargetRow>> {
    TRY_ASSIGN(auto rows, c.Query("SELECT unit_code, metric, target FROM programme_targets "
                                  "WHERE programme_id = ? ORDER BY unit_code, metric",
                                  {programme_id}));
    std::vector<TargetRow> out;
    for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2)});
    return out;
  });
}

Result<std::vector<TargetRow>> ProgrammeService::SetTargets(const Principal* principal, std::int64_t id,
                                                            const std::vector<TargetRow>& rows) {
  TRY_ASSIGN(Programme p, Get(principal, id));
  if (!IsAdminOf(*principal, p)) {
    return Error::Forbidden("Only the administration of the programme's province may set its targets.");
  }
  std::vector<FieldError> bad;
  if (rows.size() > kMaxTargetRows) {
    bad.push_back({"targets", "at most " + std::to_string(kMaxTargetRows) + " rows"});
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < rows.size() && i < kMaxTargetRows; ++i) {
    const TargetRow& row = rows[i];
    const std::string at = "targets[" + std::to_string(i) + "].";
    const bool in_province =
        row.unit_code == p.province_code ||
        (areas_.IsCommune(row.unit_code) && areas_.ProvinceOf(row.unit_code) == p.province_code);
    if (!in_province)
      bad.push_back({at + "unit_code", "not the programme's province or one of its communes"});
    if (!ParseMetric(row.metric)) bad.push_back({at + "metric", "unknown metric"});
    if (row.target < 0) bad.push_back({at + "target", "must not be negative"});
    if (row.target > kMaxTarget) bad.push_back({at + "target", "too large"});
    if (!seen.insert({row.unit_code, row.metric}).second)
      bad.push_back({at + "metric", "given twice for this unit"});
  }
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  const std::int64_t now = clock_.NowMs();
  TRY(db_.Write([&](db::Connection& c) -> Status {
    TRY(c.Exec("DELETE FROM programme_targets WHERE programme_id = ?", {id}));
    for (const TargetRow& row : rows) {
      TRY(c.Exec(
          "INSERT INTO programme_targets (programme_id, unit_code, metric, target) VALUES (?, ?, ?, ?)",
          {id, row.unit_code, row.metric, row.target}));
    }
    TRY(c.Exec("UPDATE programme_programmes SET updated_at = ? WHERE id = ?", {now, id}));
    return Ok{};
  }));
  return Targets(id);
}

json ProgrammeService::ProgrammeJson(const Programme& p, const std::vector<TargetRow>& targets) const {
  json t = json::array();
  for (const TargetRow& row : targets) {
    t.push_back({{"unit_code", row.unit_code}, {"metric", row.metric}, {"target", row.target}});
  }
  return {{"id", p.id},
          {"name", p.name},
          {"province_code", p.province_code},
          {"province_name", areas_.UnitName(p.province_code)},
          {"starts_on", timefmt::IsoDate(p.starts_day)},
          {"ends_on", timefmt::IsoDate(p.ends_day)},
          {"targets", std::move(t)}};
}

Result<std::vector<ReportUnit>> ProgrammeService::UnitsFor(const Principal& principal, const Programme& p,
                                                           const MetricsQuery& query) {
  const bool admin = IsAdminOf(principal, p);
  if (!admin && query.level != "commune") {
    return Error::Forbidden("A commune officer sees the figures of their own communes (level=commune).");
  }
  std::vector<ReportUnit> units;
  if (query.level == "province") {
    ReportUnit u{p.province_code, areas_.UnitName(p.province_code), "province", {}};
    for (const UnitRef& c : areas_.Communes(p.province_code)) u.communes.push_back(c.code);
    if (!query.unit.empty() && query.unit != p.province_code) {
      return FieldsRefused({{"unit", "not the programme's province"}});
    }
    units.push_back(std::move(u));
  } else if (query.level == "district") {
    TRY_ASSIGN(auto districts, areas_.OldDistricts(p.province_code));
    for (OldDistrict& d : districts) {
      if (!query.unit.empty() && d.unit.code != query.unit) continue;
      units.push_back({d.unit.code, d.unit.name, "district", std::move(d.communes)});
    }
    if (!query.unit.empty() && units.empty()) {
      return FieldsRefused({{"unit", "not a pre-2025 district of the programme's province"}});
    }
  } else {
    if (!query.unit.empty() &&
        !(areas_.IsCommune(query.unit) && areas_.ProvinceOf(query.unit) == p.province_code)) {
      return FieldsRefused({{"unit", "not a commune of the programme's province"}});
    }
    for (const UnitRef& c : areas_.Communes(p.province_code)) {
      if (!query.unit.empty() && c.code != query.unit) continue;
      if (!admin && !quality::CoversCommune(principal, areas_, c.code)) continue;
      units.push_back({c.code, c.name, "commune", {c.code}});
    }
    if (!admin && !query.unit.empty() && units.empty()) {
      return Error::Forbidden("This commune is outside your area.");
    }
    if (admin && query.with_province_total && query.unit.empty()) {
      ReportUnit province{p.province_code, areas_.UnitName(p.province_code), "province", {}};
      for (const ReportUnit& u : units) province.communes.push_back(u.code);
      units.push_back(std::move(province));
    }
  }
  return units;
}

Result<json> ProgrammeService::Metrics(const Principal* principal, std::int64_t id,
                                       const MetricsQuery& query) {
  TRY_ASSIGN(std::vector<json> answers, MetricsAtLevels(principal, id, query, {query.level}));
  return std::move(answers.front());
}

Result<std::vector<json>> ProgrammeService::MetricsAtLevels(const Principal* principal, std::int64_t id,
                                                            const MetricsQuery& query,
                                                            const std::vector<std::string>& levels) {
  TRY_ASSIGN(Programme p, Get(principal, id));
  std::vector<FieldError> bad;
  for (const std::string& level : levels) {
    if (level != "province" && level != "district" && level != "commune") {
      bad.push_back({"level", "must be province, district or commune"});
    }
  }
  if (query.interval != "month") bad.push_back({"interval", "must be month"});
  const auto from = query.from.empty() ? std::optional(p.starts_day) : timefmt::ParseIsoDate(query.from);
  const auto to = query.to.empty() ? std::optional(p.ends_day) : timefmt::ParseIsoDate(query.to);
  if (!from) bad.push_back({"from", "must be a date YYYY-MM-DD"});
  if (!to) bad.push_back({"to", "must be a date YYYY-MM-DD"});
  if (from && to && *from > *to) bad.push_back({"from", "must not be after to"});
  if (from && to && *to - *from >= kMaxRangeDays) {
    bad.push_back({"to", "at most " + std::to_string(kMaxRangeDays) + " days after from"});
  }
  if (!bad.empty()) return FieldsRefused(std::move(bad));
  // Every level's units in one computation: the roll-ups and the levels
  // are read once, then the answer is cut back into one per level.
  std::vector<ReportUnit> units;
  std::vector<std::size_t> counts;
  for (const std::string& level : levels) {
    MetricsQuery at_level = query;
    at_level.level = level;
    TRY_ASSIGN(auto level_units, UnitsFor(*principal, p, at_level));
    counts.push_back(level_units.size());
    for (ReportUnit& u : level_units) units.push_back(std::move(u));
  }
  TRY_ASSIGN(json all, Compute(p, units, *from, *to));
  json all_units = std::move(all["units"]);
  std::vector<json> answers;
  std::size_t next = 0;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    json out = all;
    out["units"] = json::array();
    for (std::size_t n = 0; n < counts[i]; ++n) out["units"].push_back(std::move(all_units[next++]));
    out["level"] = levels[i];
    out["unit"] = query.unit.empty() ? json(nullptr) : json(query.unit);
    answers.push_back(std::move(out));
  }
  return answers;
}

Result<json> ProgrammeService::PublicFigures(std::int64_t id) {
  TRY_ASSIGN(auto p, Load(id));
  if (!p) return Error::NotFound("programme");
  ReportUnit province{p->province_code, areas_.UnitName(p->province_code), "province", {}};
  for (const UnitRef& c : areas_.Communes(p->province_code)) province.communes.push_back(c.code);
  const std::int64_t today = timefmt::LocalDay(clock_.NowMs());
  TRY_ASSIGN(json out,
             Compute(*p, {province}, p->starts_day, std::min(p->ends_day, std::max(today, p->starts_day))));
  out["level"] = "province";
  out["unit"] = nullptr;
  return out;
}

Result<json> ProgrammeService::Compute(const Programme& p, const std::vector<ReportUnit>& units,
                                       std::int64_t from_day, std::int64_t to_day) {
  const std::optional<std::int64_t> from = from_day;
  const std::optional<std::int64_t> to = to_day;
  // Every order committed before this point is counted: the journal's rows
  // go into the roll-ups first (one short write, nothing when it is empty).
  TRY(FoldOrderJournal(db_));
  TRY_ASSIGN(auto cells, db_.Read([&](db::Connection& c) { return SumRollups(c, *from, *to); }));
  TRY_ASSIGN(auto targets, Targets(p.id));

  // commune → metric → month → value
  std::map<std::string, std::map<std::string, std::map<std::int64_t, std::int64_t>>> by_commune;
  for (const RollupCell& cell : cells) by_commune[cell.commune_code][cell.metric][cell.month] += cell.value;
  TRY_ASSIGN(auto households, onboarding_.HouseholdsCreated(p.province_code, *from, *to));
  const std::string households_name(MetricName(Metric::kHouseholdsOnboarded));
  for (const CreatedCount& c : households) by_commune[c.commune_code][households_name][c.month] += c.count;
  // Livestream sessions of every unit's communes, once, by commune and month.
  std::vector<std::string> communes;
  for (const ReportUnit& unit : units)
    communes.insert(communes.end(), unit.communes.begin(), unit.communes.end());
  std::sort(communes.begin(), communes.end());
  communes.erase(std::unique(communes.begin(), communes.end()), communes.end());
  TRY_ASSIGN(auto sessions, livestreams_.SessionsByDay(communes, *from, *to));
  const std::string sessions_name(MetricName(Metric::kLivestreamSessions));
  for (const SessionDay& s : sessions)
    by_commune[s.commune_code][sessions_name][MonthOfDay(s.day)] += s.count;
  // Levels at the end of the period, or today if it ends later (a level
  // in the future is not known yet).
  const std::int64_t now_ms = clock_.NowMs();
  const std::int64_t level_day = std::min(*to, timefmt::LocalDay(now_ms));
  // A settled day's figures are read from its snapshot (snapshots.hpp).
  TRY_ASSIGN(LevelValues levels, LevelsOn(db_, certifications_, certified_today_, level_day, now_ms));
  std::map<std::pair<std::string, std::string>, std::int64_t> target_of;
  for (const TargetRow& t : targets) target_of[{t.unit_code, t.metric}] = t.target;
  const std::vector<std::int64_t> months = MonthsBetween(*from, *to);

  json out_units = json::array();
  for (const ReportUnit& unit : units) {
    json metrics = json::object();
    std::map<std::string, std::map<std::int64_t, std::int64_t>> series;  // metric → month → value
    for (Metric m : AllMetrics()) {
      const std::string name(MetricName(m));
      json value = nullptr;
      if (IsSummedPerDay(m)) {
        std::int64_t total = 0;
        for (const std::string& commune : unit.communes) {
          auto cit = by_commune.find(commune);
          if (cit == by_commune.end()) continue;
          auto mit = cit->second.find(name);
          if (mit == cit->second.end()) continue;
          for (const auto& [month, v] : mit->second) {
            total += v;
            series[name][month] += v;
          }
        }
        value = total;
      } else if (SourceOf(m) == MetricSource::kLevel) {
        std::int64_t total = 0;
        for (const std::string& commune : unit.communes) {
          auto cit = levels.find(commune);
          if (cit == levels.end()) continue;
          if (auto vit = cit->second.find(m); vit != cit->second.end()) total += vit->second;
        }
        value = total;
      }
      // A district's target is the sum of its communes' targets.
      json target = nullptr;
      if (unit.level == "district") {
        std::int64_t sum = 0;
        bool any = false;
        for (const std::string& commune : unit.communes) {
          if (auto t = target_of.find({commune, name}); t != target_of.end()) sum += t->second, any = true;
        }
        if (any) target = sum;
      } else if (auto t = target_of.find({unit.code, name}); t != target_of.end()) {
        target = t->second;
      }
      json entry = {{"value", value}, {"target", target}};
      if (value.is_number() && target.is_number() && target.get<std::int64_t>() > 0) {
        entry["progress"] = double(value.get<std::int64_t>()) / double(target.get<std::int64_t>());
      } else {
        entry["progress"] = nullptr;
      }
      metrics[name] = std::move(entry);
    }
    json points = json::array();
    for (std::int64_t month : months) {
      json values = json::object();
      for (Metric m : AllMetrics()) {
        if (!IsSummedPerDay(m)) continue;
        const std::string name(MetricName(m));
        auto sit = series.find(name);
        std::int64_t v = 0;
        if (sit != series.end()) {
          if (auto vit = sit->second.find(month); vit != sit->second.end()) v = vit->second;
        }
        values[name] = v;
      }
      points.push_back({{"period", MonthText(month)}, {"values", std::move(values)}});
    }
    out_units.push_back({{"code", unit.code},
                         {"name", unit.name},
                         {"level", unit.level},
                         {"metrics", std::move(metrics)},
                         {"series", std::move(points)}});
  }
  return json{{"programme_id", p.id},
              {"programme_name", p.name},
              {"from", timefmt::IsoDate(*from)},
              {"to", timefmt::IsoDate(*to)},
              {"levels_on", timefmt::IsoDate(level_day)},
              {"interval", "month"},
              {"units", std::move(out_units)}};
}

}  // namespace nongsan::programme
