// PaymentService::AssignUnmatched (declared in payment_service.hpp): money a
// bank reported without a reference we could read, given to its order by the
// operator.
#include "accounts/audit_log.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {

Result<Receipt> PaymentService::AssignUnmatched(const Principal& principal, std::int64_t receipt_id,
                                                std::int64_t order_id, const std::string& ip) {
  if (!principal.Has(Role::kProvinceAdmin))
    return Error::Forbidden("Only the platform's operator assigns transfers.");
  TRY_ASSIGN(auto receipt, db_.Read([&](db::Connection& c) {
    return c.QueryOne(
        "SELECT source, external_id, channel, account_number, amount_vnd, description, transferred_at, "
        "seller_id, outcome FROM payments_receipts WHERE id = ?",
        {receipt_id});
  }));
  if (!receipt) return Error::NotFound("transfer");
  // A transfer into a shop's account is its operator's; one into an account
  // no shop recorded names no province.
  if (!receipt->IsNull(7)) {
    TRY_ASSIGN(bool may, IsOperatorFor(&principal, receipt->Int(7)));
    if (!may) return Error::NotFound("transfer");
  }
  if (receipt->Text(8) != "unmatched") {
    Error e = Error::Unprocessable("already_assigned", "This transfer was matched to an order already.");
    e.fields.push_back({"receipt_id", "Already matched."});
    return e;
  }
  IncomingMoney money{receipt->Text(0), receipt->Text(1), receipt->Text(2), receipt->Text(3),
                      receipt->Int(4),  receipt->Text(5), receipt->Int(6)};
  TRY_ASSIGN(auto payment, db_.Read([&](db::Connection& c) { return Load(c, order_id); }));
  const bool fits =
      payment && payment->method == orders::kPaymentVietQr && payment->account_number == money.account_number;
  if (!fits) {
    Error e = Error::Unprocessable("order_does_not_fit",
                                   "order_id: no VietQR order paid into the account this money reached.");
    e.fields.push_back(
        {"order_id", "No VietQR order of that number paid into the account this money reached."});
    return e;
  }
  TRY_ASSIGN(bool operates, IsOperatorFor(&principal, payment->seller_id));
  if (!operates) return Error::NotFound("order");
  return db_.DurableWrite([&](db::Connection& c) -> Result<Receipt> {
    TRY_ASSIGN(Receipt applied, RecordWith(c, money, order_id, payment->seller_id, receipt_id));
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.action = "payments.unmatched.assign";
    audit.object_type = "payment_receipt";
    audit.object_id = std::to_string(receipt_id);
    audit.before = {{"outcome", "unmatched"}};
    audit.after = {{"order_id", order_id},
                   {"amount_vnd", money.amount_vnd},
                   {"outcome", ReceiptOutcomeName(applied.outcome)},
                   {"payment_status", applied.payment_status}};
    audit.ip = ip;
    TRY(accounts::RecordAudit(c, audit, clock_.NowMs()));
    return applied;
  });
}

}  // namespace nongsan::payments
