#include "payments/gateways/payments_adapter.hpp"

namespace nongsan::payments::gateways {

Result<ApplyOutcome> PaymentServicePort::Apply(const std::string& method, const std::string& reference,
                                               std::int64_t amount_vnd, const std::string& gateway_txn_id,
                                               std::int64_t paid_at) {
  auto receipt = payments_.ApplyGatewayPayment(method, reference, amount_vnd, gateway_txn_id, paid_at);
  if (!receipt.ok()) {
    if (receipt.error().code == ErrorCode::kNotFound) return ApplyOutcome::kUnknown;
    return receipt.error();
  }
  switch (receipt->outcome) {
    case ReceiptOutcome::kApplied:
      return ApplyOutcome::kApplied;
    case ReceiptOutcome::kDuplicate:
      return ApplyOutcome::kDuplicate;
    case ReceiptOutcome::kLate:
      return ApplyOutcome::kLate;
    case ReceiptOutcome::kUnmatched:
      return ApplyOutcome::kUnknown;
  }
  return ApplyOutcome::kUnknown;
}

Result<std::vector<std::int64_t>> PaymentServicePort::RefundsDue(std::string_view method, int limit) {
  return payments_.RefundsDue(method, limit);
}

Result<std::int64_t> PaymentServicePort::RefundableVnd(std::int64_t order_id) {
  return payments_.RefundableVnd(order_id);
}

Status PaymentServicePort::Refunded(std::int64_t order_id, const std::string& method, std::int64_t amount_vnd,
                                    const std::string& gateway_ref) {
  return payments_.RecordGatewayRefund(order_id, method, amount_vnd, gateway_ref);
}

}  // namespace nongsan::payments::gateways
