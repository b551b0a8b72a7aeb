#include "accounts/json_input.hpp"

#include <algorithm>

namespace nongsan::accounts {

JsonInput::JsonInput(const nlohmann::json& body) : body_(body) {
  if (!body_.is_object()) Fail("", "The request body must be a JSON object.");
}

const nlohmann::json* JsonInput::Member(std::string_view field, Presence presence) {
  if (!body_.is_object()) return nullptr;
  const auto it = body_.find(std::string(field));
  if (it == body_.end() || it->is_null()) {
    if (presence == Presence::kRequired) Fail(std::string(field), "This field is required.");
    return nullptr;
  }
  return &*it;
}

bool JsonInput::Has(std::string_view field) const {
  if (!body_.is_object()) return false;
  const auto it = body_.find(std::string(field));
  return it != body_.end() && !it->is_null();
}

std::optional<std::string> JsonInput::String(std::string_view field, Presence presence,
                                             std::size_t max_bytes) {
  const nlohmann::json* value = Member(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    Fail(std::string(field), "Must be a string.");
    return std::nullopt;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.size() > std::min(max_bytes, kMaxFieldBytes)) {
    Fail(std::string(field), "Too long.");
    return std::nullopt;
  }
  return text;
}

std::optional<std::vector<std::string>> JsonInput::StringArray(std::string_view field,
                                                               Presence presence) {
  const nlohmann::json* value = Member(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_array() || value->size() > kMaxArrayItems) {
    Fail(std::string(field), "Must be an array of at most " + std::to_string(kMaxArrayItems) +
                                 " strings.");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *value) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxFieldBytes) {
      Fail(std::string(field), "Must be an array of strings.");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::int64_t> JsonInput::Int(std::string_view field, Presence presence) {
  const nlohmann::json* value = Member(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_number_integer()) {
    Fail(std::string(field), "Must be a whole number.");
    return std::nullopt;
  }
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    Fail(std::string(field), "Out of range.");
    return std::nullopt;
  }
  return value->get<std::int64_t>();
}

std::optional<bool> JsonInput::Bool(std::string_view field, Presence presence) {
  const nlohmann::json* value = Member(field, presence);
  if (!value) return std::nullopt;
  if (!value->is_boolean()) {
    Fail(std::string(field), "Must be true or false.");
    return std::nullopt;
  }
  return value->get<bool>();
}

void JsonInput::Fail(std::string field, std::string message) {
  errors_.push_back(FieldError{std::move(field), std::move(message)});
}

Status JsonInput::Finish() const {
  if (errors_.empty()) return Ok{};
  return Error::Invalid("Some fields are missing or invalid.", errors_);
}

}  // namespace nongsan::accounts
