#include "web/format.hpp"

#include <cstdio>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "core/text.hpp"

namespace nongsan::web {

namespace {
// Longest slug put into a URL; names are longer than that only by accident.
constexpr std::size_t kMaxSlugBytes = 80;
constexpr std::int64_t kMsPerMinute = 60'000;
}  // namespace

std::string Price(std::int64_t vnd) { return money::FormatVnd(vnd); }

std::string Date(std::int64_t unix_ms) { return timefmt::DisplayDate(unix_ms); }

std::string DateTime(std::int64_t unix_ms) {
  const std::int64_t local_ms = unix_ms + kVietnamOffsetMs;
  std::int64_t minute_of_day = ((local_ms % kMsPerDay + kMsPerDay) % kMsPerDay) / kMsPerMinute;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minute_of_day / 60),
                static_cast<int>(minute_of_day % 60));
  return Date(unix_ms) + " " + buf;
}

std::string SlugPath(std::string_view prefix, std::string_view name, std::int64_t id) {
  std::string slug = text::Slugify(name, kMaxSlugBytes);
  std::string path(prefix);
  if (!slug.empty()) path += slug + "-";
  path += std::to_string(id);
  return path;
}

std::string ProductPath(std::string_view name, std::int64_t id) { return SlugPath(kProductPrefix, name, id); }
std::string ShopPath(std::string_view name, std::int64_t id) { return SlugPath(kShopPrefix, name, id); }
std::string CoopPath(std::string_view name, std::int64_t id) { return SlugPath(kCoopPrefix, name, id); }

std::optional<std::int64_t> IdFromSlug(std::string_view segment) {
  std::size_t dash = segment.rfind('-');
  std::string_view digits = dash == std::string_view::npos ? segment : segment.substr(dash + 1);
  // 18 digits always fit in int64 and exceed every real id.
  constexpr std::size_t kMaxIdDigits = 18;
  if (digits.empty() || digits.size() > kMaxIdDigits) return std::nullopt;
  std::int64_t id = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  if (id <= 0) return std::nullopt;
  return id;
}

bool IsLocalPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
  for (char c : path) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace nongsan::web
