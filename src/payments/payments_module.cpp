#include "payments/payments_module.hpp"

#include <spdlog/spdlog.h>

namespace nongsan::payments {

PaymentsModule::PaymentsModule(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
                               accounts::AccountService& accounts, orders::OrderService& orders,
                               BankList banks, PaymentsOptions options, PaymentsSecrets secrets_in)
    : payments(db, clock, sellers, accounts, orders, std::move(banks), options),
      for_orders(payments),
      secrets(std::move(secrets_in)) {}

PaymentsModule::~PaymentsModule() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

void PaymentsModule::StartSweeper() {
  if (sweeper_.joinable()) return;
  sweeper_ = std::thread([this] { RunSweeper(); });
}

void PaymentsModule::RunSweeper() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, kSweepInterval, [this] { return stopping_; })) {
    lock.unlock();
    // A full batch means more may be due: sweep again at once.
    for (;;) {
      auto cancelled = payments.ExpireOverdue();
      if (!cancelled.ok()) {
        spdlog::error("payments: overdue payments not expired: {}", cancelled.error().detail);
        break;
      }
      if (*cancelled > 0)
        spdlog::info("payments: {} unpaid orders cancelled at their payment deadline", *cancelled);
      if (*cancelled < kExpireBatch) break;
    }
    lock.lock();
  }
}

}  // namespace nongsan::payments
