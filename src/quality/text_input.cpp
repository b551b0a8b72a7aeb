#include "quality/text_input.hpp"

#include "core/text.hpp"

namespace nongsan::quality {

std::optional<std::string> CleanText(const std::string& raw, const std::string& field, std::size_t min_chars,
                                     std::size_t max_chars, Lines lines, std::vector<FieldError>& errors) {
  if (!text::IsValidUtf8(raw)) {
    errors.push_back({field, "is not valid UTF-8 text"});
    return std::nullopt;
  }
  for (unsigned char ch : raw) {
    const bool line_break = ch == '\n' || ch == '\r' || ch == '\t';
    if ((ch < 0x20 && !(lines == Lines::kMulti && line_break)) || ch == 0x7F) {
      errors.push_back({field, "contains control characters"});
      return std::nullopt;
    }
  }
  std::string cleaned = text::Trim(text::ToNfc(raw));
  const std::size_t chars = text::CodePointCount(cleaned);
  if (chars < min_chars) {
    errors.push_back({field, min_chars <= 1
                                 ? "is required"
                                 : "must be at least " + std::to_string(min_chars) + " characters"});
    return std::nullopt;
  }
  if (chars > max_chars) {
    errors.push_back({field, "must be at most " + std::to_string(max_chars) + " characters"});
    return std::nullopt;
  }
  return cleaned;
}

}  // namespace nongsan::quality
