// The gateways' ports implemented over the payments module's service (the
// app wires them through GatewaysModule):
//  * PaymentServicePort — GatewayPayments over payments::PaymentService:
//    money applied with ApplyGatewayPayment (once per gateway transaction,
//    durably), refunds due and refunded.
//  * GatewayPayUrls — the payments module's Gateway seam for one method
//    (vnpay or momo): the pay_url of an order's payment object, and the
//    refunds a shop or the operator asks for.
// Thread-safe (they hold references only).
#pragma once

#include "payments/gateway.hpp"
#include "payments/gateways/gateway_payments.hpp"
#include "payments/gateways/gateway_service.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments::gateways {

class PaymentServicePort final : public GatewayPayments {
 public:
  explicit PaymentServicePort(PaymentService& payments) : payments_(payments) {}
  Result<ApplyOutcome> Apply(const std::string& method, const std::string& reference, std::int64_t amount_vnd,
                             const std::string& gateway_txn_id, std::int64_t paid_at) override;
  Result<std::vector<std::int64_t>> RefundsDue(std::string_view method, int limit) override;
  Result<std::int64_t> RefundableVnd(std::int64_t order_id) override;
  Status Refunded(std::int64_t order_id, const std::string& method, std::int64_t amount_vnd,
                  const std::string& gateway_ref) override;

 private:
  PaymentService& payments_;
};

class GatewayPayUrls final : public Gateway {
 public:
  GatewayPayUrls(GatewayService& gateways, std::string_view method) : gateways_(gateways), method_(method) {}
  Result<std::string> PayUrl(const GatewayOrder& order) override {
    return gateways_.PayUrl(method_, {order.order_id, order.order_code, order.reference, order.amount_vnd,
                                      order.created_at, order.expires_at});
  }
  Result<std::string> Refund(const GatewayRefundOrder& refund) override {
    return gateways_.RefundOrder(method_, refund.order_id, refund.amount_vnd);
  }

 private:
  GatewayService& gateways_;
  std::string method_;
};

}  // namespace nongsan::payments::gateways
