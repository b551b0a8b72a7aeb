#include "programme/report_csv.hpp"

namespace nongsan::programme {
namespace {

using nlohmann::json;

std::string Quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Number(const json& v) { return v.is_number() ? std::to_string(v.get<std::int64_t>()) : ""; }

}  // namespace

std::string WriteReportCsv(const Report& report) {
  const auto metrics = ReportMetrics();
  std::string out = "\xEF\xBB\xBF";
  out += "level,code,name,from,to";
  for (Metric m : metrics) out += "," + std::string(MetricName(m));
  for (Metric m : metrics) out += "," + std::string(MetricName(m)) + "_target";
  out += "\r\n";
  auto line = [&](const std::string& level, const std::string& code, const std::string& name,
                  const json& figures) {
    out += level + "," + Quoted(code) + "," + Quoted(name) + "," + report.from + "," + report.to;
    for (Metric m : metrics) out += "," + Number(figures[std::string(MetricName(m))]["value"]);
    for (Metric m : metrics) out += "," + Number(figures[std::string(MetricName(m))]["target"]);
    out += "\r\n";
  };
  // The total of the lines below it (the province, or the officer's communes).
  json total = json::object();
  for (Metric m : metrics) {
    std::int64_t sum = 0;
    for (const auto& c : report.communes) {
      const json& v = c["metrics"][std::string(MetricName(m))]["value"];
      if (v.is_number()) sum += v.get<std::int64_t>();
    }
    total[std::string(MetricName(m))] = {{"value", sum}, {"target", nullptr}};
  }
  if (report.whole_province) {
    line("province", report.programme.province_code, report.province_name, total);
    for (const ReportDistrict& d : report.districts) line("district", d.code, d.name, d.metrics);
  } else {
    line("communes_total", "", "", total);
  }
  for (const auto& c : report.communes) line("commune", c["code"], c["name"], c["metrics"]);
  return out;
}

}  // namespace nongsan::programme
