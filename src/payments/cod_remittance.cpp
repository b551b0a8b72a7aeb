// PaymentService's cash-on-delivery remittances (declared in
// payment_service.hpp): a carrier's statement checked whole, then applied in
// one durable transaction, each parcel once.

#include "accounts/audit_log.hpp"
#include "core/money.hpp"
#include "orders/lifecycle.hpp"
#include "payments/bank_input.hpp"
#include "payments/ledger.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {

Result<RemittanceResult> PaymentService::ImportCodRemittance(std::string_view csv, std::int64_t by_user_id) {
  TRY_ASSIGN(const std::vector<RemittanceInput> lines, ParseCodRemittance(csv));
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
