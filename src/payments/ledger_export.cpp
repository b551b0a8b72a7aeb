#include "payments/ledger_export.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nongsan::payments {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr const char* kHeaders[] = {"txn_id",    "at",         "kind",       "order_id",
                                    "payout_id", "amount_vnd", "balance_vnd"};

std::string IdOrEmpty(const nlohmann::json& v) {
  return v.is_number_integer() ? std::to_string(v.get<std::int64_t>()) : "";
}

constexpr const char* kShareColumns[] = {"sales_vnd", "commission_vnd", "refunds_vnd", "net_vnd",
                                         "balance_vnd"};

// A household's name as one CSV field: quoted, and never read as a formula
// by a spreadsheet program.
std::string NameField(const std::string& name) {
  std::string out = "\"";
  if (!name.empty() && std::string_view("=+-@\t\r").find(name.front()) != std::string_view::npos) out += '\'';
  for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string ShareFields(const nlohmann::json& row) {
  std::string out;
  for (const char* column : kShareColumns) out += "," + std::to_string(row.value(column, std::int64_t{0}));
  return out;
}

}  // namespace

std::string MemberSharesCsv(const nlohmann::json& shares) {
  std::string out(kUtf8Bom);
  out += "member_id,name";
  for (const char* column : kShareColumns) out += "," + std::string(column);
  out += "\r\n";
  for (const auto& m : shares.value("members", nlohmann::json::array())) {
    out += std::to_string(m.value("member_id", std::int64_t{0})) + "," + NameField(m.value("name", "")) +
           ShareFields(m) + "\r\n";
  }
  out += ",\"total\"" + ShareFields(shares.value("totals", nlohmann::json::object())) + "\r\n";
  return out;
}

std::string LedgerCsv(const nlohmann::json& ledger) {
  std::string out(kUtf8Bom);
  for (std::size_t i = 0; i < std::size(kHeaders); ++i) out += (i == 0 ? "" : ",") + std::string(kHeaders[i]);
  out += "\r\n";
  for (const auto& e : ledger.value("entries", nlohmann::json::array())) {
    // Every field is a number, a timestamp or a fixed word: nothing to quote.
    out += std::to_string(e.value("txn_id", std::int64_t{0})) + "," + e.value("at", "") + "," +
           e.value("kind", "") + "," + IdOrEmpty(e.value("order_id", nlohmann::json())) + "," +
           IdOrEmpty(e.value("payout_id", nlohmann::json())) + "," +
           std::to_string(e.value("amount_vnd", std::int64_t{0})) + "," +
           std::to_string(e.value("balance_vnd", std::int64_t{0})) + "\r\n";
  }
  return out;
}

Result<std::string> LedgerXlsx(const nlohmann::json& ledger) {
  // libxlsxwriter 1.1.4 (Debian 12) writes only to a file.
  std::string path = (std::filesystem::temp_directory_path() / "nongsan-ledger-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return Error::Internal("no temporary file for the ledger workbook");
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{path};
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return Error::Internal("the ledger workbook could not be created");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "So cai");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* money = workbook_add_format(workbook);
  format_set_num_format(money, "#,##0");
  for (std::size_t c = 0; c < std::size(kHeaders); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), kHeaders[c], bold);
  }
  lxw_row_t row = 1;
  for (const auto& e : ledger.value("entries", nlohmann::json::array())) {
    worksheet_write_number(sheet, row, 0, static_cast<double>(e.value("txn_id", std::int64_t{0})), nullptr);
    worksheet_write_string(sheet, row, 1, e.value("at", "").c_str(), nullptr);
    worksheet_write_string(sheet, row, 2, e.value("kind", "").c_str(), nullptr);
    const auto& order = e.value("order_id", nlohmann::json());
    if (order.is_number_integer()) worksheet_write_number(sheet, row, 3, order.get<double>(), nullptr);
    const auto& payout = e.value("payout_id", nlohmann::json());
    if (payout.is_number_integer()) worksheet_write_number(sheet, row, 4, payout.get<double>(), nullptr);
    worksheet_write_number(sheet, row, 5, static_cast<double>(e.value("amount_vnd", std::int64_t{0})), money);
    worksheet_write_number(sheet, row, 6, static_cast<double>(e.value("balance_vnd", std::int64_t{0})),
                           money);
    ++row;
  }
  worksheet_set_column(sheet, 1, 2, 26, nullptr);
  if (workbook_close(workbook) != LXW_NO_ERROR)
    return Error::Internal("the ledger workbook could not be written");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace nongsan::payments
