#include "payments/bank_input.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/field_errors.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "orders/lifecycle.hpp"
#include "payments/bank_csv.hpp"
#include "payments/payment_time.hpp"
#include "payments/vietqr.hpp"

namespace nongsan::payments {
namespace {

constexpr std::string_view kStatementColumns[] = {"id", "amount_vnd", "description", "transferred_at"};

// Amounts as statements print them: "245000", "245.000", "245,000".
std::optional<std::int64_t> ParseAmount(const std::string& text) { return money::ParseVnd(text::Trim(text)); }

constexpr std::string_view kRemittanceColumns[] = {"tracking_code", "amount_vnd", "remitted_at"};

bool IsTrackingChar(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '_' || ch == '.';
}

// A remittance dates its lines by day (29/11/2026, 2026-11-29: midnight in
// Vietnam) or by time, as statements do.
std::optional<std::int64_t> ParseRemittedAt(const std::string& text) {
  static const std::regex vn_day(R"(\d{1,2}/\d{1,2}/\d{4})");
  static const std::regex iso_day(R"(\d{4}-\d{2}-\d{2})");
  if (std::regex_match(text, vn_day)) return ParseTimeText(text + " 00:00:00");
  if (std::regex_match(text, iso_day)) return ParseTimeText(text + "T00:00:00+07:00");
  return ParseTimeText(text);
}

}  // namespace

Result<IncomingMoney> ParseBankNotification(std::string_view raw_body) {
  auto body = nlohmann::json::parse(raw_body, nullptr, false);
  std::vector<FieldError> errors;
  IncomingMoney money;
  money.source = "bank";
  money.channel = "webhook";
  if (!body.is_object()) {
    errors.push_back(
        {"body", "Must be a JSON object {id, account_number, amount_vnd, description, transferred_at}."});
  } else {
    const auto& id = body.value("id", nlohmann::json());
    if (id.is_string())
      money.external_id = text::Trim(id.get<std::string>());
    else if (id.is_number_integer())
      money.external_id = std::to_string(id.get<std::int64_t>());
    if (money.external_id.empty() || money.external_id.size() > kMaxNotificationIdBytes) {
      errors.push_back({"id", "The transaction's id: text of 1 to " +
                                  std::to_string(kMaxNotificationIdBytes) + " bytes."});
    }
    const auto& account = body.value("account_number", nlohmann::json());
    if (account.is_string()) money.account_number = text::Trim(account.get<std::string>());
    if (!IsAccountNumber(money.account_number)) {
      errors.push_back({"account_number", "Digits only, " + std::to_string(kMinAccountDigits) + " to " +
                                              std::to_string(kMaxAccountDigits) + " of them."});
    }
    const auto& amount = body.value("amount_vnd", nlohmann::json());
    if (amount.is_number_integer() && amount.get<std::int64_t>() > 0 &&
        amount.get<std::int64_t>() <= money::kMaxVnd) {
      money.amount_vnd = amount.get<std::int64_t>();
    } else {
      errors.push_back({"amount_vnd", "A whole number of đồng above 0."});
    }
    const auto& description = body.value("description", nlohmann::json(""));
    if (description.is_string() && description.get<std::string>().size() <= 4 * kMaxDescriptionChars) {
      money.description = description.get<std::string>();
    } else {
      errors.push_back(
          {"description", "Text of at most " + std::to_string(kMaxDescriptionChars) + " characters."});
    }
    auto at = ParseTransferTime(body.value("transferred_at", nlohmann::json()));
    if (at)
      money.transferred_at = *at;
    else
      errors.push_back(
          {"transferred_at", "An RFC 3339 time (2026-11-29T10:05:00+07:00) or Unix milliseconds."});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return money;
}

Result<std::vector<IncomingMoney>> ParseBankStatement(const std::string& account_number,
                                                      std::string_view csv) {
  BankCsvReader reader(csv, {std::begin(kStatementColumns), std::end(kStatementColumns)}, kMaxStatementLines);
  std::vector<IncomingMoney> lines;
  std::map<std::string, std::size_t> seen_ids;
  while (reader.Next()) {
    IncomingMoney m;
    m.source = "bank";
    m.channel = "statement";
    m.account_number = account_number;
    m.external_id = text::Trim(reader.Field("id"));
    m.description = reader.Field("description");
    std::vector<std::string> problems;
    if (m.external_id.empty() || m.external_id.size() > kMaxStatementIdBytes)
      problems.push_back("id: required");
    auto amount = ParseAmount(reader.Field("amount_vnd"));
    if (!amount || *amount <= 0)
      problems.push_back("amount_vnd: a whole amount of đồng above 0");
    else
      m.amount_vnd = *amount;
    auto at = ParseTimeText(text::Trim(reader.Field("transferred_at")));
    if (!at)
      problems.push_back("transferred_at: 29/11/2026 10:05:00 or 2026-11-29T10:05:00+07:00");
    else
      m.transferred_at = *at;
    if (m.description.size() > 4 * kMaxDescriptionChars) problems.push_back("description: too long");
    if (!m.external_id.empty()) {
      auto [it, fresh] = seen_ids.emplace(m.external_id, reader.line());
      if (!fresh) problems.push_back("id: the same transaction as line " + std::to_string(it->second));
    }
    if (!problems.empty()) {
      reader.Refuse(problems);
      continue;
    }
    lines.push_back(std::move(m));
  }
  if (!reader.errors().empty()) return reader.Refusal("statement_invalid");
  return lines;
}

Result<std::vector<RemittanceInput>> ParseCodRemittance(std::string_view csv) {
  BankCsvReader reader(csv, {std::begin(kRemittanceColumns), std::end(kRemittanceColumns)},
                       kMaxRemittanceLines);
  std::vector<RemittanceInput> lines;
  std::map<std::string, std::size_t> seen;
  while (reader.Next()) {
    auto field = [&](std::string_view name) { return text::Trim(reader.Field(name)); };
    RemittanceInput in;
    in.line = reader.line();
    in.tracking_code = field("tracking_code");
    std::vector<std::string> problems;
    if (in.tracking_code.empty() || in.tracking_code.size() > orders::kMaxTrackingCodeBytes ||
        !std::all_of(in.tracking_code.begin(), in.tracking_code.end(), IsTrackingChar)) {
      problems.push_back("tracking_code: letters, digits, '-', '_' or '.', at most " +
                         std::to_string(orders::kMaxTrackingCodeBytes));
    }
    auto amount = money::ParseVnd(field("amount_vnd"));
    if (!amount || *amount <= 0)
      problems.push_back("amount_vnd: a whole amount of đồng above 0");
    else
      in.amount_vnd = *amount;
    auto at = ParseRemittedAt(field("remitted_at"));
    if (!at)
      problems.push_back("remitted_at: 29/11/2026, 2026-11-29 or 2026-11-29T10:05:00+07:00");
    else
      in.remitted_at = *at;
    if (!in.tracking_code.empty()) {
      auto [it, fresh] = seen.emplace(in.tracking_code, reader.line());
      if (!fresh) problems.push_back("tracking_code: the same parcel as line " + std::to_string(it->second));
    }
    if (!problems.empty()) {
      reader.Refuse(problems);
      continue;
    }
    lines.push_back(std::move(in));
  }
  if (!reader.errors().empty()) return reader.Refusal("remittance_invalid");
  return lines;
}

}  // namespace nongsan::payments
