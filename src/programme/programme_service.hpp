// Programmes, their targets and their figures.
//
// A programme is a province's plan over a period ({name, province_code,
// starts_on, ends_on}), created by an admin of that province. Targets are
// rows {unit_code, metric, target} for the province itself or any of its
// current communes; PUT replaces the whole set. Figures are never typed in:
// Metrics() reads the daily roll-ups (rollups.hpp) and the ports, for the
// province, its pre-2025 districts (through the shipped old→new mapping, each
// current commune counted in the old district most of its old communes lay
// in) or its communes, with a series per month.
//
// Who sees what: the province admin of the programme's province sees and
// changes everything; a commune officer of one of its communes sees the
// programme and the commune-level figures of the communes of their grants
// (quality's officer scope rule, CoversCommune); anyone else gets 404.
// Bad input is 422 naming the field.
//
// Thread-safety: safe to share between threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/certified_today.hpp"
#include "programme/metrics.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

inline constexpr std::size_t kMaxProgrammeNameChars = 200;
// Enough for every metric of the province and of each of its communes
// (the largest province has about 170 communes after 2025).
inline constexpr std::size_t kMaxTargetRows = 5000;
// Programmes listed at most (a province runs a handful).
inline constexpr int kMaxListedProgrammes = 100;
// A target larger than this is a typing error, not a plan.
inline constexpr std::int64_t kMaxTarget = 1'000'000'000'000'000;
// The longest period one metrics request covers (ten years).
inline constexpr std::int64_t kMaxRangeDays = 3660;

struct Programme {
  std::int64_t id = 0;
  std::string name;
  std::string province_code;
  std::int64_t starts_day = 0;
  std::int64_t ends_day = 0;
  std::int64_t created_at = 0;
};

struct ProgrammeInput {
  std::string name;
  std::string province_code;
  std::string starts_on;  // YYYY-MM-DD
  std::string ends_on;
};

struct TargetRow {
  std::string unit_code;
  std::string metric;
  std::int64_t target = 0;
};

struct MetricsQuery {
  std::string level = "province";  // province | district | commune
  std::string unit;                // "" for every unit of the level
  std::string from;                // "" → the programme's start
  std::string to;                  // "" → the programme's end
  std::string interval = "month";  // the only interval so far
  // With level=commune for the province admin: the province's own line
  // appended last, from the same read (the dashboard's headline). Not an
  // API parameter.
  bool with_province_total = false;
};

// One line of a report: the province, an old district or a commune.
struct ReportUnit {
  std::string code;
  std::string name;
  std::string level;
  std::vector<std::string> communes;  // the current communes it sums
};

// An error naming each bad field, answered 422.
Error FieldsRefused(std::vector<FieldError> fields);

class ProgrammeService {
 public:
  ProgrammeService(db::Database& db, const Clock& clock, const AreaPort& areas, LivestreamPort& livestreams,
                   OnboardingPort& onboarding, CertificationPort& certifications,
                   CertifiedToday& certified_today);

  Result<Programme> Create(const Principal* principal, const ProgrammeInput& input);
  // The programme when the principal may see it (see the header comment).
  Result<Programme> Get(const Principal* principal, std::int64_t id);
  // The programmes the principal may see, newest first; every programme
  // for nullptr (the public figures page shows aggregates only).
  Result<std::vector<Programme>> ListVisible(const Principal* principal);
  // True when the principal administers the programme's province.
  bool IsAdminOf(const Principal& principal, const Programme& p) const;
  Result<std::vector<TargetRow>> Targets(std::int64_t programme_id);
  Result<std::vector<TargetRow>> SetTargets(const Principal* principal, std::int64_t id,
                                            const std::vector<TargetRow>& rows);
  Result<nlohmann::json> Metrics(const Principal* principal, std::int64_t id, const MetricsQuery& query);
  // The answers Metrics gives for each of `levels` (query.level is not
  // read), computed together: the period's roll-ups and levels are read
  // once (the reports' commune and district sheets).
  Result<std::vector<nlohmann::json>> MetricsAtLevels(const Principal* principal, std::int64_t id,
                                                      const MetricsQuery& query,
                                                      const std::vector<std::string>& levels);
  // The province's figures from the programme's start to today, for the
  // public page: aggregates only, no person or shop named.
  Result<nlohmann::json> PublicFigures(std::int64_t id);

  // {id, name, province_code, starts_on, ends_on, targets}
  nlohmann::json ProgrammeJson(const Programme& p, const std::vector<TargetRow>& targets) const;

 private:
  Result<std::optional<Programme>> Load(std::int64_t id);
  // The units of a level the principal may see, or the 4xx saying why not.
  Result<std::vector<ReportUnit>> UnitsFor(const Principal& principal, const Programme& p,
                                           const MetricsQuery& query);
  bool Sees(const Principal& principal, const Programme& p) const;
  // The figures of the units over [from_day, to_day], with their targets.
  Result<nlohmann::json> Compute(const Programme& p, const std::vector<ReportUnit>& units,
                                 std::int64_t from_day, std::int64_t to_day);

  db::Database& db_;
  const Clock& clock_;
  const AreaPort& areas_;
  LivestreamPort& livestreams_;
  OnboardingPort& onboarding_;
  CertificationPort& certifications_;
  CertifiedToday& certified_today_;
};

}  // namespace nongsan::programme
