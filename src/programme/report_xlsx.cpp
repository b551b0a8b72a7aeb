#include "programme/report_xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/text.hpp"

namespace nongsan::programme {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSheetNameChars = 31;  // Excel's limit
constexpr std::uint8_t kPaperA4 = 9;
constexpr const char* kCommunesSheet = "Các xã";

// "A", "B", …, "AA".
std::string Column(int col) {
  std::string out;
  for (++col; col > 0; col = (col - 1) / 26) out.insert(out.begin(), char('A' + (col - 1) % 26));
  return out;
}

std::string Ref(const std::string& sheet, int row, int col) {
  std::string quoted;
  for (char c : sheet) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return "'" + quoted + "'!" + Column(col) + std::to_string(row + 1);
}

// A sheet name Excel accepts, unique in the workbook: at most 31 characters
// (cut on a character, never inside one), none of []:*?/\.
std::string SheetName(const std::string& wanted, std::set<std::string>& used) {
  std::string clean;
  for (char c : wanted) clean += std::string("[]:*?/\\").find(c) == std::string::npos ? c : ' ';
  std::string name;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < clean.size() && chars < kMaxSheetNameChars;) {
    std::size_t len = 1;
    const unsigned char lead = static_cast<unsigned char>(clean[i]);
    if (lead >= 0xF0)
      len = 4;
    else if (lead >= 0xE0)
      len = 3;
    else if (lead >= 0xC0)
      len = 2;
    name += clean.substr(i, len);
    i += len;
    ++chars;
  }
  std::string unique = name;
  for (int n = 2; used.count(unique); ++n)
    unique = name.substr(0, name.size() > 4 ? name.size() - 3 : 0) + "~" + std::to_string(n);
  used.insert(unique);
  return unique;
}

std::int64_t Value(const json& metrics, Metric m) {
  const json& v = metrics[std::string(MetricName(m))]["value"];
  return v.is_number() ? v.get<std::int64_t>() : 0;
}

std::optional<std::int64_t> Target(const json& metrics, Metric m) {
  const json& v = metrics[std::string(MetricName(m))]["target"];
  if (!v.is_number()) return std::nullopt;
  return v.get<std::int64_t>();
}

void PrintSetup(lxw_worksheet* ws, const std::string& title) {
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, kPaperA4);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_repeat_rows(ws, 0, 0);
  const std::string header = "&L" + title + "&R&P / &N";
  worksheet_set_header(ws, header.c_str());
}

struct Formats {
  lxw_format* bold;
  lxw_format* number;
  lxw_format* percent;
  lxw_format* title;
  lxw_format* link;
};

// Chỉ số | Giá trị | Chỉ tiêu | Tỷ lệ đạt, from `first_row`; value_formula
// gives each metric's formula (cached with the value).
void FigureTable(lxw_worksheet* ws, const Formats& f, int first_row, const json& metrics,
                 const std::function<std::string(std::size_t index)>& value_formula) {
  const char* heads[] = {"Chỉ số", "Giá trị", "Chỉ tiêu", "Tỷ lệ đạt"};
  for (int c = 0; c < 4; ++c) worksheet_write_string(ws, first_row, c, heads[c], f.bold);
  const auto metrics_list = ReportMetrics();
  for (std::size_t i = 0; i < metrics_list.size(); ++i) {
    const Metric m = metrics_list[i];
    const int row = first_row + 1 + static_cast<int>(i);
    worksheet_write_string(ws, row, 0, std::string(MetricLabel(m)).c_str(), nullptr);
    const std::int64_t value = Value(metrics, m);
    worksheet_write_formula_num(ws, row, 1, value_formula(i).c_str(), f.number, double(value));
    const auto target = Target(metrics, m);
    if (target) {
      worksheet_write_number(ws, row, 2, double(*target), f.number);
      const std::string ratio = "=IF(C" + std::to_string(row + 1) + ">0,B" + std::to_string(row + 1) + "/C" +
                                std::to_string(row + 1) + ",\"\")";
      worksheet_write_formula_num(ws, row, 3, ratio.c_str(), f.percent,
                                  *target > 0 ? double(value) / double(*target) : 0);
    }
  }
  worksheet_set_column(ws, 0, 0, 28, nullptr);
  worksheet_set_column(ws, 1, 3, 16, nullptr);
}

