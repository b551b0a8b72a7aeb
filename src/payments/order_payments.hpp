// The payments module's side of orders::PaymentMethods: checkout asks it
// which methods a shop takes, opens the order's payment through it in the
// checkout's transaction, and tells it when an order is cancelled or
// returned. Wired by the app (OrderService::SetPaymentMethods). Thread-safe.
#pragma once

#include "orders/payment_methods.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {

class OrderPayments final : public orders::PaymentMethods {
 public:
  explicit OrderPayments(PaymentService& payments) : payments_(payments) {}
  Status CheckAccepted(std::int64_t seller_id, std::string_view method) override {
    return payments_.CheckAccepted(seller_id, method);
  }
  Status Opened(db::Connection& c, const orders::PlacedPayment& payment) override {
    return payments_.OpenWith(c, payment);
  }
  Status OrderClosed(db::Connection& c, std::int64_t order_id, std::int64_t at) override {
    return payments_.OrderClosedWith(c, order_id, at);
  }

 private:
  PaymentService& payments_;
};

}  // namespace nongsan::payments
