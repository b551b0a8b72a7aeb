// Byte-level text checks the HTTP layer needs on untrusted input: UTF-8
// validation and ASCII case-insensitive comparison (HTTP header names and
// tokens are ASCII). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace nongsan::http {

// True when `s` is well-formed UTF-8: no overlong forms, no surrogates, no
// code points above U+10FFFF, no truncated sequences.
bool IsValidUtf8(std::string_view s);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
std::string AsciiLower(std::string_view s);

}  // namespace nongsan::http
