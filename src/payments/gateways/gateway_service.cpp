#include "payments/gateways/gateway_service.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

#include "accounts/audit_log.hpp"
#include "core/ids.hpp"
#include "payments/gateways/signing.hpp"

namespace nongsan::payments::gateways {

namespace {

// Columns of kSelectAttempt, by name.
enum AttemptColumn {
  kId,
  kMethod,
  kTxnRef,
  kOrderId,
  kReference,
  kAmount,
  kPayUrl,
  kStatus,
  kTxnId,
  kPaidAt
};

constexpr const char* kSelectAttempt =
    "SELECT id, method, txn_ref, order_id, reference, amount_vnd, pay_url, status, gateway_txn_id, "
    "gateway_paid_at FROM payments_gateway_attempts WHERE method = ? AND txn_ref = ?";
constexpr const char* kInsertAttempt =
    "INSERT INTO payments_gateway_attempts (method, txn_ref, order_id, reference, amount_vnd, pay_url, "
    "status, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?) ON CONFLICT (method, txn_ref) DO "
    "NOTHING";
// Before the money is applied, the gateway's transaction number and pay date
// are kept (a refund must quote them back); the attempt becomes paid after.
// Neither write syncs the disk itself: the payments module's durable commit
// that follows syncs the SQLite WAL, and with it every commit before it (on
// PostgreSQL every commit is synced). If the last write is lost, the
// gateway's retry finds the transaction recorded (kDuplicate) and writes it.
constexpr const char* kRememberTransaction =
    "UPDATE payments_gateway_attempts SET gateway_txn_id = ?, gateway_paid_at = ?, updated_at = ? "
    "WHERE id = ? AND status IN ('open', 'failed')";
constexpr const char* kMarkPaid =
    "UPDATE payments_gateway_attempts SET status = 'paid', updated_at = ? WHERE id = ? AND status IN "
    "('open', "
    "'failed')";
constexpr const char* kMarkFailed =
    "UPDATE payments_gateway_attempts SET status = 'failed', updated_at = ? WHERE id = ? AND status = 'open'";
constexpr const char* kMarkRefund =
    "UPDATE payments_gateway_attempts SET status = ?, refund_ref = ?, updated_at = ? WHERE id = ? "
    "AND status IN ('paid', 'open')";
// The attempt a refund goes through: paid, or open with its transaction
// remembered (the paid mark lost to a power cut; the payments module, which
// lists the refunds due, is the record of the money).
constexpr const char* kPaidAttemptOfOrder =
    "SELECT id, method, txn_ref, order_id, reference, amount_vnd, pay_url, status, gateway_txn_id, "
    "gateway_paid_at FROM payments_gateway_attempts WHERE order_id = ? AND method = ? "
    "AND (status = 'paid' OR (status = 'open' AND gateway_txn_id <> ''))";

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

const char* ApplyOutcomeName(ApplyOutcome outcome) {
  switch (outcome) {
    case ApplyOutcome::kApplied:
      return "applied";
    case ApplyOutcome::kDuplicate:
      return "duplicate";
    case ApplyOutcome::kLate:
      return "late";
    case ApplyOutcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

// The order info shown at the gateway: ASCII, as VNPay asks.
std::string OrderInfo(const GatewayOrderRef& order) { return "Thanh toan don hang " + order.order_code; }

}  // namespace

struct GatewayService::Attempt {
  std::int64_t id = 0;
  std::string method;
  std::string txn_ref;
  std::int64_t order_id = 0;
  std::string reference;
  std::int64_t amount_vnd = 0;
  std::string pay_url;
  std::string status;
  std::string gateway_txn_id;
  std::string gateway_paid_at;

  static Attempt FromRow(const db::Row& row) {
    return {row.Int(kId),     row.Text(kMethod), row.Text(kTxnRef), row.Int(kOrderId), row.Text(kReference),
            row.Int(kAmount), row.Text(kPayUrl), row.Text(kStatus), row.Text(kTxnId),  row.Text(kPaidAt)};
  }
  bool Confirmed() const { return status == "paid" || status == "refunded" || status == "refund_failed"; }
};

GatewayService::GatewayService(db::Database& db, const Clock& clock, GatewaySettings settings)
    : db_(db),
      clock_(clock),
      settings_(std::move(settings)),
      vnpay_(settings_.vnpay),
      momo_(settings_.momo),
      refusals_(clock) {}

bool GatewayService::Configured(std::string_view method) const {
  if (method == kMethodVnpay) {
    const auto& v = settings_.vnpay;
    return !v.tmn_code.empty() && !v.hash_secret.empty() && !v.pay_url.empty() && !v.api_url.empty();
  }
  if (method == kMethodMomo) {
    const auto& m = settings_.momo;
    return !m.partner_code.empty() && !m.access_key.empty() && !m.secret_key.empty() && !m.endpoint.empty();
  }
  return false;
}

Result<std::optional<GatewayService::Attempt>> GatewayService::FindAttempt(std::string_view method,
                                                                           const std::string& txn_ref) {
  return db_.Read([&](db::Connection& c) -> Result<std::optional<Attempt>> {
    TRY_ASSIGN(auto row, c.QueryOne(kSelectAttempt, {std::string(method), txn_ref}));
    if (!row) return std::optional<Attempt>{};
    return std::optional<Attempt>(Attempt::FromRow(*row));
  });
}

Result<std::string> GatewayService::PayUrl(std::string_view method, const GatewayOrderRef& order) {
  if (!Configured(method)) return Error::Unavailable("This payment gateway is not configured.");
  TRY_ASSIGN(auto existing, FindAttempt(method, order.reference));
  if (existing) return existing->pay_url;
  return CreateAttempt(method, order);
}

Result<std::string> GatewayService::CreateAttempt(std::string_view method, const GatewayOrderRef& order) {
  std::string pay_url;
  if (method == kMethodVnpay) {
    VnpayPaymentRequest request;
    request.txn_ref = order.reference;
    request.amount_vnd = order.amount_vnd;
    request.order_info = OrderInfo(order);
    request.return_url = settings_.base_url + std::string(kVnpayReturnPath);
    request.ip_addr = settings_.server_ip;
    request.created_ms = order.created_at;
    request.expires_ms = order.expires_at;
    pay_url = vnpay_.PaymentUrl(request);
  } else {
    MomoCreateRequest request;
    request.request_id = order.reference + "-" + ids::RandomCode(6);
    request.order_id = order.reference;
    request.amount_vnd = order.amount_vnd;
    request.order_info = OrderInfo(order);
    request.redirect_url = settings_.base_url + std::string(kMomoReturnPath);
    request.ipn_url = settings_.base_url + std::string(kMomoIpnPath);
    TRY_ASSIGN(pay_url, momo_.CreatePayment(request));
  }
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kInsertAttempt, {std::string(method), order.reference, order.order_id, order.reference,
                                order.amount_vnd, pay_url, now, now}));
    return Ok{};
  }));
  // Two first views at once both asked; the one stored first is the URL.
  TRY_ASSIGN(auto stored, FindAttempt(method, order.reference));
  if (!stored) return Error::Internal("gateway attempt vanished");
  return stored->pay_url;
}

