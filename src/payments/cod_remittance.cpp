// PaymentService's cash-on-delivery remittances (declared in
// payment_service.hpp): a carrier's statement checked whole, then applied in
// one durable transaction, each parcel once.
#include <map>
#include <regex>

#include "accounts/audit_log.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "orders/lifecycle.hpp"
#include "payments/bank_csv.hpp"
#include "payments/ledger.hpp"
#include "payments/payment_service.hpp"
#include "payments/payment_time.hpp"

namespace nongsan::payments {
namespace {

constexpr std::string_view kColumns[] = {"tracking_code", "amount_vnd", "remitted_at"};

struct RemittanceInput {
  std::size_t line = 0;
  std::string tracking_code;
  std::int64_t amount_vnd = 0;
  std::int64_t remitted_at = 0;
};

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

// Every line of a remittance, or the error refusing it (BankCsvReader).
Result<std::vector<RemittanceInput>> ParseRemittance(std::string_view csv) {
  BankCsvReader reader(csv, {std::begin(kColumns), std::end(kColumns)}, kMaxRemittanceLines);
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

}  // namespace

Result<RemittanceResult> PaymentService::ImportCodRemittance(std::string_view csv, std::int64_t by_user_id) {
  TRY_ASSIGN(const std::vector<RemittanceInput> lines, ParseRemittance(csv));
  const db::Value by = by_user_id > 0 ? db::Value{by_user_id} : db::Value{};
  return db_.DurableWrite([&](db::Connection& c) -> Result<RemittanceResult> {
    RemittanceResult result;
    std::vector<std::string> codes;
    codes.reserve(lines.size());
    for (const RemittanceInput& in : lines) codes.push_back(in.tracking_code);
    TRY_ASSIGN(auto orders, orders_.OrdersByTrackingWith(c, codes));
    const std::int64_t now = clock_.NowMs();
    for (const RemittanceInput& in : lines) {
      ++result.lines;
      TRY_ASSIGN(auto earlier,
                 c.QueryOne("SELECT outcome FROM payments_cod_remittances WHERE tracking_code = ? "
                            "AND amount_vnd = ?",
                            {in.tracking_code, in.amount_vnd}));
      if (earlier) {
        ++result.duplicate;
        continue;
      }
      RemittanceLine line{in.line, in.tracking_code, in.amount_vnd, 0, 0, ""};
      std::optional<Row> row;
      if (auto it = orders.find(in.tracking_code); it != orders.end()) {
        line.order_id = it->second;
        TRY_ASSIGN(row, Load(c, line.order_id));
      }
      if (!row)
        line.outcome = "unknown_tracking";
      else if (row->method != orders::kPaymentCod)
        line.outcome = "not_cod";
      else if (row->status == "paid" || row->status == "overpaid")
        line.outcome = "already_remitted";
      else if (row->status != "pending")
        line.outcome = "order_closed";
      else if (in.amount_vnd != row->amount_vnd)
        line.outcome = "amount_differs";
      else
        line.outcome = "applied";
      if (row) line.expected_vnd = row->amount_vnd;
      TRY(c.Exec(
          "INSERT INTO payments_cod_remittances (tracking_code, order_id, seller_id, amount_vnd, "
          "expected_vnd, remitted_at, outcome, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {in.tracking_code, row ? db::Value{line.order_id} : db::Value{},
           row ? db::Value{row->seller_id} : db::Value{}, in.amount_vnd,
           row ? db::Value{row->amount_vnd} : db::Value{}, in.remitted_at, line.outcome, now, by}));
      if (line.outcome != "applied") {
        result.differences.push_back(std::move(line));
        continue;
      }
      // The carrier paid the platform the parcel's money: the order is paid
      // and the shop credited, as any method's money is.
      TRY(
          c.Exec("UPDATE payments_payments SET paid_vnd = ?, status = 'paid', paid_at = ?, updated_at = ? "
                 "WHERE order_id = ? AND status = 'pending'",
                 {in.amount_vnd, now, now, row->order_id}));
      TRY(orders_.MarkPaidWith(c, row->order_id, now));
      TRY(PostOrderPaid(c, row->seller_id, row->order_id, row->method, row->amount_vnd,
                        options_.commission_percent, now));
      ++result.applied;
    }
    return result;
  });
}

Result<RemittanceResult> PaymentService::ImportCodRemittanceAs(const Principal& principal,
                                                               std::string_view csv, const std::string& ip) {
  if (!principal.Has(Role::kProvinceAdmin)) {
    return Error::Forbidden("Only the platform's operator imports a carrier's remittance.");
  }
  TRY_ASSIGN(RemittanceResult result, ImportCodRemittance(csv, principal.user_id));
  TRY(db_.Write([&](db::Connection& c) -> Status {
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.action = "payments.cod_remittance.import";
    audit.object_type = "cod_remittance";
    audit.after = {{"lines", result.lines},
                   {"applied", result.applied},
                   {"duplicate", result.duplicate},
                   {"differences", result.differences.size()}};
    audit.ip = ip;
    return accounts::RecordAudit(c, audit, clock_.NowMs());
  }));
  return result;
}

}  // namespace nongsan::payments
