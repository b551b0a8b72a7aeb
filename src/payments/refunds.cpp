// PaymentService's refunds (declared in payment_service.hpp): money back to a
// buyer, never more than arrived, each refund posted to the ledger once.
#include <algorithm>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "payments/ledger.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {
namespace {

constexpr std::string_view kChannelGateway = "gateway";
constexpr std::string_view kChannelShopTransfer = "shop_transfer";

// Raises refunded_vnd only while it stays within what arrived: two requests
// racing on one payment cannot both spend the same money (the row is locked
// by the update on PostgreSQL; SQLite has one writer).
constexpr std::string_view kReserve =
    "UPDATE payments_payments SET refunded_vnd = refunded_vnd + ?, updated_at = ? WHERE order_id = ? "
    "AND refunded_vnd + ? <= paid_vnd";
constexpr std::string_view kRelease =
    "UPDATE payments_payments SET refunded_vnd = refunded_vnd - ?, updated_at = ? WHERE order_id = ?";
constexpr std::string_view kInsertRefund =
    "INSERT INTO payments_refunds (order_id, seller_id, method, channel, amount_vnd, status, note, "
    "requested_by, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kRefundColumns =
    "id, order_id, seller_id, method, channel, amount_vnd, posted_vnd, commission_vnd, status, gateway_ref, "
    "note, "
    "created_at";
constexpr std::string_view kRefundCount =
    "SELECT COUNT(*) FROM payments_refunds WHERE order_id = ? AND status <> 'failed'";
constexpr std::string_view kPostedBefore =
    "SELECT COALESCE(SUM(posted_vnd), 0), COALESCE(SUM(commission_vnd), 0) FROM payments_refunds "
    "WHERE order_id = ? AND status = 'done'";
constexpr std::string_view kPendingCount =
    "SELECT COUNT(*) FROM payments_refunds WHERE order_id = ? AND status = 'pending'";
constexpr std::string_view kFinishRefund =
    "UPDATE payments_refunds SET status = 'done', posted_vnd = ?, commission_vnd = ?, gateway_ref = ?, "
    "updated_at = ? WHERE id = ? AND status = 'pending'";
constexpr std::string_view kFailRefund =
    "UPDATE payments_refunds SET status = 'failed', updated_at = ? WHERE id = ? AND status = 'pending'";
constexpr std::string_view kMarkPaymentRefunded =
    "UPDATE payments_payments SET status = 'refunded', updated_at = ? WHERE order_id = ?";

bool IsGatewayMethod(std::string_view method) {
  return method == orders::kPaymentVnpay || method == orders::kPaymentMomo;
}

// The commission given back when the refunded part of a sale grows from
// `before` to `after`: the sale's commission in proportion, rounded down at
// each end so that a sale refunded whole gives back exactly its commission.
std::int64_t CommissionBack(const SalePosting& sale, std::int64_t before, std::int64_t after) {
  if (sale.amount_vnd <= 0) return 0;
  auto share = [&](std::int64_t part) {
    return static_cast<std::int64_t>(static_cast<__int128>(sale.commission_vnd) * part / sale.amount_vnd);
  };
  return share(after) - share(before);
}

Error Refused(std::string type, const std::string& field, std::string message) {
  Error e = Error::Unprocessable(std::move(type), field + ": " + message);
  e.fields.push_back({field, std::move(message)});
  return e;
}

}  // namespace

Result<std::int64_t> PaymentService::ReserveRefundWith(db::Connection& c, const Row& row,
                                                       std::int64_t amount_vnd, const std::string& channel,
                                                       const std::string& note, std::int64_t requested_by) {
  TRY_ASSIGN(std::int64_t count, c.QueryInt(kRefundCount, {row.order_id}));
  if (count >= kMaxRefundsPerOrder) {
    return Refused("too_many_refunds", "amount_vnd",
                   "An order may have at most " + std::to_string(kMaxRefundsPerOrder) + " refunds.");
  }
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(std::int64_t reserved, c.Exec(kReserve, {amount_vnd, now, row.order_id, amount_vnd}));
  if (reserved == 0) {
    TRY_ASSIGN(auto left,
               c.QueryOne("SELECT paid_vnd - refunded_vnd FROM payments_payments WHERE order_id = ?",
                          {row.order_id}));
    return Refused(
        "refund_exceeds_payment", "amount_vnd",
        "At most " + std::to_string(left ? left->Int(0) : 0) + " đồng of this payment is left to refund.");
  }
  const db::Value by = requested_by > 0 ? db::Value{requested_by} : db::Value{};
  return c.QueryInt(kInsertRefund,
                    {row.order_id, row.seller_id, row.method, channel, amount_vnd, note, by, now, now});
}

