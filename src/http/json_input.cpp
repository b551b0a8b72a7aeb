#include "http/json_input.hpp"

#include <algorithm>
#include <limits>

#include "core/field_errors.hpp"
#include "core/text.hpp"

namespace nongsan::http {

JsonInput::JsonInput(const nlohmann::json& body, std::string prefix)
    : body_(body), prefix_(std::move(prefix)) {
  if (!body_.is_object())
    Fail(prefix_.empty() ? "" : prefix_.substr(0, prefix_.size() - 1), "Must be a JSON object.");
}

const nlohmann::json* JsonInput::Value(std::string_view field, Presence presence) {
  if (!body_.is_object()) return nullptr;
  const auto it = body_.find(std::string(field));
  if (it == body_.end() || it->is_null()) {
    if (presence == Presence::kRequired) Fail(Name(field), "This field is required.");
    return nullptr;
  }
  return &*it;
}

bool JsonInput::Has(std::string_view field) const {
  if (!body_.is_object()) return false;
  const auto it = body_.find(std::string(field));
  return it != body_.end() && !it->is_null();
}

bool JsonInput::IsNull(std::string_view field) const {
  if (!body_.is_object()) return false;
  const auto it = body_.find(std::string(field));
  return it != body_.end() && it->is_null();
}

void JsonInput::RefuseUnknown(std::span<const std::string_view> allowed) {
  if (!body_.is_object()) return;
  for (const auto& [key, value] : body_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) Fail(Name(key), "Unknown field.");
  }
}

std::optional<std::string> JsonInput::String(std::string_view field, Presence presence,
                                             std::size_t max_bytes) {
  const nlohmann::json* value = Value(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    Fail(Name(field), "Must be a string.");
    return std::nullopt;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.size() > max_bytes) {
    Fail(Name(field), "Too long.");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> JsonInput::Text(std::string_view field, Presence presence, const TextRule& rule) {
  // A code point is at most 4 bytes: a longer string is refused before NFC.
  const std::size_t max_bytes = rule.max_chars * 4;
  auto raw = String(field, presence,
                    max_bytes < rule.max_chars ? std::numeric_limits<std::size_t>::max() : max_bytes);
  if (!raw) return std::nullopt;
  TextRule effective = rule;
  if (presence == Presence::kRequired && effective.min_chars == 0) effective.min_chars = 1;
  return CleanText(*raw, Name(field), effective, errors_);
}

std::optional<std::vector<std::string>> JsonInput::StringArray(std::string_view field, Presence presence) {
  const nlohmann::json* value = Value(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_array() || value->size() > kMaxArrayItems) {
    Fail(Name(field), "Must be an array of at most " + std::to_string(kMaxArrayItems) + " strings.");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *value) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxFieldBytes) {
      Fail(Name(field), "Must be an array of strings.");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::int64_t> AsInt(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return std::nullopt;
}

std::optional<std::int64_t> JsonInput::Int(std::string_view field, Presence presence) {
  const nlohmann::json* value = Value(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_number_integer()) {
    Fail(Name(field), "Must be a whole number.");
    return std::nullopt;
  }
  const auto n = AsInt(*value);
  if (!n) Fail(Name(field), "Out of range.");
  return n;
}

std::optional<std::vector<std::int64_t>> JsonInput::IntArray(std::string_view field, Presence presence,
                                                             std::size_t max_items) {
  const nlohmann::json* value = Value(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_array() || value->size() > max_items) {
    Fail(Name(field), "Must be an array of at most " + std::to_string(max_items) + " whole numbers.");
    return std::nullopt;
  }
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto n = AsInt((*value)[i]);
    if (!n) {
      Fail(Name(field) + "[" + std::to_string(i) + "]", "Must be a whole number.");
      continue;
    }
    out.push_back(*n);
  }
  return out;
}

std::optional<bool> JsonInput::Bool(std::string_view field, Presence presence) {
  const nlohmann::json* value = Value(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_boolean()) {
    Fail(Name(field), "Must be true or false.");
    return std::nullopt;
  }
  return value->get<bool>();
}

void JsonInput::Fail(std::string field, std::string message) {
  errors_.push_back(FieldError{std::move(field), std::move(message)});
}

Status JsonInput::Finish() const {
  if (errors_.empty()) return Ok{};
  return InvalidFields(errors_);
}

std::optional<std::string> CleanText(const std::string& raw, const std::string& field, const TextRule& rule,
                                     std::vector<FieldError>& errors) {
  if (!text::IsValidUtf8(raw)) {
    errors.push_back({field, "Must be valid UTF-8 text."});
    return std::nullopt;
  }
  for (unsigned char ch : raw) {
    const bool line_break = ch == '\n' || ch == '\r' || ch == '\t';
    if ((ch < 0x20 && !(rule.lines == TextLines::kMulti && line_break)) || ch == 0x7F) {
      errors.push_back({field, "Must not contain control characters."});
      return std::nullopt;
    }
    if (rule.markup == Markup::kRefused && (ch == '<' || ch == '>')) {
      errors.push_back({field, "Must not contain < or >."});
      return std::nullopt;
    }
  }
  std::string cleaned = text::Trim(text::ToNfc(raw));
  const std::size_t chars = text::CodePointCount(cleaned);
  if (chars < rule.min_chars) {
    errors.push_back({field, rule.min_chars <= 1
                                 ? "This field is required."
                                 : "At least " + std::to_string(rule.min_chars) + " characters."});
    return std::nullopt;
  }
  if (chars > rule.max_chars) {
    errors.push_back({field, "At most " + std::to_string(rule.max_chars) + " characters."});
    return std::nullopt;
  }
  return cleaned;
}

}  // namespace nongsan::http
