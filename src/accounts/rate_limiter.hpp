// In-process abuse controls for the sign-in endpoints:
//  * RateLimiter: token buckets keyed by a string such as "login:ip:1.2.3.4"
//    or "otp:phone:0912345678". Each key holds up to `burst` tokens and gains
//    one every `refill_ms`; a request takes one or is told how long to wait.
//  * LoginBackoff: after a few failed passwords for one phone, each further
//    attempt must wait twice as long as the last (capped), so guessing one
//    account's password is held to a handful of tries a minute and slows
//    from there.
// State lives in memory (one process serves the province); at most
// kMaxTrackedKeys keys are kept, the idlest dropped first. Both classes read
// time from a Clock so tests can move it. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace nongsan::accounts {

inline constexpr std::size_t kMaxTrackedKeys = 100'000;

struct BucketPolicy {
  double burst;            // tokens a fresh key starts with (and the most it holds)
  std::int64_t refill_ms;  // one token comes back every refill_ms
};

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock, std::size_t max_keys = kMaxTrackedKeys)
      : clock_(clock), max_keys_(max_keys) {}

  // Takes a token for key. Returns 0 when allowed, otherwise the whole
  // seconds (≥ 1) until a token is available; nothing is taken then.
  int Take(const std::string& key, const BucketPolicy& policy);

 private:
  struct Bucket {
    double tokens;
    std::int64_t updated_ms;
    std::int64_t full_at_ms;  // when it will have refilled completely
  };
  void PruneLocked(std::int64_t now_ms);

  const Clock& clock_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Failed passwords allowed before any wait.
inline constexpr int kLoginFreeFailures = 3;
inline constexpr std::int64_t kLoginBackoffBaseMs = 5'000;
inline constexpr std::int64_t kLoginBackoffMaxMs = 15 * 60'000;
// Failures older than this are forgotten.
inline constexpr std::int64_t kLoginFailureMemoryMs = 60 * 60'000;

class LoginBackoff {
 public:
  explicit LoginBackoff(const Clock& clock, std::size_t max_keys = kMaxTrackedKeys)
      : clock_(clock), max_keys_(max_keys) {}

  // Seconds before the next attempt for key may be tried; 0 = now.
  int WaitSeconds(const std::string& key);
  void RecordFailure(const std::string& key);
  void RecordSuccess(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t last_failure_ms = 0;
    std::int64_t next_allowed_ms = 0;
  };

  const Clock& clock_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace nongsan::accounts
