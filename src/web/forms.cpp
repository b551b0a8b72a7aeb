#include "web/forms.hpp"

#include "core/text.hpp"

namespace nongsan::web {

namespace {
const std::string kEmpty;
constexpr std::string_view kErrorPrefix = "errors.";
constexpr std::string_view kFieldErrorPrefix = "errors.field.";
constexpr std::string_view kTypeErrorPrefix = "errors.type.";
constexpr std::string_view kGenericFieldError = "errors.invalid";
constexpr std::string_view kGenericFormError = "errors.generic";
}  // namespace

Form::Form(const http::Request& request) {
  for (auto& [name, value] : http::ParseUrlEncoded(request.body)) {
    if (values_.contains(name)) continue;
    if (value.size() > kMaxFormValueBytes) value.resize(kMaxFormValueBytes);
    values_.emplace(std::move(name), text::Trim(value));
  }
}

const std::string& Form::Value(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

bool Form::Has(std::string_view name) const { return values_.find(name) != values_.end(); }

void Form::Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }

const std::string& Form::Required(std::string_view name) {
  const std::string& value = Value(name);
  if (value.empty()) AddError(name, "errors.required");
  return value;
}

void Form::AddError(std::string_view field, std::string_view message_key) {
  if (errors_.find(field) != errors_.end()) return;
  errors_.emplace(std::string(field), Message{std::string(message_key), true, std::string(field)});
}

void Form::AddErrors(const Error& error) {
  if (error.fields.empty()) {
    form_errors_.push_back(Message{error.type, false, ""});
    return;
  }
  for (const auto& field_error : error.fields) {
    if (errors_.contains(field_error.field)) continue;
    errors_.emplace(field_error.field, Message{field_error.message, false, field_error.field});
  }
}

void Form::AddErrors(const Error& error, const std::map<std::string, std::string>& rename) {
  Error renamed = error;
  for (auto& field_error : renamed.fields) {
    if (auto it = rename.find(field_error.field); it != rename.end()) field_error.field = it->second;
  }
  AddErrors(renamed);
}

bool Form::HasError(std::string_view field) const { return errors_.find(field) != errors_.end(); }

std::string Form::Resolve(const Message& message, const Translations& translations, Lang lang) const {
  if (message.is_key) return translations.Get(lang, message.text);
  if (message.field.empty()) {
    std::string by_type = std::string(kTypeErrorPrefix) + message.text;
    if (translations.Has(Lang::kVi, by_type)) return translations.Get(lang, by_type);
    return translations.Get(lang, kGenericFormError);
  }
  std::string by_message = std::string(kErrorPrefix) + message.text;
  if (translations.Has(Lang::kVi, by_message)) return translations.Get(lang, by_message);
  std::string by_field = std::string(kFieldErrorPrefix) + message.field;
  if (translations.Has(Lang::kVi, by_field)) return translations.Get(lang, by_field);
  return translations.Get(lang, kGenericFieldError);
}

nlohmann::json Form::View(const Translations& translations, Lang lang) const {
  nlohmann::json view = nlohmann::json::object();
  for (const auto& [name, value] : values_) view[name] = {{"value", value}, {"invalid", false}};
  for (const auto& [field, message] : errors_) {
    auto& entry = view[field];
    if (!entry.contains("value")) entry["value"] = "";
    entry["error"] = Resolve(message, translations, lang);
    entry["invalid"] = true;
  }
  nlohmann::json form_errors = nlohmann::json::array();
  for (const auto& message : form_errors_) form_errors.push_back(Resolve(message, translations, lang));
  view["errors"] = std::move(form_errors);
  view["has_errors"] = !ok();
  return view;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  // Enough digits for every count and price the catalogue accepts.
  constexpr std::size_t kMaxDigits = 15;
  std::int64_t value = 0;
  std::size_t digits = 0;
  for (char c : text) {
    if (c == '.' || c == ' ') continue;
    if (c < '0' || c > '9' || ++digits > kMaxDigits) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (digits == 0) return std::nullopt;
  return value;
}

}  // namespace nongsan::web
