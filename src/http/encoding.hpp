// ASCII case-insensitive comparison for the HTTP layer (header names and
// tokens are ASCII); UTF-8 validation is text::IsValidUtf8 (core/text.hpp).
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace nongsan::http {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
std::string AsciiLower(std::string_view s);

}  // namespace nongsan::http
