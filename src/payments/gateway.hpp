// The seam for online payment gateways (VNPay, MoMo: src/payments/gateways/).
// A gateway turns an order's payment into the URL the buyer opens to pay
// (`pay_url` in the payment JSON); its IPN handler, once it has verified the
// gateway's signature, reports the money through
// PaymentService::ApplyGatewayPayment, which applies it once, durably, and
// posts it to the ledger; refunds a shop or the operator asks for go back
// through Refund. A method whose gateway is not configured is not
// offered and is refused at checkout.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace nongsan::payments {

struct GatewayOrder {
  std::int64_t order_id = 0;
  std::string order_code;
  std::string reference;  // what the gateway carries as the merchant's order reference
  std::int64_t amount_vnd = 0;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

// Money to send back through the gateway the order was paid with.
struct GatewayRefundOrder {
  std::int64_t order_id = 0;
  std::string reference;
  std::int64_t amount_vnd = 0;  // all of the payment or part of it
};

class Gateway {
 public:
  virtual ~Gateway() = default;
  // The URL the buyer opens to pay this order.
  virtual Result<std::string> PayUrl(const GatewayOrder& order) = 0;
  // Asks the gateway to refund; its refund reference once it accepted.
  virtual Result<std::string> Refund(const GatewayRefundOrder& refund) = 0;
};

}  // namespace nongsan::payments
