// The server-to-server calls to VNPay and MoMo, over the pure protocol code
// (vnpay.hpp, momo.hpp) and PostJson: MoMo's create (which yields the buyer's
// payUrl) and both gateways' refunds. A refused call is an Error value with
// the gateway's own code in the detail; secrets never reach a log line.
// Thread-safe (the credentials are read-only after construction).
#pragma once

#include <string>

#include "core/result.hpp"
#include "payments/gateways/momo.hpp"
#include "payments/gateways/vnpay.hpp"

namespace nongsan::payments::gateways {

// A refund the gateway accepted.
struct GatewayRefund {
  std::string gateway_code;  // vnp_ResponseCode "00" / MoMo resultCode "0"
  std::string gateway_ref;   // VNPay's vnp_TransactionNo / MoMo's transId of the refund
};

class VnpayClient {
 public:
  explicit VnpayClient(VnpayCredentials credentials) : credentials_(std::move(credentials)) {}
  const VnpayCredentials& credentials() const { return credentials_; }

  // The signed payment URL (no call: VNPay's payment starts in the browser).
  std::string PaymentUrl(const VnpayPaymentRequest& request) const;
  // VNPay's transaction API, vnp_Command=refund. Its answer must carry a valid
  // signature and vnp_ResponseCode "00"; anything else is an error.
  Result<GatewayRefund> Refund(const VnpayRefundRequest& request) const;

 private:
  VnpayCredentials credentials_;
};

class MomoClient {
 public:
  explicit MomoClient(MomoCredentials credentials) : credentials_(std::move(credentials)) {}
  const MomoCredentials& credentials() const { return credentials_; }

  // POST /v2/gateway/api/create; the payUrl on resultCode 0.
  Result<std::string> CreatePayment(const MomoCreateRequest& request) const;
  // POST /v2/gateway/api/refund; accepted on resultCode 0.
  Result<GatewayRefund> Refund(const MomoRefundRequest& request) const;

 private:
  MomoCredentials credentials_;
};

}  // namespace nongsan::payments::gateways
