#include "payments/payment_time.hpp"

#include <cstdio>
#include <limits>
#include <string>

#include "core/clock.hpp"

namespace nongsan::payments {
namespace {

std::optional<int> Digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

std::optional<std::int64_t> Instant(int year, int month, int day, int hour, int minute, int second,
                                    std::int64_t offset_ms) {
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
  auto days = timefmt::ParseIsoDate(date);
  if (!days || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return *days * kMsPerDay + (hour * 3600LL + minute * 60LL + second) * 1000 - offset_ms;
}

}  // namespace

std::optional<std::int64_t> ParseTimeText(std::string_view s) {
  // dd/mm/yyyy hh:mm[:ss], Vietnam time.
  if (s.size() >= 16 && s[2] == '/' && s[5] == '/' && s[10] == ' ') {
    auto d = Digits(s, 0, 2), m = Digits(s, 3, 2), y = Digits(s, 6, 4), h = Digits(s, 11, 2),
         mi = Digits(s, 14, 2);
    std::optional<int> sec = 0;
    if (s.size() == 19 && s[16] == ':')
      sec = Digits(s, 17, 2);
    else if (s.size() != 16)
      return std::nullopt;
    if (!d || !m || !y || !h || !mi || !sec || s[13] != ':') return std::nullopt;
    return Instant(*y, *m, *d, *h, *mi, *sec, kVietnamOffsetMs);
  }
  // yyyy-mm-ddThh:mm:ss[.fff](Z|±hh:mm)
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':') {
    return std::nullopt;
  }
  auto y = Digits(s, 0, 4), m = Digits(s, 5, 2), d = Digits(s, 8, 2), h = Digits(s, 11, 2),
       mi = Digits(s, 14, 2), sec = Digits(s, 17, 2);
  if (!y || !m || !d || !h || !mi || !sec) return std::nullopt;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
  }
  std::string_view zone = s.substr(at);
  std::int64_t offset_ms = 0;
  if (zone == "Z") {
    offset_ms = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto zh = Digits(zone, 1, 2), zm = Digits(zone, 4, 2);
    if (!zh || !zm || *zh > 23 || *zm > 59) return std::nullopt;
    offset_ms = (*zh * 60LL + *zm) * 60'000 * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return Instant(*y, *m, *d, *h, *mi, *sec, offset_ms);
}

std::optional<std::int64_t> ParseTransferTime(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return v.get<std::int64_t>();
  if (v.is_string()) return ParseTimeText(v.get<std::string>());
  return std::nullopt;
}

}  // namespace nongsan::payments
