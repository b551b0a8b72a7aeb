// The gateways module as the app wires it: the GatewayService over the
// operator's keys, and a timer that sends the refunds due through the
// gateways every kRefundSweepInterval (money back to a buyer should not wait
// for a person). Built after the payments module, whose service it reaches
// through GatewayPayments (SetPayments), and whose gateway seam it fills.
//
// Thread-safety: the service is thread-safe; StartRefundTimer once, at start.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "payments/gateways/gateway_service.hpp"
#include "payments/gateways/payments_adapter.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments::gateways {

inline constexpr std::chrono::minutes kRefundSweepInterval{1};

struct GatewaysModule {
  // Fills `payments`' gateway seam for each configured method and gives the
  // service its port onto `payments`.
  GatewaysModule(db::Database& db, const Clock& clock, GatewaySettings settings, PaymentService& payments);
  ~GatewaysModule();
  GatewaysModule(const GatewaysModule&) = delete;
  GatewaysModule& operator=(const GatewaysModule&) = delete;

  // Sends the refunds due now and then every kRefundSweepInterval.
  void StartRefundTimer();

  GatewayService service;
  PaymentServicePort payments_port;
  GatewayPayUrls vnpay_urls;
  GatewayPayUrls momo_urls;

 private:
  void RunTimer();
  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool stopping_ = false;  // guarded by timer_mu_
  std::thread timer_;
};

}  // namespace nongsan::payments::gateways
