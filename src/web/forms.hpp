// HTML form handling for the pages: read the posted values, collect errors
// per field, and hand the template everything it needs to re-show the form
// with the user's input kept and each message next to its field.
//
// Messages are translation keys under "errors." (e.g. "required"). Errors
// that come back from a service (Error::fields) carry a service's message;
// AddErrors() shows its translation when the files have one ("errors.<message>"),
// else a per-field Vietnamese message ("errors.field.<field>"), else a generic
// one, so a buyer never sees an English sentence from deep in the server.
//
// A Form belongs to one request (not thread-safe, no need).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "http/request.hpp"
#include "web/i18n.hpp"

namespace nongsan::web {

// Longest value a page form field may carry back into the page.
inline constexpr std::size_t kMaxFormValueBytes = 4096;

// Parses a whole positive number from a form or query value (no signs, no
// separators other than '.' grouping and spaces); nullopt otherwise.
std::optional<std::int64_t> ParseCount(std::string_view text);

class Form {
 public:
  Form() = default;
  // The x-www-form-urlencoded body of a POST (first value of each name).
  explicit Form(const http::Request& request);

  // The trimmed value, "" when absent.
  const std::string& Value(std::string_view name) const;
  bool Has(std::string_view name) const;
  void Set(std::string name, std::string value);

  // Required field helper: records "errors.required" when empty; returns the value.
  const std::string& Required(std::string_view name);
  // Records an error by translation key (the first error of a field wins).
  void AddError(std::string_view field, std::string_view message_key);
  // Records the field errors of a service Error; one with no fields becomes a
  // form-level error (shown above the form).
  void AddErrors(const Error& error);
  // As AddErrors, with service field names mapped to the form's own
  // ("shipping_address.phone" → "phone"); unmapped fields keep their name.
  void AddErrors(const Error& error, const std::map<std::string, std::string>& rename);
  bool ok() const { return errors_.empty() && form_errors_.empty(); }
  bool HasError(std::string_view field) const;

  // {"<field>": {"value": "...", "error": "<Vietnamese text>", "invalid": true},
  //  "has_errors": bool, "errors": ["<form-level message>", ...]}
  // Values are passed unescaped: mustache escapes them in the template.
  nlohmann::json View(const Translations& translations, Lang lang) const;

 private:
  // A message is a translation key, or a service's own text to be looked up
  // when the view is built (the language is known only then).
  struct Message {
    std::string text;
    bool is_key = true;
    std::string field;  // for service messages: the field's fallback message
  };
  std::string Resolve(const Message& message, const Translations& translations, Lang lang) const;

  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, Message, std::less<>> errors_;
  std::vector<Message> form_errors_;
};

}  // namespace nongsan::web
