#include "catalog/gtin.hpp"

namespace nongsan::catalog::gtin {

int CheckDigit(std::string_view data) {
  if (data.empty()) return -1;
  int sum = 0;
  int weight = 3;
  for (auto it = data.rbegin(); it != data.rend(); ++it) {
    if (*it < '0' || *it > '9') return -1;
    sum += (*it - '0') * weight;
    weight = weight == 3 ? 1 : 3;
  }
  return (10 - sum % 10) % 10;
}

std::optional<std::string> Problem(std::string_view s) {
  const std::size_t n = s.size();
  if (n != 8 && n != 12 && n != 13 && n != 14) return "must be 8, 12, 13 or 14 digits";
  for (char c : s) {
    if (c < '0' || c > '9') return "must contain digits only";
  }
  const int expected = CheckDigit(s.substr(0, n - 1));
  if (s.back() - '0' != expected) return "check digit should be " + std::to_string(expected);
  return std::nullopt;
}

bool IsValid(std::string_view s) { return !Problem(s).has_value(); }

}  // namespace nongsan::catalog::gtin