// Writes one report's sheets into an open workbook.
class Writer {
 public:
  Writer(lxw_workbook* wb, const Report& report) : wb_(wb), report(report), metrics(ReportMetrics()) {
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    format_set_bottom(f.bold, LXW_BORDER_THIN);
    f.number = workbook_add_format(wb);
    format_set_num_format(f.number, "#,##0");
    f.percent = workbook_add_format(wb);
    format_set_num_format(f.percent, "0%");
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    f.link = workbook_add_format(wb);
    format_set_underline(f.link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(f.link, LXW_COLOR_BLUE);
    const json& communes = report.communes;
    for (std::size_t i = 0; i < communes.size(); ++i)
      row_of[communes[i]["code"].get<std::string>()] = first_commune_row + int(i);
    for (const auto& c : communes) {
      sheet_of[c["code"].get<std::string>()] =
          SheetName(c["code"].get<std::string>() + " " + c["name"].get<std::string>(), used);
    }
  }

  void Summary() {
    lxw_workbook* wb = wb_;
    const json& communes = report.communes;
    const int last_commune_row = first_commune_row + static_cast<int>(communes.size()) - 1;
    lxw_worksheet* summary = workbook_add_worksheet(wb, "Tổng hợp");
    const std::string scope = report.whole_province ? report.province_name : "Các xã của cán bộ";
    worksheet_write_string(summary, 0, 0, report.programme.name.c_str(), f.title);
    worksheet_write_string(summary, 1, 0, (scope + " · từ " + report.from + " đến " + report.to).c_str(),
                           nullptr);
    json totals = json::object();
    for (Metric m : metrics) {
      std::int64_t sum = 0;
      for (const auto& c : communes) sum += Value(c["metrics"], m);
      totals[std::string(MetricName(m))]["value"] = sum;
      totals[std::string(MetricName(m))]["target"] = nullptr;
    }
    FigureTable(summary, f, 3, totals, [&](std::size_t i) {
      if (communes.empty()) return std::string("=0");
      return "=SUM(" + Ref(kCommunesSheet, first_commune_row, 2 + int(i)) + ":" + Column(2 + int(i)) +
             std::to_string(last_commune_row + 1) + ")";
    });
    PrintSetup(summary, report.programme.name);
  }

  void CommunesTable() {
    lxw_workbook* wb = wb_;
    const json& communes = report.communes;
    lxw_worksheet* table = workbook_add_worksheet(wb, kCommunesSheet);
    worksheet_write_string(table, 0, 0, "Mã xã", f.bold);
    worksheet_write_string(table, 0, 1, "Xã", f.bold);
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      worksheet_write_string(table, 0, 2 + int(i), std::string(MetricLabel(metrics[i])).c_str(), f.bold);
    }
    for (std::size_t r = 0; r < communes.size(); ++r) {
      const json& c = communes[r];
      const int row = first_commune_row + int(r);
      worksheet_write_string(table, row, 0, c["code"].get<std::string>().c_str(), nullptr);
      const std::string link = "internal:" + Ref(sheet_of[c["code"].get<std::string>()], 0, 0);
      worksheet_write_url_opt(table, row, 1, link.c_str(), f.link, c["name"].get<std::string>().c_str(),
                              nullptr);
      for (std::size_t i = 0; i < metrics.size(); ++i) {
        worksheet_write_number(table, row, 2 + int(i), double(Value(c["metrics"], metrics[i])), f.number);
      }
    }
    worksheet_set_column(table, 1, 1, 28, nullptr);
    worksheet_set_column(table, 2, 1 + int(metrics.size()), 14, nullptr);
    worksheet_freeze_panes(table, 1, 2);
    PrintSetup(table, report.programme.name + " · các xã");
  }

