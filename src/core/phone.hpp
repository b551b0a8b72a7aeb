// Vietnamese mobile numbers. Accepts "0912345678", "84912345678",
// "+84 912 345 678" (spaces, dots and dashes ignored) and returns the one
// canonical form stored everywhere: ten digits starting with 0. Only mobile
// prefixes 03, 05, 07, 08, 09 are valid. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nongsan::phone {

std::optional<std::string> Normalize(std::string_view input);

// "0912 345 678" for display.
std::string Display(const std::string& canonical);

}  // namespace nongsan::phone
