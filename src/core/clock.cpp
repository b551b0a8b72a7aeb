#include "core/clock.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace nongsan {

std::int64_t SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace timefmt {
namespace {

// Proleptic Gregorian calendar arithmetic on 400-year eras (146,097 days),
// with March as the first month so the leap day falls at the end of a year.
void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::int64_t LocalDay(std::int64_t unix_ms) { return FloorDiv(unix_ms + kVietnamOffsetMs, kMsPerDay); }

std::string Rfc3339(std::int64_t unix_ms) {
  const std::int64_t local_ms = unix_ms + kVietnamOffsetMs;
  const std::int64_t days = FloorDiv(local_ms, kMsPerDay);
  std::int64_t ms_of_day = local_ms - days * kMsPerDay;
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  const int hh = static_cast<int>(ms_of_day / 3600000);
  const int mm = static_cast<int>(ms_of_day / 60000 % 60);
  const int ss = static_cast<int>(ms_of_day / 1000 % 60);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+07:00", y, m, d, hh, mm, ss);
  return buf;
}

namespace {

// Appends n as exactly `width` (at most 4) decimal digits (n < 10^width).
void AppendDigits(std::string& out, unsigned n, int width) {
  char digits[4];
  for (int i = width - 1; i >= 0; --i, n /= 10) digits[i] = static_cast<char>('0' + n % 10);
  out.append(digits, static_cast<std::size_t>(width));
}

}  // namespace

std::string DisplayIsoDays(std::int64_t days) {
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", d, m, y);
    return buf;
  }
  // Written by hand: the provenance page writes several dates a request.
  std::string out;
  AppendDigits(out, d, 2);
  out += '/';
  AppendDigits(out, m, 2);
  out += '/';
  AppendDigits(out, static_cast<unsigned>(y), 4);
  return out;
}

std::string DisplayDate(std::int64_t unix_ms) { return DisplayIsoDays(LocalDay(unix_ms)); }

std::string IsoDate(std::int64_t days) {
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
  }
  std::string out;
  AppendDigits(out, static_cast<unsigned>(y), 4);
  out += '-';
  AppendDigits(out, m, 2);
  out += '-';
  AppendDigits(out, d, 2);
  return out;
}

std::optional<std::int64_t> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int max_day = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > max_day) return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

}  // namespace timefmt
}  // namespace nongsan
