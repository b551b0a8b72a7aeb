// The gateways module as the app wires it: the GatewayService over the
// operator's keys, and a timer that sends the refunds due through the
// gateways every kRefundSweepInterval (money back to a buyer should not wait
// for a person). Built after the payments module, whose service it reaches
// through GatewayPayments (SetPayments), and whose gateway seam it fills.
//
// Thread-safety: the service is thread-safe; StartRefundTimer once, at start.
#pragma once

#include "payments/gateways/gateway_service.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace nongsan::payments::gateways {

inline constexpr std::chrono::minutes kRefundSweepInterval{1};

struct GatewaysModule {
  GatewaysModule(db::Database& db, const Clock& clock, GatewaySettings settings);
  ~GatewaysModule();
  GatewaysModule(const GatewaysModule&) = delete;
  GatewaysModule& operator=(const GatewaysModule&) = delete;

  // Sends the refunds due now and then every kRefundSweepInterval.
  void StartRefundTimer();

  GatewayService service;

 private:
  void RunTimer();
  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool stopping_ = false;  // guarded by timer_mu_
  std::thread timer_;
};

}  // namespace nongsan::payments::gateways
