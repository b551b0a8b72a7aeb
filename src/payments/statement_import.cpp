// PaymentService's bank statement import (declared in payment_service.hpp):
// a CSV checked whole before anything is applied, then applied in one
// durable transaction.
#include <algorithm>
#include <charconv>
#include <map>

#include "accounts/audit_log.hpp"
#include "catalog/csv_reader.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "payments/payment_service.hpp"
#include "payments/payment_time.hpp"
#include "payments/vietqr.hpp"

namespace nongsan::payments {
namespace {

constexpr const char* kColumns[] = {"id", "amount_vnd", "description", "transferred_at"};
constexpr std::size_t kMaxStatementIdBytes = 128;

// Amounts as statements print them: "245000", "245.000", "245,000".
std::optional<std::int64_t> ParseAmount(const std::string& text) { return money::ParseVnd(text::Trim(text)); }

struct Parsed {
  std::vector<IncomingMoney> lines;
  std::vector<FieldError> errors;
};

Parsed Parse(const std::string& account_number, std::string_view csv) {
  Parsed out;
  catalog::CsvReader reader(csv);
  std::map<std::string, std::size_t> column;
  bool header = true;
  std::map<std::string, std::size_t> seen_ids;
  auto fail = [&](std::size_t line, std::string message) {
    if (out.errors.size() < kMaxStatementErrors)
      out.errors.push_back({"line " + std::to_string(line), std::move(message)});
  };
  while (auto record = reader.Next()) {
    if (!record->error.empty()) {
      fail(record->line, record->error);
      continue;
    }
    if (header) {
      header = false;
      for (std::size_t i = 0; i < record->fields.size(); ++i) column[text::Trim(record->fields[i])] = i;
      for (const char* name : kColumns) {
        if (column.count(name) == 0) fail(record->line, std::string("the header has no column ") + name);
      }
      if (!out.errors.empty()) return out;
      continue;
    }
    if (out.lines.size() >= kMaxStatementLines) {
      fail(record->line, "more than " + std::to_string(kMaxStatementLines) + " lines; split the statement");
      break;
    }
    auto field = [&](const char* name) -> std::string {
      const std::size_t i = column[name];
      return i < record->fields.size() ? record->fields[i] : std::string();
    };
    IncomingMoney m;
    m.source = "bank";
    m.channel = "statement";
    m.account_number = account_number;
    m.external_id = text::Trim(field("id"));
    m.description = field("description");
    std::vector<std::string> problems;
    if (m.external_id.empty() || m.external_id.size() > kMaxStatementIdBytes)
      problems.push_back("id: required");
    auto amount = ParseAmount(field("amount_vnd"));
    if (!amount || *amount <= 0)
      problems.push_back("amount_vnd: a whole amount of đồng above 0");
    else
      m.amount_vnd = *amount;
    auto at = ParseTimeText(text::Trim(field("transferred_at")));
    if (!at)
      problems.push_back("transferred_at: 29/11/2026 10:05:00 or 2026-11-29T10:05:00+07:00");
    else
      m.transferred_at = *at;
    if (m.description.size() > 4 * kMaxDescriptionChars) problems.push_back("description: too long");
    if (!m.external_id.empty()) {
      auto [it, fresh] = seen_ids.emplace(m.external_id, record->line);
      if (!fresh) problems.push_back("id: the same transaction as line " + std::to_string(it->second));
    }
    if (!problems.empty()) {
      std::string joined;
      for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
      fail(record->line, joined);
      continue;
    }
    out.lines.push_back(std::move(m));
  }
  if (header) fail(1, "the file is empty");
  return out;
}

}  // namespace

Result<StatementResult> PaymentService::ImportStatement(const std::string& account_number,
                                                        std::string_view csv) {
  if (!IsAccountNumber(account_number)) return Error::Field("account", "Digits only, 6 to 19 of them.");
  Parsed parsed = Parse(account_number, csv);
  if (!parsed.errors.empty()) {
    // The count is taken before the errors are moved into the Error.
    const std::string detail = std::to_string(parsed.errors.size()) +
                               (parsed.errors.size() >= kMaxStatementErrors ? "+" : "") +
                               " broken lines; nothing was applied.";
    Error e = Error::Invalid(detail, std::move(parsed.errors));
    e.type = "statement_invalid";
    return e;
  }
  return db_.DurableWrite([&](db::Connection& c) -> Result<StatementResult> {
    StatementResult result;
    for (const IncomingMoney& money : parsed.lines) {
      ++result.lines;
      TRY_ASSIGN(auto earlier,
                 c.QueryOne("SELECT outcome FROM payments_receipts WHERE source = ? AND external_id = ?",
                            {money.source, money.external_id}));
      if (earlier) {
        ++result.duplicate;
        continue;
      }
      TRY_ASSIGN(auto matched, MatchTransfer(c, money));
      TRY_ASSIGN(Receipt receipt, RecordWith(c, money, matched.first, matched.second));
      switch (receipt.outcome) {
        case ReceiptOutcome::kApplied:
          ++result.applied;
          break;
        case ReceiptOutcome::kLate:
          ++result.late;
          break;
        case ReceiptOutcome::kUnmatched:
          ++result.unmatched;
          break;
        case ReceiptOutcome::kDuplicate:
          ++result.duplicate;
          break;
      }
    }
    return result;
  });
}

Result<StatementResult> PaymentService::ImportShopStatement(const Principal& principal,
                                                            std::int64_t seller_id, std::string_view csv,
                                                            const std::string& ip) {
  TRY_ASSIGN(sellers::Access access, sellers_.AccessFor(&principal, seller_id));
  if (access.capacity == sellers::Capacity::kNone) return Error::NotFound("shop");
  TRY_ASSIGN(auto account, GetPayoutAccount(&principal, seller_id));
  if (!account) return Error::Unprocessable("no_payout_account", "Record the shop's payout account first.");
  TRY_ASSIGN(StatementResult result, ImportStatement(account->account_number, csv));
  TRY(db_.Write([&](db::Connection& c) -> Status {
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.on_behalf_of_user_id = access.on_behalf_of;
    audit.action = "payments.statement.import";
    audit.object_type = "seller";
    audit.object_id = std::to_string(seller_id);
    audit.after = {{"lines", result.lines},
                   {"applied", result.applied},
                   {"late", result.late},
                   {"unmatched", result.unmatched},
                   {"duplicate", result.duplicate}};
    audit.ip = ip;
    return accounts::RecordAudit(c, audit, clock_.NowMs());
  }));
  return result;
}

}  // namespace nongsan::payments
