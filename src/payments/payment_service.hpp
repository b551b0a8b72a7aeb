// Payments: what each shop accepts, its payout account, one payment per
// order (opened in the checkout's transaction through the orders module's
// PaymentMethods interface), the money that arrives for it, the payment
// deadline and the shops' ledger.
//
// A payment's status (docs/payments.md):
//   pending ─money < amount→ partially_paid ─rest→ paid ─more→ overpaid
//      │         (exact → paid, more → overpaid at once)
//      ├─ deadline passed, nothing received → expired (the order is cancelled,
//      │  its stock released)
//      ├─ order cancelled before money → cancelled
//      └─ money for an expired/cancelled order, or an order closed after
//         money came → refund_due (flagged, never applied to the order)
//   refund_due → refunded (by a gateway's refund or the shop's own transfer)
// Cash-on-delivery payments stay pending until the carrier's remittance.
//
// Money received is recorded once per (source, external id) — a bank
// transaction id, a gateway transaction number — whatever number of times
// it is delivered; a receipt, its payment's new status, the order marked
// paid and the ledger posting commit in one durable transaction
// (Database::DurableWrite) before the sender is answered.
//
// Who sees what: a payment — the order's buyer, those who manage its shop
// (sellers::SellerService::CanManage) and the operator (the province admin
// of the shop's province); the payout account and the ledger — the shop's
// managers and the operator; the payout account is set by the owner alone,
// with their password. Anyone else gets 404.
//
// Thread-safety: safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_service.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "orders/order_service.hpp"
#include "orders/payment_methods.hpp"
#include "payments/bank_input.hpp"
#include "payments/banks.hpp"
#include "payments/gateway.hpp"
#include "payments/refusal_limit.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::payments {

// How long an online order waits for its money unless configured.
inline constexpr int kDefaultPaymentTimeoutMinutes = 30;
inline constexpr std::size_t kMaxAccountNameChars = 100;
// Most payments the sweeper expires per round (it runs again at once when full).
inline constexpr int kExpireBatch = 200;
// Longest range of days a cooperative's member shares cover at once.
inline constexpr std::int64_t kMaxShareRangeDays = 366;
// Most unmatched receipts listed at once.
inline constexpr int kMaxUnmatchedListed = 200;

struct PaymentsOptions {
  std::int64_t payment_timeout_ms = kDefaultPaymentTimeoutMinutes * 60'000LL;
  int commission_percent = 0;
};

struct PayoutAccount {
  std::int64_t seller_id = 0;
  std::string bank_bin;
  std::string bank_name;
  std::string account_number;
  std::string account_name;
  std::int64_t updated_at = 0;
};

struct PayoutAccountInput {
  std::string bank_bin;
  std::string account_number;
  std::string account_name;
  std::string password;
};

enum class ReceiptOutcome { kApplied, kLate, kUnmatched, kDuplicate };
const char* ReceiptOutcomeName(ReceiptOutcome outcome);

struct Receipt {
  ReceiptOutcome outcome = ReceiptOutcome::kUnmatched;
  std::int64_t order_id = 0;   // 0 when unmatched
  std::string payment_status;  // after it ("" when unmatched)
};

// What a bank statement import did, line by line.
struct StatementResult {
  std::size_t lines = 0;
  std::size_t applied = 0;
  std::size_t late = 0;
  std::size_t unmatched = 0;
  std::size_t duplicate = 0;
};

// One shop's part of a payout batch.
struct PayoutRequest {
  std::int64_t seller_id = 0;
  std::int64_t amount_vnd = 0;
};

// Most shops paid in one batch.
inline constexpr std::size_t kMaxPayoutItems = 500;

// A line of a COD remittance that was not simply applied: its amount is not
// the order's (amount_differs), no order carries its tracking code
// (unknown_tracking), the order is not cash on delivery (not_cod), closed
// (order_closed) or already paid (already_remitted).
struct RemittanceLine {
  std::size_t line = 0;
  std::string tracking_code;
  std::int64_t amount_vnd = 0;
  std::int64_t expected_vnd = 0;  // the order's amount; 0 when no order
  std::int64_t order_id = 0;      // 0 when no order
  std::string outcome;
};

