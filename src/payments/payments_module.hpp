// Everything the payments module runs in one process: the payment service,
// its adapter for the orders module and the sweeper that enforces payment
// deadlines. App holds one (built after orders). The webhook secret is held
// here and never logged or shown.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "payments/order_payments.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {

// How often the sweeper looks for payments past their deadline.
inline constexpr std::chrono::seconds kSweepInterval{30};

struct PaymentsSecrets {
  std::string bank_webhook_secret;  // HMAC-SHA256 key of bank notifications; empty: refused
};

struct PaymentsModule {
  PaymentsModule(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
                 accounts::AccountService& accounts, orders::OrderService& orders, BankList banks,
                 PaymentsOptions options, PaymentsSecrets secrets);
  ~PaymentsModule();
  PaymentsModule(const PaymentsModule&) = delete;
  PaymentsModule& operator=(const PaymentsModule&) = delete;

  // Starts the deadline sweeper (serve only; CLI commands and tests call
  // PaymentService::ExpireOverdue themselves).
  void StartSweeper();

  PaymentService payments;
  OrderPayments for_orders;
  const PaymentsSecrets secrets;

 private:
  void RunSweeper();
  std::thread sweeper_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace nongsan::payments
