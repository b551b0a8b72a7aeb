// Time. Everything that asks "what time is it?" asks a Clock, so tests can move
// time (certificate expiry, OTP lifetimes, return windows) without sleeping.
// Instants are Unix milliseconds (std::int64_t); Vietnam is UTC+7 with no DST,
// so local dates are computed by a fixed offset. SystemClock and FakeClock are
// thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nongsan {

inline constexpr std::int64_t kVietnamOffsetMs = 7LL * 3600 * 1000;
inline constexpr std::int64_t kMsPerDay = 24LL * 3600 * 1000;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMs() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t now_ms) : now_ms_(now_ms) {}
  std::int64_t NowMs() const override { return now_ms_.load(); }
  void Set(std::int64_t now_ms) { now_ms_ = now_ms; }
  void Advance(std::int64_t ms) { now_ms_ += ms; }

 private:
  std::atomic<std::int64_t> now_ms_;
};

namespace timefmt {
// "2026-11-29T20:49:00+07:00" (RFC 3339 in Vietnam time).
std::string Rfc3339(std::int64_t unix_ms);
// "29/11/2026" (Vietnam local date).
std::string DisplayDate(std::int64_t unix_ms);
// Days since 1970-01-01 for a calendar date "YYYY-MM-DD"; nullopt if invalid.
std::optional<std::int64_t> ParseIsoDate(std::string_view s);
// "YYYY-MM-DD" for days since epoch.
std::string IsoDate(std::int64_t days);
// "dd/mm/yyyy" for days since epoch.
std::string DisplayIsoDays(std::int64_t days);
// Vietnam local calendar day (days since epoch) of an instant.
std::int64_t LocalDay(std::int64_t unix_ms);
}  // namespace timefmt

}  // namespace nongsan