  void Districts() {
    lxw_workbook* wb = wb_;
    for (const ReportDistrict& d : report.districts) {
      lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName("H " + d.code + " " + d.name, used).c_str());
      worksheet_write_string(ws, 0, 0, d.name.c_str(), f.title);
      worksheet_write_string(ws, 1, 0, "Huyện trước 2025, gồm các xã hiện nay:", nullptr);
      FigureTable(ws, f, 3, d.metrics, [&](std::size_t i) {
        std::string formula = "=0";
        for (const std::string& code : d.communes) {
          if (auto it = row_of.find(code); it != row_of.end())
            formula += "+" + Ref(kCommunesSheet, it->second, 2 + int(i));
        }
        return formula;
      });
      int row = 4 + int(metrics.size()) + 1;
      for (const std::string& code : d.communes) {
        if (auto it = sheet_of.find(code); it != sheet_of.end()) {
          worksheet_write_url_opt(ws, row++, 0, ("internal:" + Ref(it->second, 0, 0)).c_str(), f.link,
                                  it->second.c_str(), nullptr);
        }
      }
      PrintSetup(ws, d.name);
    }
  }

  void CommuneSheets() {
    lxw_workbook* wb = wb_;
    const json& communes = report.communes;
    for (const auto& c : communes) {
      const std::string code = c["code"].get<std::string>();
      lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_of[code].c_str());
      worksheet_write_string(ws, 0, 0, c["name"].get<std::string>().c_str(), f.title);
      FigureTable(ws, f, 2, c["metrics"],
                  [&](std::size_t i) { return "=" + Ref(kCommunesSheet, row_of[code], 2 + int(i)); });
      int row = 3 + int(metrics.size()) + 1;
      worksheet_write_string(ws, row, 0, "Tháng", f.bold);
      std::vector<Metric> series;
      for (Metric m : metrics) {
        if (IsSummedPerDay(m)) series.push_back(m);
      }
      for (std::size_t i = 0; i < series.size(); ++i) {
        worksheet_write_string(ws, row, 1 + int(i), std::string(MetricLabel(series[i])).c_str(), f.bold);
      }
      for (const auto& point : c["series"]) {
        ++row;
        worksheet_write_string(ws, row, 0, point["period"].get<std::string>().c_str(), nullptr);
        for (std::size_t i = 0; i < series.size(); ++i) {
          worksheet_write_number(
              ws, row, 1 + int(i),
              double(point["values"].value(std::string(MetricName(series[i])), std::int64_t{0})), f.number);
        }
      }
      PrintSetup(ws, c["name"].get<std::string>());
    }
  }

  void Requests() {
    lxw_workbook* wb = wb_;
    lxw_worksheet* requests = workbook_add_worksheet(wb, "Yêu cầu hỗ trợ");
    const char* request_heads[] = {"Số", "Xã", "Loại", "Trạng thái", "Tuổi (ngày)", "Kết quả", "Tạo lúc"};
    for (int col = 0; col < 7; ++col) worksheet_write_string(requests, 0, col, request_heads[col], f.bold);
    int row = 0;
    for (const auto& r : report.requests) {
      ++row;
      worksheet_write_number(requests, row, 0, double(r["id"].get<std::int64_t>()), nullptr);
      worksheet_write_string(requests, row, 1, r["commune_name"].get<std::string>().c_str(), nullptr);
      worksheet_write_string(requests, row, 2, r["kind"].get<std::string>().c_str(), nullptr);
      worksheet_write_string(requests, row, 3, r["status"].get<std::string>().c_str(), nullptr);
      worksheet_write_number(requests, row, 4, double(r["age_days"].get<std::int64_t>()), nullptr);
      worksheet_write_string(
          requests, row, 5, r["outcome"].is_string() ? r["outcome"].get<std::string>().c_str() : "", nullptr);
      worksheet_write_string(requests, row, 6, r["created_at"].get<std::string>().c_str(), nullptr);
    }
    worksheet_set_column(requests, 1, 6, 18, nullptr);
    PrintSetup(requests, "Yêu cầu hỗ trợ");
  }

  void Trainings() {
    lxw_workbook* wb = wb_;
    int row = 0;
    lxw_worksheet* trainings = workbook_add_worksheet(wb, "Tập huấn");
    const char* training_heads[] = {"Số", "Xã", "Tên", "Loại", "Ngày", "Lượt người", "Người tập huấn"};
    for (int col = 0; col < 7; ++col) worksheet_write_string(trainings, 0, col, training_heads[col], f.bold);
    for (const auto& t : report.trainings) {
      ++row;
      worksheet_write_number(trainings, row, 0, double(t["id"].get<std::int64_t>()), nullptr);
      worksheet_write_string(trainings, row, 1, t["commune_name"].get<std::string>().c_str(), nullptr);
      worksheet_write_string(trainings, row, 2, t["title"].get<std::string>().c_str(), nullptr);
      worksheet_write_string(trainings, row, 3, t["kind"].get<std::string>().c_str(), nullptr);
      worksheet_write_string(trainings, row, 4, t["held_on"].get<std::string>().c_str(), nullptr);
      worksheet_write_number(trainings, row, 5, double(t["attendances"].get<std::int64_t>()), f.number);
      worksheet_write_string(trainings, row, 6, t["trainer"].get<std::string>().c_str(), nullptr);
    }
    worksheet_set_column(trainings, 1, 6, 18, nullptr);
    PrintSetup(trainings, "Tập huấn");
  }

 private:
  lxw_workbook* wb_;
  const Report& report;
  const std::vector<Metric> metrics;
  Formats f{};
  static constexpr int first_commune_row = 1;
  std::map<std::string, int> row_of;            // commune code → its row on the communes sheet
  std::map<std::string, std::string> sheet_of;  // commune code → its sheet
  std::set<std::string> used = {"Tổng hợp", kCommunesSheet, "Yêu cầu hỗ trợ", "Tập huấn"};
};

}  // namespace

Result<std::string> WriteReportXlsx(const Report& report) {
  char path[] = "/tmp/nongsan-report-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Error::Internal("report: no temporary file");
  close(fd);
  lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = nullptr, .use_zip64 = LXW_FALSE};
  lxw_workbook* wb = workbook_new_opt(path, &options);
  if (wb == nullptr) {
    std::remove(path);
    return Error::Internal("report: workbook not created");
  }
  Writer writer(wb, report);
  writer.Summary();
  writer.CommunesTable();
  writer.Districts();
  writer.CommuneSheets();
  writer.Requests();
  writer.Trainings();
  const lxw_error closed = workbook_close(wb);
  if (closed != LXW_NO_ERROR) {
    std::remove(path);
    return Error::Internal(std::string("report: ") + lxw_strerror(closed));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::remove(path);
  return bytes.str();
}

}  // namespace nongsan::programme
