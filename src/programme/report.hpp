// A programme's report, gathered once and written as XLSX (report_xlsx.*),
// CSV (report_csv.*) or PDF (report_pdf.*): the figures of every commune the
// caller may see, the province (its admin) or the caller's communes summed
// (a commune officer), the pre-2025 districts (the admin only), and the
// support requests and trainings of those communes. The writers only lay
// out what is here, so an export never holds more than the caller's role
// may see. Thread-safety: ReportBuilder is stateless over the services.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "programme/programme_service.hpp"

namespace nongsan::programme {

struct ProgrammeModule;

// Requests and trainings listed per commune in a report.
inline constexpr int kReportRowsPerCommune = 200;

struct ReportDistrict {
  std::string code;
  std::string name;
  std::vector<std::string> communes;  // codes of the current communes counted in it
  nlohmann::json metrics;             // as ProgrammeService::Metrics gives a unit's
};

struct Report {
  Programme programme;
  std::string province_name;
  std::string from;  // YYYY-MM-DD
  std::string to;
  bool whole_province = false;                         // false: a commune officer's communes only
  nlohmann::json communes;                             // the units of Metrics(level=commune)
  std::vector<ReportDistrict> districts;               // empty unless whole_province
  nlohmann::json requests = nlohmann::json::array();   // with commune_code
  nlohmann::json trainings = nlohmann::json::array();  // with commune_code
};

Result<Report> BuildReport(ProgrammeModule& module, const Principal* principal, std::int64_t programme_id,
                           const MetricsQuery& period);

// The metrics a report's tables show (those computed from the data), in order.
std::vector<Metric> ReportMetrics();

}  // namespace nongsan::programme