void GatewayService::AuditRefusal(std::string_view method, const std::string& what,
                                  const nlohmann::json& detail, const std::string& ip) {
  spdlog::warn("payments: {} callback refused ({}) from {}", method, what, ip);
  accounts::AuditEntry entry;
  entry.action = "payment." + std::string(method) + "_callback_refused";
  entry.object_type = "payment_callback";
  entry.object_id = detail.value("reference", std::string());
  entry.after = {{"reason", what}, {"callback", detail}};
  entry.ip = ip;
  const Status st =
      db_.WriteWith([&](db::Connection& c) { return accounts::RecordAudit(c, entry, clock_.NowMs()); });
  if (!st.ok()) spdlog::error("payments: cannot audit a refused {} callback: {}", method, st.error().detail);
}

Result<ApplyOutcome> GatewayService::ApplyPaid(const Attempt& attempt, const std::string& gateway_txn_id,
                                               const std::string& gateway_paid_at) {
  if (!payments_) return Error::Unavailable("Payments are not wired.");
  const std::int64_t now = clock_.NowMs();
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kRememberTransaction, {gateway_txn_id, gateway_paid_at, now, attempt.id}));
    return Ok{};
  }));
  TRY_ASSIGN(const ApplyOutcome outcome,
             payments_->Apply(attempt.method, attempt.reference, attempt.amount_vnd, gateway_txn_id, now));
  if (outcome != ApplyOutcome::kUnknown) {
    TRY(db_.WriteWith([&](db::Connection& c) -> Status {
      TRY(c.Exec(kMarkPaid, {now, attempt.id}));
      return Ok{};
    }));
  }
  spdlog::debug("payments: {} transaction for {} {}", attempt.method, attempt.reference,
                ApplyOutcomeName(outcome));
  return outcome;
}

