#include "programme/report.hpp"

#include "programme/programme_module.hpp"

namespace nongsan::programme {

std::vector<Metric> ReportMetrics() {
  std::vector<Metric> out;
  for (Metric m : AllMetrics()) {
    if (SourceOf(m) != MetricSource::kPending) out.push_back(m);
  }
  return out;
}

Result<Report> BuildReport(ProgrammeModule& m, const Principal* principal, std::int64_t programme_id,
                           const MetricsQuery& period) {
  TRY_ASSIGN(Programme p, m.programmes.Get(principal, programme_id));
  Report report;
  report.programme = p;
  report.province_name = m.areas->UnitName(p.province_code);
  report.whole_province = m.programmes.IsAdminOf(*principal, p);
  MetricsQuery communes = period;
  communes.unit.clear();
  // The district sheets only for the whole province; both levels computed
  // together, so the figures are read once per report.
  std::vector<std::string> levels = {"commune"};
  if (report.whole_province) levels.push_back("district");
  TRY_ASSIGN(std::vector<nlohmann::json> figures,
             m.programmes.MetricsAtLevels(principal, programme_id, communes, levels));
  report.from = figures[0]["from"].get<std::string>();
  report.to = figures[0]["to"].get<std::string>();
  report.communes = std::move(figures[0]["units"]);
  if (report.whole_province) {
    TRY_ASSIGN(auto old, m.areas->OldDistricts(p.province_code));
    for (const auto& unit : figures[1]["units"]) {
      ReportDistrict d{unit["code"].get<std::string>(), unit["name"].get<std::string>(), {}, unit["metrics"]};
      for (const OldDistrict& o : old) {
        if (o.unit.code == d.code) d.communes = o.communes;
      }
      report.districts.push_back(std::move(d));
    }
  }
  for (const auto& unit : report.communes) {
    const std::string code = unit["code"].get<std::string>();
    TRY_ASSIGN(auto requests, m.support.ListForCommune(*principal, code, kReportRowsPerCommune));
    for (auto& r : requests) report.requests.push_back(std::move(r));
    TRY_ASSIGN(auto trainings, m.trainings.ListForCommune(*principal, code, kReportRowsPerCommune));
    for (auto& t : trainings) {
      t["commune_code"] = code;
      t["commune_name"] = unit["name"];
      report.trainings.push_back(std::move(t));
    }
  }
  return report;
}

}  // namespace nongsan::programme
