// What the gateways need from the payments module, owned here so that the
// gateways depend on an interface of their own (as quality/ports.hpp does):
// applying money a gateway confirmed, once and durably, and learning which of
// the gateways' paid orders now owe a refund. The app wires an adapter over
// payments::PaymentService (payments_adapter.*).
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::payments::gateways {

enum class ApplyOutcome {
  kApplied,    // the money counted for the order (it may now be paid)
  kDuplicate,  // this gateway transaction was already recorded
  kLate,       // recorded, but the order is closed: flagged for a refund
  kUnknown,    // no payment of this method carries the reference
};

class GatewayPayments {
 public:
  virtual ~GatewayPayments() = default;
  // `amount_vnd` arrived through `method` for the payment whose reference is
  // `reference`, as the gateway's transaction `gateway_txn_id`. Committed
  // durably before this returns.
  virtual Result<ApplyOutcome> Apply(const std::string& method, const std::string& reference,
                                     std::int64_t amount_vnd, const std::string& gateway_txn_id,
                                     std::int64_t paid_at) = 0;
  // Orders paid through `method` whose payment owes the buyer a refund now
  // (cancelled or returned after the money came), oldest first, at most `limit`.
  virtual Result<std::vector<std::int64_t>> RefundsDue(std::string_view method, int limit) = 0;
  // What is left to refund of the order's payment (received less refunded).
  virtual Result<std::int64_t> RefundableVnd(std::int64_t order_id) = 0;
  // The gateway accepted the refund of `amount_vnd`: it is recorded and
  // posted (the shop debited for the part of the sale it reverses), durably.
  virtual Status Refunded(std::int64_t order_id, const std::string& method, std::int64_t amount_vnd,
                          const std::string& gateway_ref) = 0;
};

}  // namespace nongsan::payments::gateways
