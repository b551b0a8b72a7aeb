#include "payments/gateways/gateways_module.hpp"

#include <spdlog/spdlog.h>

namespace nongsan::payments::gateways {

GatewaysModule::GatewaysModule(db::Database& db, const Clock& clock, GatewaySettings settings,
                               PaymentService& payments)
    : service(db, clock, std::move(settings)),
      payments_port(payments),
      vnpay_urls(service, kMethodVnpay),
      momo_urls(service, kMethodMomo) {
  service.SetPayments(&payments_port);
  if (service.Configured(kMethodVnpay)) payments.SetGateway(std::string(kMethodVnpay), &vnpay_urls);
  if (service.Configured(kMethodMomo)) payments.SetGateway(std::string(kMethodMomo), &momo_urls);
}

GatewaysModule::~GatewaysModule() {
  {
    std::lock_guard lock(timer_mu_);
    stopping_ = true;
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
}

void GatewaysModule::StartRefundTimer() {
  if (timer_.joinable()) return;
  if (!service.Configured(kMethodVnpay) && !service.Configured(kMethodMomo)) return;
  timer_ = std::thread([this] { RunTimer(); });
}

void GatewaysModule::RunTimer() {
  std::unique_lock lock(timer_mu_);
  while (!timer_cv_.wait_for(lock, kRefundSweepInterval, [this] { return stopping_; })) {
    lock.unlock();
    auto refunded = service.RefundDue();
    if (!refunded.ok()) {
      spdlog::error("payments: refund sweep failed: {}", refunded.error().detail);
    } else if (*refunded > 0) {
      spdlog::info("payments: {} refunds accepted by the gateways", *refunded);
    }
    lock.lock();
  }
}

}  // namespace nongsan::payments::gateways