Status PaymentService::CompleteRefundWith(db::Connection& c, std::int64_t refund_id,
                                          const std::string& gateway_ref) {
  TRY_ASSIGN(auto refund, c.QueryOne("SELECT order_id, amount_vnd, status FROM payments_refunds WHERE id = ?",
                                     {refund_id}));
  if (!refund || refund->Text(2) != "pending") return Error::Internal("refund is not pending");
  const std::int64_t order_id = refund->Int(0);
  const std::int64_t amount = refund->Int(1);
  TRY_ASSIGN(auto row, Load(c, order_id));
  if (!row) return Error::Internal("refund of a payment that vanished");
  // Held money (late, or beyond the amount) goes back first: the sale stands
  // as long as it can.
  TRY_ASSIGN(std::int64_t held, HeldFor(c, order_id));
  RefundPosting posting;
  posting.held_vnd = std::min(amount, held);
  posting.posted_vnd = amount - posting.held_vnd;
  if (posting.posted_vnd > 0) {
    TRY_ASSIGN(auto sale, SaleOf(c, order_id));
    TRY_ASSIGN(auto before, c.QueryOne(kPostedBefore, {order_id}));
    const std::int64_t posted_before = before ? before->Int(0) : 0;
    if (!sale || posted_before + posting.posted_vnd > sale->amount_vnd) {
      return Error::Internal("refund larger than the money the ledger holds for the order");
    }
    posting.commission_vnd = CommissionBack(*sale, posted_before, posted_before + posting.posted_vnd);
  }
  const std::int64_t now = clock_.NowMs();
  TRY(PostRefund(c, row->seller_id, order_id, row->method, posting, now));
  TRY(c.Exec(kFinishRefund, {posting.posted_vnd, posting.commission_vnd, gateway_ref, now, refund_id}));
  TRY_ASSIGN(std::int64_t pending, c.QueryInt(kPendingCount, {order_id}));
  if (pending == 0 && row->refunded_vnd >= row->paid_vnd) TRY(c.Exec(kMarkPaymentRefunded, {now, order_id}));
  return Ok{};
}

Status PaymentService::ReleaseRefundWith(db::Connection& c, std::int64_t refund_id) {
  TRY_ASSIGN(auto refund, c.QueryOne("SELECT order_id, amount_vnd, status FROM payments_refunds WHERE id = ?",
                                     {refund_id}));
  if (!refund || refund->Text(2) != "pending") return Ok{};
  const std::int64_t now = clock_.NowMs();
  TRY(c.Exec(kFailRefund, {now, refund_id}));
  TRY(c.Exec(kRelease, {refund->Int(1), now, refund->Int(0)}));
  return Ok{};
}

Result<nlohmann::json> PaymentService::RefundJson(db::Connection& c, std::int64_t refund_id) {
  TRY_ASSIGN(auto r,
             c.QueryOne("SELECT " + std::string(kRefundColumns) + " FROM payments_refunds WHERE id = ?",
                        {refund_id}));
  if (!r) return Error::NotFound("refund");
  const std::int64_t amount = r->Int(5);
  const std::int64_t posted = r->Int(6);
  const bool done = r->Text(8) == "done";
  return nlohmann::json{{"id", r->Int(0)},
                        {"order_id", r->Int(1)},
                        {"method", r->Text(3)},
                        {"channel", r->Text(4)},
                        {"amount_vnd", amount},
                        {"posted_vnd", posted},
                        {"commission_vnd", r->Int(7)},
                        {"held_vnd", done ? amount - posted : 0},
                        {"status", r->Text(8)},
                        {"gateway_ref", r->Text(9)},
                        {"note", r->Text(10)},
                        {"created_at", timefmt::Rfc3339(r->Int(11))}};
}

Result<nlohmann::json> PaymentService::RefundsOf(db::Connection& c, std::int64_t order_id) {
  TRY_ASSIGN(db::Rows rows,
             c.Query("SELECT id FROM payments_refunds WHERE order_id = ? ORDER BY id", {order_id}));
  nlohmann::json out = nlohmann::json::array();
  for (const db::Row& r : rows) {
    TRY_ASSIGN(nlohmann::json refund, RefundJson(c, r.Int(0)));
    out.push_back(std::move(refund));
  }
  return out;
}

