// The gateways' rules: handing out the payment URL of an order paid by VNPay
// or MoMo, taking their IPNs (the only thing that marks a gateway order
// paid), showing the buyer's return, and refunding a paid order that was
// cancelled or returned.
//
// An IPN is verified (HMAC, constant time) before anything is read; then its
// reference must name an attempt we handed out (else VNPay "01"), its amount
// must be the attempt's (else "04"), and a confirmed attempt answers "02".
// The money is applied through GatewayPayments, which records each gateway
// transaction once (a duplicate IPN racing the first applies nothing) and
// commits durably before we answer. Every refused callback is written to the
// audit log with what was wrong and from which address; secrets never are.
//
// Thread-safety: safe to call from any thread once wired (SetPayments at
// start-up).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "payments/gateways/gateway_clients.hpp"
#include "payments/gateways/gateway_payments.hpp"
#include "payments/refusal_limit.hpp"

namespace nongsan::payments::gateways {

inline constexpr std::string_view kMethodVnpay = "vnpay";
inline constexpr std::string_view kMethodMomo = "momo";
inline constexpr std::string_view kVnpayReturnPath = "/thanh-toan/vnpay/ket-qua";
inline constexpr std::string_view kMomoReturnPath = "/thanh-toan/momo/ket-qua";
inline constexpr std::string_view kMomoIpnPath = "/api/v1/payments/momo/ipn";
// Most refunds the sweep sends per gateway per round.
inline constexpr int kRefundSweepBatch = 100;
// Longest gateway reference we accept in a callback (ours are far shorter).
inline constexpr std::size_t kMaxTxnRefBytes = 100;

struct GatewaySettings {
  VnpayCredentials vnpay;
  MomoCredentials momo;
  std::string base_url;                 // our public URL, for return pages and MoMo's ipnUrl
  std::string server_ip = "127.0.0.1";  // vnp_IpAddr of our refund calls
};

// An order's payment as the payments module hands it to a gateway.
struct GatewayOrderRef {
  std::int64_t order_id = 0;
  std::string order_code;
  std::string reference;  // the payment's reference; the gateway's order id
  std::int64_t amount_vnd = 0;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

// VNPay's IPN answer, always HTTP 200: {"RspCode": "..", "Message": ".."}.
struct VnpayIpnAnswer {
  std::string code;
  std::string message;
  // > 0: too many forged calls from this address (payments/refusal_limit.hpp);
  // answer 429 with this Retry-After instead, nothing was written.
  int retry_after_seconds = 0;
  nlohmann::json Json() const { return {{"RspCode", code}, {"Message", message}}; }
};

// What the buyer's return page may say: the callback's own claim (verified or
// not) and what our records say now. It never changes anything.
struct ReturnView {
  bool verified = false;  // the signature checked out
  bool gateway_says_paid = false;
  bool confirmed = false;     // the IPN has marked the order paid
  std::int64_t order_id = 0;  // 0 when the attempt is unknown
  std::string order_code;
  std::int64_t amount_vnd = 0;
};

class GatewayService {
 public:
  GatewayService(db::Database& db, const Clock& clock, GatewaySettings settings);
  GatewayService(const GatewayService&) = delete;
  GatewayService& operator=(const GatewayService&) = delete;

  // Start-up wiring only.
  void SetPayments(GatewayPayments* payments) { payments_ = payments; }

  // Are the operator's keys for `method` (vnpay, momo) all set?
  bool Configured(std::string_view method) const;

  // The URL the buyer opens to pay the order; the same URL for every call
  // (an attempt is made once per order reference and remembered). MoMo's is
  // asked of MoMo's create API the first time.
  Result<std::string> PayUrl(std::string_view method, const GatewayOrderRef& order);

  // GET /api/v1/payments/vnpay/ipn with its decoded query parameters.
  VnpayIpnAnswer HandleVnpayIpn(const std::vector<std::pair<std::string, std::string>>& params,
                                const std::string& ip);
  // POST /api/v1/payments/momo/ipn with its raw body: Ok → 204. Forged
  // calls past the refusal limit: kRateLimited, nothing written.
  Status HandleMomoIpn(std::string_view body, const std::string& ip);

  ReturnView VnpayReturn(const std::vector<std::pair<std::string, std::string>>& params);
  ReturnView MomoReturn(const std::vector<std::pair<std::string, std::string>>& params);

  // Refunds, through their gateway, the paid orders whose payment now owes
  // the buyer a refund (GatewayPayments::RefundsDue). A refund the gateway
  // refuses is marked refund_failed (for the operator) and not retried by
  // the sweep. Returns how many the gateways accepted.
  Result<int> RefundDue();

  // Refunds `amount_vnd` of the order paid through `method` now (a shop's or
  // the operator's request, through PaymentService::Refund, which reserved
  // it): VNPay's transaction type 02 when it is the whole payment, 03 for
  // part; MoMo's amount. The gateway's refund reference once it accepted.
  Result<std::string> RefundOrder(std::string_view method, std::int64_t order_id, std::int64_t amount_vnd);

 private:
  struct Attempt;
  Result<std::optional<Attempt>> FindAttempt(std::string_view method, const std::string& txn_ref);
  Result<std::string> CreateAttempt(std::string_view method, const GatewayOrderRef& order);
  // Applies a verified, matching, successful callback through the payments
  // module, then marks the attempt paid with the gateway's transaction facts.
  Result<ApplyOutcome> ApplyPaid(const Attempt& attempt, const std::string& gateway_txn_id,
                                 const std::string& gateway_paid_at);
  Status MarkFailed(const Attempt& attempt);
  // Asks the gateway for `amount_vnd` of the attempt's money back; audited.
  // A refusal marks the attempt refund_failed when `sweep` (the operator
  // sees it; the sweep does not retry). The gateway's refund reference.
  Result<std::string> SendRefund(const Attempt& attempt, std::int64_t amount_vnd, bool sweep);
  void AuditRefusal(std::string_view method, const std::string& what, const nlohmann::json& detail,
                    const std::string& ip);
  // The return page of a callback whose signature checked out.
  ReturnView VerifiedView(std::string_view method, const std::string& txn_ref, bool gateway_says_paid);

  db::Database& db_;
  const Clock& clock_;
  const GatewaySettings settings_;
  VnpayClient vnpay_;
  MomoClient momo_;
  GatewayPayments* payments_ = nullptr;
  RefusalLimit refusals_;
};

}  // namespace nongsan::payments::gateways