Status GatewayService::MarkFailed(const Attempt& attempt) {
  return db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(kMarkFailed, {clock_.NowMs(), attempt.id}));
    return Ok{};
  });
}

VnpayIpnAnswer GatewayService::HandleVnpayIpn(const std::vector<std::pair<std::string, std::string>>& params,
                                              const std::string& ip) {
  const VnpayIpnAnswer bad_signature{std::string(kVnpayIpnInvalidSignature), "Invalid signature"};
  const VnpayIpnAnswer other{std::string(kVnpayIpnOtherError), "Unknown error"};
  if (!Configured(kMethodVnpay)) return other;
  const VnpayVerification verified = VerifyVnpayCallback(settings_.vnpay, params);
  nlohmann::json seen = nlohmann::json::object();
  for (const auto& [name, value] : params) {
    if (name == "vnp_TxnRef") seen["reference"] = value.substr(0, kMaxTxnRefBytes);
    if (name == "vnp_Amount" || name == "vnp_TransactionNo" || name == "vnp_ResponseCode") {
      seen[name] = value.substr(0, kMaxTxnRefBytes);
    }
  }
  if (!verified.callback) {
    // Unsigned: anyone can send it, so only so many are written down.
    if (const int wait = refusals_.Take(kMethodVnpay, ip); wait > 0) {
      VnpayIpnAnswer limited = bad_signature;
      limited.retry_after_seconds = wait;
      return limited;
    }
  }
  if (verified.problem == VnpayCallbackProblem::kBadSignature) {
    AuditRefusal(kMethodVnpay, "bad_signature", seen, ip);
    return bad_signature;
  }
  if (!verified.callback) {
    AuditRefusal(kMethodVnpay, "malformed", seen, ip);
    return other;
  }
  const VnpayCallback& callback = *verified.callback;
  auto found = FindAttempt(kMethodVnpay, callback.txn_ref);
  if (!found.ok()) return other;
  if (!found.value()) {
    AuditRefusal(kMethodVnpay, "unknown_order", seen, ip);
    return {std::string(kVnpayIpnOrderNotFound), "Order not found"};
  }
  const Attempt& attempt = *found.value();
  if (callback.amount_vnd != attempt.amount_vnd) {
    seen["expected_amount_vnd"] = attempt.amount_vnd;
    AuditRefusal(kMethodVnpay, "wrong_amount", seen, ip);
    return {std::string(kVnpayIpnInvalidAmount), "Invalid amount"};
  }
  const VnpayIpnAnswer already{std::string(kVnpayIpnAlreadyConfirmed), "Order already confirmed"};
  const VnpayIpnAnswer confirmed{std::string(kVnpayIpnConfirmed), "Confirm Success"};
  if (attempt.Confirmed()) {
    AuditRefusal(kMethodVnpay, "replayed", seen, ip);
    return already;
  }
  if (!callback.Paid()) {
    // The buyer did not pay (cancelled, declined): noted, nothing applied.
    if (!MarkFailed(attempt).ok()) return other;
    return confirmed;
  }
  auto outcome = ApplyPaid(attempt, callback.transaction_no, callback.pay_date);
  if (!outcome.ok()) {
    spdlog::error("payments: vnpay IPN for {} not applied: {}", attempt.reference, outcome.error().detail);
    return other;
  }
  switch (outcome.value()) {
    case ApplyOutcome::kApplied:
    case ApplyOutcome::kLate:
      return confirmed;
    case ApplyOutcome::kDuplicate:
      return already;
    case ApplyOutcome::kUnknown:
      return {std::string(kVnpayIpnOrderNotFound), "Order not found"};
  }
  return other;
}

