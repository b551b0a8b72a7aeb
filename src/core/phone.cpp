#include "core/phone.hpp"

namespace nongsan::phone {

namespace {
constexpr std::size_t kMaxInputLength = 32;
constexpr std::size_t kNationalDigits = 9;  // after the leading 0 or 84
}  // namespace

std::optional<std::string> Normalize(std::string_view input) {
  if (input.size() > kMaxInputLength) return std::nullopt;
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < input.size(); ++i) {
    char c = input[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') {
      continue;
    } else {
      return std::nullopt;
    }
  }
  std::string national;
  if (digits.size() == kNationalDigits + 2 && digits.compare(0, 2, "84") == 0) {
    national = digits.substr(2);
  } else if (!plus && digits.size() == kNationalDigits + 1 && digits[0] == '0') {
    national = digits.substr(1);
  } else {
    return std::nullopt;
  }
  const char prefix = national[0];
  if (prefix != '3' && prefix != '5' && prefix != '7' && prefix != '8' && prefix != '9') return std::nullopt;
  return "0" + national;
}

std::string Display(const std::string& canonical) {
  if (canonical.size() != kNationalDigits + 1) return canonical;
  return canonical.substr(0, 4) + " " + canonical.substr(4, 3) + " " + canonical.substr(7);
}

}  // namespace nongsan::phone
