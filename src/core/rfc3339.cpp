#include "core/rfc3339.hpp"

#include "core/clock.hpp"

namespace nongsan::timefmt {
namespace {

bool IsDigits(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// The value of two ASCII digits, or -1.
int TwoDigits(std::string_view s) {
  if (!IsDigits(s, 2)) return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

}  // namespace

std::optional<std::int64_t> ParseRfc3339(std::string_view s) {
  // YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') return std::nullopt;
  const auto day = timefmt::ParseIsoDate(s.substr(0, 10));
  const int hh = TwoDigits(s.substr(11, 2));
  const int mm = TwoDigits(s.substr(14, 2));
  const int ss = TwoDigits(s.substr(17, 2));
  if (!day || hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t ms = 0;
  if (i < s.size() && s[i] == '.') {
    std::size_t digits = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
      if (digits < 3) ms = ms * 10 + (s[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) ms *= 10;
  }
  std::int64_t offset_min = 0;
  const std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") {
    offset_min = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             IsDigits(zone.substr(1, 2), 2) && IsDigits(zone.substr(4, 2), 2)) {
    offset_min = TwoDigits(zone.substr(1, 2)) * 60 + TwoDigits(zone.substr(4, 2));
    if (zone[0] == '-') offset_min = -offset_min;
  } else {
    return std::nullopt;
  }
  const std::int64_t seconds = *day * 86400 + hh * 3600 + mm * 60 + ss - offset_min * 60;
  return seconds * 1000 + ms;
}

}  // namespace nongsan::timefmt