struct RemittanceResult {
  std::size_t lines = 0;
  std::size_t applied = 0;
  std::size_t duplicate = 0;  // the same line imported before: nothing changed
  std::vector<RemittanceLine> differences;
};

// Most refunds one order may have (each one a gateway call or a transfer).
inline constexpr std::int64_t kMaxRefundsPerOrder = 10;
// Longest note on a refund (the shop's transfer reference, a reason).
inline constexpr std::size_t kMaxRefundNoteChars = 200;

// A refund asked for by those who manage the shop or the operator.
struct RefundInput {
  std::int64_t amount_vnd = 0;
  std::string note;
};

class PaymentService {
 public:
  PaymentService(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
                 accounts::AccountService& accounts, orders::OrderService& orders, BankList banks,
                 PaymentsOptions options);

  // Start-up wiring only: the gateway behind `method` (vnpay, momo). A method
  // with no gateway is not offered.
  void SetGateway(const std::string& method, Gateway* gateway);
  bool GatewayConfigured(std::string_view method) const;
  const BankList& banks() const { return banks_; }
  const PaymentsOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }
  sellers::SellerService& sellers() { return sellers_; }

  // ---- what a shop accepts (cod always; vietqr needs a payout account;
  // vnpay/momo need the operator's gateway). Readable by anyone (checkout
  // shows it); set by those who manage the shop.
  Result<std::vector<std::string>> AcceptedMethods(std::int64_t seller_id);
  Result<std::vector<std::string>> SetAcceptedMethods(const Principal& principal, std::int64_t seller_id,
                                                      const std::vector<std::string>& methods,
                                                      const std::string& ip);
  // orders::PaymentMethods::CheckAccepted.
  Status CheckAccepted(std::int64_t seller_id, std::string_view method);

  // ---- the payout account
  Result<std::optional<PayoutAccount>> GetPayoutAccount(const Principal* principal, std::int64_t seller_id);
  Result<PayoutAccount> SetPayoutAccount(const Principal& principal, std::int64_t seller_id,
                                         const PayoutAccountInput& input, const std::string& ip);

  // ---- the payment object
  Status OpenWith(db::Connection& c, const orders::PlacedPayment& placed);
  Status OrderClosedWith(db::Connection& c, std::int64_t order_id, std::int64_t at);
  // {order_id, order_code, method, status, amount_vnd, paid_vnd, reference,
  //  expires_at, paid_at, vietqr:{payload, bank_bin, bank_name,
  //  account_number, account_name, reference} (vietqr only), pay_url}.
  Result<nlohmann::json> Get(const Principal* principal, std::int64_t order_id);
  // The VietQR payload of an order paid by vietqr, for those who see it.
  Result<std::string> VietQrPayloadOf(const Principal* principal, std::int64_t order_id);

  // ---- money arriving
  // A bank notification: `raw_body` signed with HMAC-SHA256 under `secret`,
  // hex in `signature`. Forged or malformed notifications are refused (and
  // audited; forged ones past the refusal limit of `ip` are kRateLimited and
  // written nowhere); a genuine one is applied once.
  Result<Receipt> ReceiveBankNotification(std::string_view raw_body, std::string_view signature,
                                          const std::string& secret, const std::string& ip);
  // A transfer into a shop's account: matched by the reference inside its
  // description and the account it reached; applied once, durably.
  Result<Receipt> ApplyTransfer(const IncomingMoney& money);
  // What a gateway's verified IPN reports: `amount_vnd` paid for the order
  // whose reference is `reference`, under the gateway's transaction number.
  // Applied once (a replay answers kDuplicate), durably, posted to the ledger.
  Result<Receipt> ApplyGatewayPayment(const std::string& method, const std::string& reference,
                                      std::int64_t amount_vnd, const std::string& gateway_txn_id,
                                      std::int64_t paid_at);
  // A bank statement of `account_number` as CSV with a header naming at
  // least id, amount_vnd, description and transferred_at (other columns are
  // ignored). Every line is checked first: any broken line refuses the whole
  // file, each broken line named ("line 7": its problem), and nothing is
  // applied. Then every line is applied in one durable transaction, each
  // once — a line whose bank id already arrived by notification, or by an
  // earlier import, is a duplicate. (The operator's CLI.)
  Result<StatementResult> ImportStatement(const std::string& account_number, std::string_view csv);
  // A shop's own statement (those who manage it; audited): the account is
  // the shop's payout account.
  Result<StatementResult> ImportShopStatement(const Principal& principal, std::int64_t seller_id,
                                              std::string_view csv, const std::string& ip);
  // Receipts matched to no order: of one shop (its managers, the operator),
  // or every one (seller_id 0; any province admin: a transfer into an
  // account no shop recorded names no shop, hence no province).
  Result<std::vector<nlohmann::json>> Unmatched(const Principal* principal, std::int64_t seller_id);

  // The operator gives an unmatched transfer to the order it was for: a
  // VietQR payment into the account the money reached (else 422 naming
  // order_id). Any province admin for a transfer into an account no shop
  // recorded, the shop's operator otherwise. Applied as if the transfer had
  // named the order (paid, short, over or late), once, durably, audited.
  Result<Receipt> AssignUnmatched(const Principal& principal, std::int64_t receipt_id, std::int64_t order_id,
                                  const std::string& ip);

  // ---- the payment deadline: pending or partly paid online payments past
  // their deadline expire and their orders are cancelled (stock released).
  // Returns how many orders were cancelled.
  Result<int> ExpireOverdue();

  // ---- the ledger
  Result<nlohmann::json> Ledger(const Principal* principal, std::int64_t seller_id);

  // ---- a cooperative's member households (member_shares.cpp). For each
  // active member shop (sellers::SellerService::ListMembers) its share over
  // the Vietnam dates from..to inclusive (YYYY-MM-DD; by default the current
  // month to today; at most kMaxShareRangeDays): {member_id, name,
  // sales_vnd, commission_vnd, refunds_vnd, net_vnd, balance_vnd}, and the
  // totals. Seen by those who may see the cooperative's own ledger; 404 for a
  // shop that is not a cooperative; 422 naming from/to for a bad range.
  Result<nlohmann::json> MemberShares(const Principal* principal, std::int64_t coop_id, std::string_view from,
                                      std::string_view to);

  // ---- payouts (payouts.cpp). The operator pays shops of their province
  // what the platform owes them: each item at most the shop's balance and
  // to its payout account; refused whole (each bad item named, audited)
  // otherwise. The batch, its payouts (sent), their ledger postings and the
  // bank bulk-transfer file commit in one durable transaction.
  // {batch_id, total_vnd, payouts:[{id, seller_id, amount_vnd, bank_bin,
  //  account_number, account_name}], file_url}.
  Result<nlohmann::json> CreatePayouts(const Principal& principal, const std::vector<PayoutRequest>& items,
                                       const std::string& ip);
  // The batch's bank bulk-transfer file (CSV), for the operator who may see it.
  Result<std::string> PayoutFile(const Principal& principal, std::int64_t batch_id);

  // ---- cash on delivery (cod_remittance.cpp). A carrier's remittance
  // statement: CSV whose header names at least tracking_code, amount_vnd and
  // remitted_at (a date, 29/11/2026 or 2026-11-29, or a time). Every line is
  // checked first — any broken line (or a tracking code twice) refuses the
  // whole file, each line named. Then, in one durable transaction, each line
  // whose parcel is a pending cash-on-delivery order of exactly that amount
  // marks it paid and credits the shop (order_paid, method cod); the others
  // are recorded and returned as differences. Importing a file again
  // changes nothing (each line is a duplicate). ImportCodRemittance is the
  // operator's CLI; ImportCodRemittanceAs the operator's upload (any province
  // admin: a carrier's statement spans provinces; audited).
  Result<RemittanceResult> ImportCodRemittance(std::string_view csv, std::int64_t by_user_id);
  Result<RemittanceResult> ImportCodRemittanceAs(const Principal& principal, std::string_view csv,
                                                 const std::string& ip);

  // ---- refunds (refunds.cpp). Money goes back to the buyer at most up to
  // what was received and not yet refunded (paid_vnd − refunded_vnd). It
  // first returns money held for the buyer (late, or beyond the amount), then
  // reverses the sale in proportion: the shop is debited, the commission
  // given back. A payment all of whose money went back is `refunded`.
  //
  // Refund asks for one (the shop's managers, the operator; audited):
  // through the gateway for vnpay/momo (VNPay's transaction type 02 for the
  // whole payment, 03 for part; MoMo's amount) while the order is paid or
  // overpaid — a refund_due one is refunded whole by the gateways' sweep —
  // or, for vietqr, the record of the shop's own transfer back (also for
  // refund_due money). The amount is reserved before the gateway is asked,
  // so two requests cannot both spend it; a refusal releases it.
  // {id, order_id, method, channel, amount_vnd, posted_vnd, commission_vnd,
  //  held_vnd, status, gateway_ref, note, created_at, payment}.
  Result<nlohmann::json> Refund(const Principal& principal, std::int64_t order_id, const RefundInput& input,
                                const std::string& ip);
  // For the gateways' sweep: orders paid by `method` (vnpay, momo) whose
  // payment owes the buyer money back, oldest first; how much; and the
  // gateway's word that it refunded it (reserved and posted at once, durably).
  Result<std::vector<std::int64_t>> RefundsDue(std::string_view method, int limit);
  Result<std::int64_t> RefundableVnd(std::int64_t order_id);
  Status RecordGatewayRefund(std::int64_t order_id, std::string_view method, std::int64_t amount_vnd,
                             const std::string& gateway_ref);

  // May the principal see the shop's money (its managers, the operator)?
  Result<bool> MaySeeMoney(const Principal* principal, std::int64_t seller_id);
  // Is the principal the operator for this shop (its province's admin)?
  Result<bool> IsOperatorFor(const Principal* principal, std::int64_t seller_id);

 private:
  // One payment as stored (payments_payments).
  struct Row {
    std::int64_t order_id = 0;
    std::string order_code;
    std::int64_t seller_id = 0;
    std::int64_t buyer_id = 0;
    std::string method;
    std::string status;
    std::int64_t amount_vnd = 0;
    std::int64_t paid_vnd = 0;
    std::string reference;
    std::string bank_bin;
    std::string account_number;
    std::string account_name;
    std::optional<std::int64_t> expires_at;
    std::optional<std::int64_t> paid_at;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t refunded_vnd = 0;
  };
  Result<std::optional<Row>> Load(db::Connection& c, std::int64_t order_id);
  Result<Row> Visible(const Principal* principal, std::int64_t order_id);
  nlohmann::json View(const Row& row);
  // Records `money` and applies it to `order_id` (0: unmatched) in `c`; with
  // `unmatched_receipt_id`, that unmatched receipt is the money (assigned by hand).
  Result<Receipt> RecordWith(db::Connection& c, const IncomingMoney& money, std::int64_t order_id,
                             std::int64_t seller_id, std::int64_t unmatched_receipt_id = 0);
  Result<Receipt> RecordOnce(
      const IncomingMoney& money,
      const std::function<Result<std::pair<std::int64_t, std::int64_t>>(db::Connection&)>& match);
  // The one order a transfer into `account_number` names, and the shop.
  Result<std::pair<std::int64_t, std::int64_t>> MatchTransfer(db::Connection& c, const IncomingMoney& money);
  Status AuditRefusal(const std::string& action, const std::string& detail, const std::string& ip);
  // Refunds: `amount_vnd` of the payment set aside (refunded_vnd raised, only
  // while it stays ≤ paid_vnd) as a new pending refund; its posting and the
  // payment's status once it is done; or its release.
  Result<std::int64_t> ReserveRefundWith(db::Connection& c, const Row& row, std::int64_t amount_vnd,
                                         const std::string& channel, const std::string& note,
                                         std::int64_t requested_by);
  Status CompleteRefundWith(db::Connection& c, std::int64_t refund_id, const std::string& gateway_ref);
  Status ReleaseRefundWith(db::Connection& c, std::int64_t refund_id);
  Result<nlohmann::json> RefundJson(db::Connection& c, std::int64_t refund_id);
  Result<nlohmann::json> RefundsOf(db::Connection& c, std::int64_t order_id);

  db::Database& db_;
  const Clock& clock_;
  sellers::SellerService& sellers_;
  accounts::AccountService& accounts_;
  orders::OrderService& orders_;
  const BankList banks_;
  const PaymentsOptions options_;
  std::map<std::string, Gateway*, std::less<>> gateways_;
  RefusalLimit refusals_;
};

}  // namespace nongsan::payments
