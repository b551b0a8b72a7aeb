// A recording fake of GatewayPayments for the gateways' own tests: it
// records each gateway transaction once, as the payments module does, and
// plays the payments module's side of refunds. Thread-safe.
#pragma once

#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "payments/gateways/gateway_payments.hpp"

namespace nongsan::payments::gateways {

// Records each gateway transaction once, as the payments module does.
class RecordingPayments final : public GatewayPayments {
 public:
  Result<ApplyOutcome> Apply(const std::string& method, const std::string& reference, std::int64_t amount_vnd,
                             const std::string& gateway_txn_id, std::int64_t) override {
    std::lock_guard lock(mutex_);
    if (!seen_.insert(method + ":" + gateway_txn_id).second) return ApplyOutcome::kDuplicate;
    applied_vnd[reference] += amount_vnd;
    return ApplyOutcome::kApplied;
  }
  Result<std::vector<std::int64_t>> RefundsDue(std::string_view method, int) override {
    std::lock_guard lock(mutex_);
    std::vector<std::int64_t> out;
    for (const auto& [order_id, m] : due) {
      if (m == method) out.push_back(order_id);
    }
    return out;
  }
  // Unless a test says otherwise, all of the payment is left (the gateway
  // bounds it by the attempt's amount).
  Result<std::int64_t> RefundableVnd(std::int64_t order_id) override {
    std::lock_guard lock(mutex_);
    auto it = refundable_vnd.find(order_id);
    return it == refundable_vnd.end() ? std::numeric_limits<std::int64_t>::max() : it->second;
  }
  Status Refunded(std::int64_t order_id, const std::string&, std::int64_t amount_vnd,
                  const std::string&) override {
    std::lock_guard lock(mutex_);
    due.erase(order_id);
    refunded_vnd[order_id] += amount_vnd;
    return Ok{};
  }

  std::map<std::string, std::int64_t> applied_vnd;
  std::map<std::int64_t, std::string> due;  // order id → method
  std::map<std::int64_t, std::int64_t> refunded_vnd;
  std::map<std::int64_t, std::int64_t> refundable_vnd;

 private:
  std::mutex mutex_;
  std::set<std::string> seen_;
};

}  // namespace nongsan::payments::gateways