Status GatewayService::HandleMomoIpn(std::string_view body_text, const std::string& ip) {
  if (!Configured(kMethodMomo)) return Error::Unavailable("MoMo is not configured.");
  const auto body = nlohmann::json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Error::Invalid("The body must be MoMo's JSON notification.", {{"body", "Not a JSON object."}});
  }
  nlohmann::json seen = {{"reference", JsonFieldText(body, "orderId").substr(0, kMaxTxnRefBytes)},
                         {"amount", JsonFieldText(body, "amount").substr(0, kMaxTxnRefBytes)},
                         {"transId", JsonFieldText(body, "transId").substr(0, kMaxTxnRefBytes)},
                         {"resultCode", JsonFieldText(body, "resultCode").substr(0, kMaxTxnRefBytes)}};
  const MomoVerification verified = VerifyMomoIpn(settings_.momo, body);
  if (!verified.ipn) {
    // Unsigned: anyone can send it, so only so many are written down.
    if (const int wait = refusals_.Take(kMethodMomo, ip); wait > 0) return Error::RateLimited(wait);
  }
  if (verified.problem == MomoIpnProblem::kBadSignature) {
    AuditRefusal(kMethodMomo, "bad_signature", seen, ip);
    return Error::Invalid("The notification's signature does not verify.",
                          {{"signature", "Does not verify."}});
  }
  if (!verified.ipn) {
    AuditRefusal(kMethodMomo, "malformed", seen, ip);
    return Error::Invalid("The notification lacks a field MoMo always sends.",
                          {{"amount", "amount, transId and resultCode must be integers."}});
  }
  const MomoIpn& ipn = *verified.ipn;
  TRY_ASSIGN(auto found, FindAttempt(kMethodMomo, ipn.order_id));
  if (!found) {
    AuditRefusal(kMethodMomo, "unknown_order", seen, ip);
    return Error::Invalid("No MoMo payment has this orderId.", {{"orderId", "Unknown order."}});
  }
  const Attempt& attempt = *found;
  if (ipn.amount_vnd != attempt.amount_vnd) {
    seen["expected_amount_vnd"] = attempt.amount_vnd;
    AuditRefusal(kMethodMomo, "wrong_amount", seen, ip);
    return Error::Unprocessable("wrong_amount", "The amount is not the order's.");
  }
  if (attempt.Confirmed()) {
    AuditRefusal(kMethodMomo, "replayed", seen, ip);
    return Ok{};  // MoMo stops retrying on 204; nothing more to apply
  }
  if (!ipn.Paid()) return MarkFailed(attempt);
  TRY_ASSIGN(const ApplyOutcome outcome, ApplyPaid(attempt, std::to_string(ipn.trans_id), ""));
  if (outcome == ApplyOutcome::kUnknown) {
    return Error::Invalid("No MoMo payment has this orderId.", {{"orderId", "Unknown order."}});
  }
  return Ok{};
}

ReturnView GatewayService::VerifiedView(std::string_view method, const std::string& txn_ref,
                                        bool gateway_says_paid) {
  ReturnView view;
  view.verified = true;
  view.gateway_says_paid = gateway_says_paid;
  auto found = FindAttempt(method, txn_ref);
  if (!found.ok() || !found.value()) return view;
  const Attempt& attempt = *found.value();
  view.order_id = attempt.order_id;
  view.amount_vnd = attempt.amount_vnd;
  view.confirmed = attempt.Confirmed();
  return view;
}

ReturnView GatewayService::VnpayReturn(const std::vector<std::pair<std::string, std::string>>& params) {
  if (!Configured(kMethodVnpay)) return {};
  const VnpayVerification verified = VerifyVnpayCallback(settings_.vnpay, params);
  if (!verified.callback) return {};
  return VerifiedView(kMethodVnpay, verified.callback->txn_ref, verified.callback->Paid());
}

ReturnView GatewayService::MomoReturn(const std::vector<std::pair<std::string, std::string>>& params) {
  if (!Configured(kMethodMomo)) return {};
  // MoMo redirects with the IPN's fields (and signature) in the query; the
  // numbers arrive as text.
  nlohmann::json body = nlohmann::json::object();
  for (const auto& [name, value] : params) {
    const bool numeric =
        name == "amount" || name == "transId" || name == "resultCode" || name == "responseTime";
    const auto number = numeric ? ParseInt(value) : std::nullopt;
    if (number)
      body[name] = *number;
    else
      body[name] = value;
  }
  const MomoVerification verified = VerifyMomoIpn(settings_.momo, body);
  if (!verified.ipn) return {};
  return VerifiedView(kMethodMomo, verified.ipn->order_id, verified.ipn->Paid());
}