Result<nlohmann::json> PaymentService::Refund(const Principal& principal, std::int64_t order_id,
                                              const RefundInput& input, const std::string& ip) {
  TRY_ASSIGN(Row row, Visible(&principal, order_id));
  TRY_ASSIGN(bool may, MaySeeMoney(&principal, row.seller_id));
  if (!may) return Error::Forbidden("Only the shop's managers or the operator refund a payment.");
  const std::string note = text::ToNfc(text::Trim(input.note));
  std::vector<FieldError> errors;
  if (input.amount_vnd <= 0 || input.amount_vnd > money::kMaxVnd) {
    errors.push_back({"amount_vnd", "A whole number of đồng above 0."});
  }
  if (text::CodePointCount(note) > kMaxRefundNoteChars ||
      std::any_of(note.begin(), note.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
    errors.push_back({"note", "At most " + std::to_string(kMaxRefundNoteChars) + " characters on one line."});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const bool gateway = IsGatewayMethod(row.method);
  if (row.method == orders::kPaymentCod) {
    return Refused("refund_not_here", "order", "Cash on delivery is refunded by the shop in hand, not here.");
  }
  const bool settled = row.status == "paid" || row.status == "overpaid";
  // A gateway payment owed back whole is the sweep's (it asks the gateway
  // itself); a shop's own account is refunded by the shop's own transfer.
  if (!(settled || (!gateway && row.status == "refund_due"))) {
    return Refused(
        "not_refundable", "order",
        "A payment that is " + row.status + " cannot be refunded" +
            (gateway && row.status == "refund_due" ? " by hand: the gateway refund is on its way." : "."));
  }
  Gateway* through = nullptr;
  if (gateway) {
    auto it = gateways_.find(row.method);
    if (it == gateways_.end() || it->second == nullptr) {
      return Error::Unavailable("The platform has not configured " + row.method + ".");
    }
    through = it->second;
  }
  const std::string channel(gateway ? kChannelGateway : kChannelShopTransfer);
  auto audit_with = [&](db::Connection& c, const std::string& action, std::int64_t refund_id,
                        const std::string& gateway_ref) -> Status {
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.action = action;
    audit.object_type = "order";
    audit.object_id = std::to_string(order_id);
    audit.after = {{"refund_id", refund_id},
                   {"amount_vnd", input.amount_vnd},
                   {"channel", channel},
                   {"note", note},
                   {"gateway_ref", gateway_ref}};
    audit.ip = ip;
    return accounts::RecordAudit(c, audit, clock_.NowMs());
  };
  TRY_ASSIGN(std::int64_t refund_id, db_.DurableWrite([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(auto fresh, Load(c, order_id));
    if (!fresh) return Error::NotFound("payment");
    TRY_ASSIGN(std::int64_t id,
               ReserveRefundWith(c, *fresh, input.amount_vnd, channel, note, principal.user_id));
    if (gateway) {
      TRY(audit_with(c, "payments.refund.requested", id, ""));
    } else {
      // The shop's transfer back already happened: it is recorded done.
      TRY(CompleteRefundWith(c, id, ""));
      TRY(audit_with(c, "payments.refund.recorded", id, ""));
    }
    return id;
  }));
  if (gateway) {
    auto sent = through->Refund({order_id, row.reference, input.amount_vnd});
    TRY(db_.DurableWrite([&](db::Connection& c) -> Status {
      if (!sent.ok()) {
        TRY(ReleaseRefundWith(c, refund_id));
        return audit_with(c, "payments.refund.refused", refund_id, "");
      }
      TRY(CompleteRefundWith(c, refund_id, *sent));
      return audit_with(c, "payments.refund.sent", refund_id, *sent);
    }));
    if (!sent.ok()) {
      Error e =
          Error::Unavailable("The gateway did not accept the refund; nothing was refunded. Try again later.");
      e.type = "gateway_refused";
      return e;
    }
  }
  return db_.Read([&](db::Connection& c) -> Result<nlohmann::json> {
    TRY_ASSIGN(nlohmann::json out, RefundJson(c, refund_id));
    TRY_ASSIGN(auto after, Load(c, order_id));
    if (after) out["payment"] = View(*after);
    return out;
  });
}

// ---- for the gateways' sweep

Result<std::vector<std::int64_t>> PaymentService::RefundsDue(std::string_view method, int limit) {
  return db_.Read([&](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    TRY_ASSIGN(auto rows,
               c.Query("SELECT order_id FROM payments_payments WHERE status = 'refund_due' AND method = ? "
                       "AND paid_vnd > refunded_vnd ORDER BY updated_at, order_id LIMIT ?",
                       {std::string(method), static_cast<std::int64_t>(limit)}));
    std::vector<std::int64_t> order_ids;
    for (const auto& row : rows) order_ids.push_back(row.Int(0));
    return order_ids;
  });
}

Result<std::int64_t> PaymentService::RefundableVnd(std::int64_t order_id) {
  return db_.Read([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(
        auto row,
        c.QueryOne("SELECT paid_vnd - refunded_vnd FROM payments_payments WHERE order_id = ?", {order_id}));
    if (!row) return Error::NotFound("payment");
    return row->Int(0);
  });
}

Status PaymentService::RecordGatewayRefund(std::int64_t order_id, std::string_view method,
                                           std::int64_t amount_vnd, const std::string& gateway_ref) {
  return db_.DurableWrite([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto row, Load(c, order_id));
    if (!row || row->method != method) return Error::NotFound("payment");
    TRY_ASSIGN(std::int64_t id, ReserveRefundWith(c, *row, amount_vnd, std::string(kChannelGateway), "", 0));
    TRY(CompleteRefundWith(c, id, gateway_ref));
    TRY(c.Exec(
        "UPDATE payments_payments SET status = 'refunded' WHERE order_id = ? AND refunded_vnd >= paid_vnd",
        {order_id}));
    return Ok{};
  });
}

}  // namespace nongsan::payments
