#include "accounts/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nongsan::accounts {

namespace {

constexpr std::int64_t kMsPerSecond = 1000;

int CeilSeconds(std::int64_t ms) {
  return static_cast<int>(std::max<std::int64_t>(1, (ms + kMsPerSecond - 1) / kMsPerSecond));
}

}  // namespace

int RateLimiter::Take(const std::string& key, const BucketPolicy& policy) {
  const std::int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) PruneLocked(now);
    it = buckets_.emplace(key, Bucket{policy.burst, now, now}).first;
  }
  Bucket& bucket = it->second;
  const double refilled =
      static_cast<double>(std::max<std::int64_t>(0, now - bucket.updated_ms)) / double(policy.refill_ms);
  bucket.tokens = std::min(policy.burst, bucket.tokens + refilled);
  bucket.updated_ms = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    bucket.full_at_ms =
        now + static_cast<std::int64_t>((policy.burst - bucket.tokens) * double(policy.refill_ms));
    return 0;
  }
  const auto wait_ms = static_cast<std::int64_t>(std::ceil((1.0 - bucket.tokens) * double(policy.refill_ms)));
  return CeilSeconds(wait_ms);
}

void RateLimiter::PruneLocked(std::int64_t now_ms) {
  // Buckets that have refilled completely carry no information; drop them.
  std::erase_if(buckets_, [now_ms](const auto& entry) { return entry.second.full_at_ms <= now_ms; });
  if (buckets_.size() < max_keys_) return;
  // Still full (an attack from many addresses): drop the half that refills
  // soonest, which are the least throttled anyway.
  std::vector<std::int64_t> full_times;
  full_times.reserve(buckets_.size());
  for (const auto& [key, bucket] : buckets_) full_times.push_back(bucket.full_at_ms);
  auto middle = full_times.begin() + static_cast<std::ptrdiff_t>(full_times.size() / 2);
  std::nth_element(full_times.begin(), middle, full_times.end());
  const std::int64_t cutoff = *middle;
  std::erase_if(buckets_, [cutoff](const auto& entry) { return entry.second.full_at_ms <= cutoff; });
}

int LoginBackoff::WaitSeconds(const std::string& key) {
  const std::int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.next_allowed_ms <= now) return 0;
  return CeilSeconds(it->second.next_allowed_ms - now);
}

void LoginBackoff::RecordFailure(const std::string& key) {
  const std::int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_keys_ && !entries_.contains(key)) {
    std::erase_if(entries_, [now](const auto& entry) {
      return now - entry.second.last_failure_ms > kLoginFailureMemoryMs;
    });
    // Under a flood of distinct phones, forget the least-failed ones first.
    if (entries_.size() >= max_keys_) {
      std::erase_if(entries_, [](const auto& entry) { return entry.second.failures <= kLoginFreeFailures; });
    }
  }
  Entry& entry = entries_[key];
  if (entry.failures > 0 && now - entry.last_failure_ms > kLoginFailureMemoryMs) entry = Entry{};
  ++entry.failures;
  entry.last_failure_ms = now;
  if (entry.failures >= kLoginFreeFailures) {
    const int doublings = std::min(entry.failures - kLoginFreeFailures, 20);
    const std::int64_t delay = std::min(kLoginBackoffMaxMs, kLoginBackoffBaseMs << doublings);
    entry.next_allowed_ms = now + delay;
  }
}

void LoginBackoff::RecordSuccess(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

}  // namespace nongsan::accounts
