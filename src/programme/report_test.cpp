// The programme's reports read back by independent tools, on each backend:
// the XLSX by Debian's python3-openpyxl (report_check.py), the PDF by
// poppler's pdftotext, the CSV by line; their figures compared with the
// metrics API, and a commune officer's exports holding their commune only.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/source_dir.hpp"
#include "programme/programme_test_support.hpp"
#include "support/test_db.hpp"

namespace nongsan::programme::testing {
namespace {

using nlohmann::json;
using orders::testing::CheckoutBody;
using orders::testing::PostCheckout;

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string SaveTemp(const std::string& bytes, const std::string& extension) {
  static int n = 0;
  const std::string path =
      std::filesystem::temp_directory_path() /
      ("nongsan-report-test-" + std::to_string(getpid()) + "-" + std::to_string(n++) + extension);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

class ReportTest : public ProgrammeTest {
 protected:
  // Orders in communes A and C, a training in A; the programme with targets.
  std::int64_t Activity() {
    const Shop a = seeder_->NewShop("Chè Đức Xuân", kCommuneA);
    const Shop c = seeder_->NewShop("Miến Phủ Thông", kCommuneC);
    const std::int64_t tea = seeder_->NewProduct(a, {.price_vnd = 120'000});
    const std::int64_t noodles = seeder_->NewProduct(c, {.price_vnd = 45'000});
    const Person buyer = seeder_->NewPerson("Người mua");
    HttpClient client = Client();
    EXPECT_EQ(PostCheckout(client, buyer, "r1", CheckoutBody({{tea, 3}, {noodles, 2}})).status, 201);
    EXPECT_EQ(PostCheckout(client, buyer, "r2", CheckoutBody({{tea, 1}})).status, 201);
    EXPECT_EQ(client
                  .Post("/api/v1/trainings",
                        json{{"title", "Livestream"},
                             {"kind", "livestream"},
                             {"held_on", "2026-11-28"},
                             {"commune_code", kCommuneA},
                             {"attendees", {"0912345678", "0987654321"}}}
                            .dump(),
                        officer_.auth)
                  .status,
              201);
    const std::int64_t id = NewProgramme();
    EXPECT_EQ(
        client
            .Put("/api/v1/programmes/" + std::to_string(id) + "/targets",
                 json{{"targets", {{{"unit_code", kCommuneA}, {"metric", "orders"}, {"target", 8}}}}}.dump(),
                 admin_.auth)
            .status,
        200);
    return id;
  }

  json Api(std::int64_t id, const Person& who, const std::string& query) {
    HttpClient client = Client();
    auto res = client.Get("/api/v1/programmes/" + std::to_string(id) + "/metrics?" + query, who.auth);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.Json();
  }
};

TEST_P(ReportTest, XlsxReadBackByOpenpyxlMatchesTheApi) {
  const std::int64_t id = Activity();
  HttpClient client = Client();
  auto res = client.Get("/api/v1/programmes/" + std::to_string(id) + "/report.xlsx", admin_.auth);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const std::string path = SaveTemp(res.body, ".xlsx");
  const std::string script = std::string(core::SourceDir()) + "/src/programme/report_check.py";
  const std::string out = RunCommand("/usr/bin/python3 " + script + " " + path + " 2>&1");
  std::filesystem::remove(path);
  const json book = json::parse(out, nullptr, false);
  ASSERT_FALSE(book.is_discarded()) << out;

  const json province = Api(id, admin_, "level=province")["units"][0]["metrics"];
  std::map<std::string, json> summary;
  for (const auto& row : book["summary"]) summary[row["label"].get<std::string>()] = row;
  ASSERT_TRUE(summary.count("Đơn hàng")) << out;
  EXPECT_EQ(summary["Đơn hàng"]["value"], province["orders"]["value"]);
  EXPECT_EQ(summary["Doanh số (đồng)"]["value"], province["gmv_vnd"]["value"]);
  EXPECT_EQ(summary["Lượt người tập huấn"]["value"], province["training_attendances"]["value"]);
  // The summary is linked: its values are formulas over the communes sheet.
  EXPECT_EQ(summary["Đơn hàng"]["formula"].get<std::string>().rfind("=SUM('Các xã'!", 0), 0u) << out;

  const json communes = Api(id, admin_, "level=commune")["units"];
  ASSERT_EQ(book["communes"].size(), communes.size());
  std::map<std::string, json> by_code;
  for (const auto& row : book["communes"]) by_code[row["Mã xã"].get<std::string>()] = row;
  for (const auto& unit : communes) {
    EXPECT_EQ(by_code[unit["code"].get<std::string>()]["Đơn hàng"], unit["metrics"]["orders"]["value"])
        << unit["code"];
  }
  // A sheet per commune and per old district, then requests and trainings; set up for printing.
  const auto& sheets = book["sheets"];
  EXPECT_NE(std::find(sheets.begin(), sheets.end(), "01840 Phường Đức Xuân"), sheets.end()) << sheets.dump();
  EXPECT_NE(std::find(sheets.begin(), sheets.end(), "H 058 Thành phố Bắc Kạn"), sheets.end())
      << sheets.dump();
  EXPECT_EQ(sheets.back(), "Tập huấn");
  EXPECT_TRUE(book["print"]["Tổng hợp"]["landscape"].get<bool>());
  EXPECT_TRUE(book["print"]["Tổng hợp"]["fit_to_page"].get<bool>());
  EXPECT_EQ(book["print"]["Tổng hợp"]["fit_width"], 1);
  EXPECT_EQ(book["print"]["Tổng hợp"]["fit_height"], 0);
  EXPECT_EQ(book["print"]["Tổng hợp"]["paper"], 9);

  // The commune officer's workbook holds their commune only.
  auto mine = client.Get("/api/v1/programmes/" + std::to_string(id) + "/report.xlsx", officer_.auth);
  ASSERT_EQ(mine.status, 200);
  const std::string own_path = SaveTemp(mine.body, ".xlsx");
  const json own = json::parse(RunCommand("/usr/bin/python3 " + script + " " + own_path), nullptr, false);
  std::filesystem::remove(own_path);
  ASSERT_FALSE(own.is_discarded());
  ASSERT_EQ(own["communes"].size(), 1u);
  EXPECT_EQ(own["communes"][0]["Mã xã"], kCommuneA);
  for (const auto& name : own["sheets"]) EXPECT_NE(name.get<std::string>().rfind("H ", 0), 0u) << name;
}

TEST_P(ReportTest, PdfReadBackByPdftotext) {
  const std::int64_t id = Activity();
  HttpClient client = Client();
  auto res = client.Get("/api/v1/programmes/" + std::to_string(id) + "/report.pdf", admin_.auth);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.body.rfind("%PDF-", 0), 0u);
  const std::string path = SaveTemp(res.body, ".pdf");
  const std::string text = RunCommand("pdftotext -layout " + path + " - 2>&1");
  std::filesystem::remove(path);
  EXPECT_NE(text.find("Đưa hộ sản xuất lên sàn 2026"), std::string::npos) << text;
  EXPECT_NE(text.find("Đơn hàng theo tháng"), std::string::npos) << text;
  EXPECT_NE(text.find("Xã Phủ Thông"), std::string::npos) << text;
  // The province's order count, as the API gives it, is on the summary.
  const json province = Api(id, admin_, "level=province")["units"][0]["metrics"];
  EXPECT_NE(text.find("Đơn hàng"), std::string::npos);
  EXPECT_EQ(province["orders"]["value"], 3);

  auto mine = client.Get("/api/v1/programmes/" + std::to_string(id) + "/report.pdf", officer_.auth);
  ASSERT_EQ(mine.status, 200);
  const std::string own_path = SaveTemp(mine.body, ".pdf");
  const std::string own = RunCommand("pdftotext -layout " + own_path + " - 2>&1");
  std::filesystem::remove(own_path);
  EXPECT_NE(own.find("Phường Đức Xuân"), std::string::npos) << own;
  EXPECT_EQ(own.find("Xã Phủ Thông"), std::string::npos) << own;
}

TEST_P(ReportTest, CsvHasALinePerUnit) {
  const std::int64_t id = Activity();
  HttpClient client = Client();
  auto res = client.Get("/api/v1/programmes/" + std::to_string(id) + "/report.csv", admin_.auth);
  ASSERT_EQ(res.status, 200) << res.body;
  std::istringstream lines(res.body.substr(3));  // after the BOM
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("level,code,name,from,to,households_onboarded,shops_active,products_listed,"
                         "ocop_products_listed,certified_products,orders,gmv_vnd",
                         0),
            0u)
      << header;
  std::string line;
  bool province = false;
  bool commune_a = false;
  while (std::getline(lines, line)) {
    if (line.rfind("province,19,", 0) == 0) province = line.find(",3,") != std::string::npos;
    if (line.rfind(std::string("commune,") + kCommuneA + ",", 0) == 0)
      commune_a = line.find(",2,") != std::string::npos;
  }
  EXPECT_TRUE(province) << res.body;
  EXPECT_TRUE(commune_a) << res.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::programme::testing
