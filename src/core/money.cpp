#include "core/money.hpp"

#include "core/text.hpp"

namespace nongsan::money {

std::string GroupThousands(std::int64_t value) {
  bool negative = value < 0;
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out += '.';
    out += *it;
    ++count;
  }
  if (negative) out += '-';
  return std::string(out.rbegin(), out.rend());
}

std::string FormatVnd(std::int64_t vnd) { return GroupThousands(vnd) + "\u00a0₫"; }

std::optional<std::int64_t> ParseVnd(std::string_view s) {
  std::string t = text::Trim(s);
  for (std::string_view suffix :
       {std::string_view("₫"), std::string_view("đ"), std::string_view("VND"), std::string_view("vnd")}) {
    if (t.size() >= suffix.size() && t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0) {
      t = text::Trim(std::string_view(t).substr(0, t.size() - suffix.size()));
      break;
    }
  }
  if (t.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : t) {
    if (c == '.' || c == ',' || c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > kMaxVnd) return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> MulVnd(std::int64_t a, std::int64_t b) {
  if (a < 0 || b < 0) return std::nullopt;
  if (a != 0 && b > kMaxVnd / a) return std::nullopt;
  return a * b;
}

std::optional<std::int64_t> AddVnd(std::int64_t a, std::int64_t b) {
  if (a < 0 || b < 0 || a > kMaxVnd - b) return std::nullopt;
  return a + b;
}

}  // namespace nongsan::money
