// PaymentService's bank statement import (declared in payment_service.hpp):
// a CSV checked whole before anything is applied (ParseBankStatement,
// bank_input.hpp), then applied in one durable transaction.
#include "accounts/audit_log.hpp"
#include "payments/payment_service.hpp"
#include "payments/vietqr.hpp"

namespace nongsan::payments {

Result<StatementResult> PaymentService::ImportStatement(const std::string& account_number,
                                                        std::string_view csv) {
  if (!IsAccountNumber(account_number)) return Error::Field("account", "Digits only, 6 to 19 of them.");
  TRY_ASSIGN(const std::vector<IncomingMoney> lines, ParseBankStatement(account_number, csv));
  return db_.DurableWrite([&](db::Connection& c) -> Result<StatementResult> {
    StatementResult result;
    for (const IncomingMoney& money : lines) {
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
