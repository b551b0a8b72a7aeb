// What the orders module needs from payments, which belong to the payments
// module: whether a shop takes a payment method at checkout, the payment
// object opened in the checkout's own transaction, and word when an order is
// cancelled or returned (so money already received is flagged for a refund).
// Orders never read payments' tables: the payments module implements this
// interface (payments/order_payments.*) and the app wires it
// (OrderService::SetPaymentMethods); without one, orders take cash on
// delivery only, as before payments existed.
//
// Thread-safety: implementations must be safe to call from any thread.
// CheckAccepted opens its own read, so it must be called outside a write
// transaction; the other methods run inside the caller's write transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::orders {

// The payment methods a checkout may name.
inline constexpr std::string_view kPaymentCod = "cod";
inline constexpr std::string_view kPaymentVietQr = "vietqr";
inline constexpr std::string_view kPaymentVnpay = "vnpay";
inline constexpr std::string_view kPaymentMomo = "momo";

// One shop's order of a checkout, as payments needs to open its payment.
struct PlacedPayment {
  std::int64_t order_id = 0;
  std::string order_code;
  std::int64_t seller_id = 0;
  std::int64_t buyer_id = 0;
  std::string method;
  std::int64_t amount_vnd = 0;
  std::int64_t at = 0;
};

class PaymentMethods {
 public:
  virtual ~PaymentMethods() = default;
  // Ok when the shop takes `method` now (it chose it, and what the method
  // needs — a payout account, the operator's gateway keys — is configured);
  // otherwise a kInvalid error naming `payment_method`.
  virtual Status CheckAccepted(std::int64_t seller_id, std::string_view method) = 0;
  // The order was placed: its payment starts, in the checkout's transaction.
  virtual Status Opened(db::Connection& c, const PlacedPayment& payment) = 0;
  // The order was cancelled or returned (by anyone): an unpaid payment
  // closes; money already received is flagged for a refund.
  virtual Status OrderClosed(db::Connection& c, std::int64_t order_id, std::int64_t at) = 0;
};

}  // namespace nongsan::orders
