// Cleaning free text a person typed (certificate numbers, reasons, review
// bodies): valid UTF-8, NFC, trimmed, no control characters other than line
// breaks and tabs, and a length in code points within the field's limits.
// Problems are appended as field errors so one 400 lists them all. Pure,
// thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::quality {

enum class Lines { kSingle, kMulti };

// The cleaned text, or nullopt after appending a FieldError for `field`.
std::optional<std::string> CleanText(const std::string& raw, const std::string& field, std::size_t min_chars,
                                     std::size_t max_chars, Lines lines, std::vector<FieldError>& errors);

}  // namespace nongsan::quality