Result<std::string> GatewayService::SendRefund(const Attempt& attempt, std::int64_t amount_vnd, bool sweep) {
  const std::string refund_id = "RF" + attempt.reference + ids::RandomCode(4);
  const bool whole = amount_vnd == attempt.amount_vnd;
  Result<GatewayRefund> refunded = Error::Internal("no gateway");
  if (attempt.method == kMethodVnpay) {
    VnpayRefundRequest request;
    request.request_id = refund_id;
    request.transaction_type = std::string(whole ? kVnpayFullRefund : kVnpayPartialRefund);
    request.txn_ref = attempt.txn_ref;
    request.amount_vnd = amount_vnd;
    request.transaction_no = attempt.gateway_txn_id;
    request.transaction_date = attempt.gateway_paid_at;
    request.create_by = "nongsan";
    request.created_ms = clock_.NowMs();
    request.ip_addr = settings_.server_ip;
    request.order_info = "Hoan tien don hang " + attempt.reference;
    refunded = vnpay_.Refund(request);
  } else {
    MomoRefundRequest request;
    request.request_id = refund_id;
    request.order_id = refund_id;
    request.amount_vnd = amount_vnd;
    request.trans_id = ParseInt(attempt.gateway_txn_id).value_or(0);
    request.description = "Hoan tien don hang " + attempt.reference;
    refunded = momo_.Refund(request);
  }
  const std::int64_t now = clock_.NowMs();
  const std::string outcome = refunded.ok() ? "refunded" : "refund_failed";
  const std::string gateway_ref = refunded.ok() ? refunded.value().gateway_ref : "";
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    // A part refunded by hand leaves the attempt paid: more may follow.
    if (sweep || (refunded.ok() && whole)) TRY(c.Exec(kMarkRefund, {outcome, gateway_ref, now, attempt.id}));
    accounts::AuditEntry entry;
    entry.action = "payment." + attempt.method + "_" + outcome;
    entry.object_type = "order";
    entry.object_id = std::to_string(attempt.order_id);
    entry.after = {{"reference", attempt.reference},
                   {"amount_vnd", amount_vnd},
                   {"whole", whole},
                   {"gateway_ref", gateway_ref}};
    return accounts::RecordAudit(c, entry, now);
  }));
  if (!refunded.ok()) return refunded.error();
  return gateway_ref;
}

Result<std::string> GatewayService::RefundOrder(std::string_view method, std::int64_t order_id,
                                                std::int64_t amount_vnd) {
  if (!Configured(method)) return Error::Unavailable("This payment gateway is not configured.");
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) {
    return c.QueryOne(kPaidAttemptOfOrder, {order_id, std::string(method)});
  }));
  if (!row) return Error::NotFound("paid gateway transaction");
  const Attempt attempt = Attempt::FromRow(*row);
  if (amount_vnd <= 0 || amount_vnd > attempt.amount_vnd) {
    return Error::Field("amount_vnd", "More than the gateway transaction's amount.");
  }
  return SendRefund(attempt, amount_vnd, false);
}

Result<int> GatewayService::RefundDue() {
  if (!payments_) return 0;
  int refunded = 0;
  for (const std::string_view method : {kMethodVnpay, kMethodMomo}) {
    if (!Configured(method)) continue;
    TRY_ASSIGN(const auto order_ids, payments_->RefundsDue(method, kRefundSweepBatch));
    for (const std::int64_t order_id : order_ids) {
      TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) {
        return c.QueryOne(kPaidAttemptOfOrder, {order_id, std::string(method)});
      }));
      if (!row) continue;  // refused before (refund_failed) or never paid through us
      const Attempt attempt = Attempt::FromRow(*row);
      // What is left after any part refunded by hand, within this payment.
      TRY_ASSIGN(const std::int64_t left, payments_->RefundableVnd(order_id));
      const std::int64_t amount = std::min(left, attempt.amount_vnd);
      if (amount <= 0) continue;
      auto sent = SendRefund(attempt, amount, true);
      Status st =
          sent.ok() ? payments_->Refunded(order_id, attempt.method, amount, *sent) : Status(sent.error());
      if (st.ok())
        ++refunded;
      else
        spdlog::warn("payments: refund of {} through {} failed: {}", attempt.reference, method,
                     st.error().detail);
    }
  }
  return refunded;
}

}  // namespace nongsan::payments::gateways
