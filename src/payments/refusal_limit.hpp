// How many refused callbacks one client address may have written down.
// Callbacks whose signature does not verify — anyone on the internet can send
// one — are answered and written to the audit log so that an attack is seen;
// past kRefusedCallbackBurst of them from one address (one more allowed every
// kRefusedCallbackRefillMs) they are answered 429 and written nowhere, so that
// forged calls cannot fill the audit log or the disk. A validly signed
// callback is never limited: only the gateway or the bank can make one.
// Thread-safe (accounts::RateLimiter is).
#pragma once

#include <string>
#include <string_view>

#include "accounts/rate_limiter.hpp"
#include "core/clock.hpp"

namespace nongsan::payments {

inline constexpr double kRefusedCallbackBurst = 30;
inline constexpr std::int64_t kRefusedCallbackRefillMs = 2'000;

class RefusalLimit {
 public:
  explicit RefusalLimit(const Clock& clock) : limiter_(clock) {}
  // 0 when this refusal from `ip` may be written down; otherwise the seconds
  // until one may (answer 429 and write nothing).
  int Take(std::string_view route, const std::string& ip) {
    return limiter_.Take("refused:" + std::string(route) + ":" + ip,
                         {kRefusedCallbackBurst, kRefusedCallbackRefillMs});
  }

 private:
  accounts::RateLimiter limiter_;
};

}  // namespace nongsan::payments
