// Reading a JSON request body field by field into typed values — the one
// validator of JSON input (issue 13): required and optional members with
// their types, length limits, text cleaned of control characters (and of
// markup where a field says so), every field error collected so that one
// 400 problem names them all. Duplicate keys never reach it: the body comes
// from Request::JsonBody, which refuses them (nlohmann would keep the last,
// other parsers the first). Unknown members are ignored, as docs/api.md
// promises, so clients may send newer fields (RefuseUnknown where a body
// must not carry any). Nothing here touches the
// database. Not thread-safe (one instance per request).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::http {

// Longest text a field may carry unless its caller names a larger limit;
// keeps a megabyte string from reaching NFC normalisation.
inline constexpr std::size_t kMaxFieldBytes = 4096;
// Most elements accepted in an array field.
inline constexpr std::size_t kMaxArrayItems = 100;
// Most characters of a cleaned text field unless its rule says otherwise.
inline constexpr std::size_t kDefaultMaxTextChars = 1000;

enum class Presence { kRequired, kOptional };
enum class TextLines { kSingle, kMulti };  // kMulti: line breaks and tabs allowed
enum class Markup { kAllowed, kRefused };  // kRefused: no '<' or '>' (names shown in other people's pages)

// How a free-text field is cleaned: valid UTF-8, NFC, trimmed, no control
// characters, and a length in code points within [min_chars, max_chars].
struct TextRule {
  std::size_t min_chars = 0;  // 0: may be empty; 1: required and not blank
  std::size_t max_chars = kDefaultMaxTextChars;
  TextLines lines = TextLines::kSingle;
  Markup markup = Markup::kAllowed;
};

class JsonInput {
 public:
  // `prefix` names nested members in errors ("shipping_address.").
  explicit JsonInput(const nlohmann::json& body, std::string prefix = "");

  // A string member (null counts as absent), at most `max_bytes`. Rejects other types.
  std::optional<std::string> String(std::string_view field, Presence presence,
                                    std::size_t max_bytes = kMaxFieldBytes);
  // A cleaned free-text member (TextRule). An optional member that is
  // absent gives nullopt and no error.
  std::optional<std::string> Text(std::string_view field, Presence presence, const TextRule& rule);
  // An array of strings.
  std::optional<std::vector<std::string>> StringArray(std::string_view field, Presence presence);
  std::optional<std::int64_t> Int(std::string_view field, Presence presence);
  // An array of at most `max_items` whole numbers; each bad element is
  // named ("ids[2]").
  std::optional<std::vector<std::int64_t>> IntArray(std::string_view field, Presence presence,
                                                    std::size_t max_items = kMaxArrayItems);
  std::optional<bool> Bool(std::string_view field, Presence presence);
  bool Has(std::string_view field) const;
  // The member is there and null (a PATCH clearing a value).
  bool IsNull(std::string_view field) const;
  // Refuses every member not named in `allowed` ("Unknown field."), for the
  // bodies where a misspelt member must not pass silently (docs/api.md).
  void RefuseUnknown(std::span<const std::string_view> allowed);
  // The member itself, for shapes this class does not read (files, nested
  // objects); a missing required member is recorded as an error.
  const nlohmann::json* Value(std::string_view field, Presence presence);

  // Adds a field error found by the caller's own checks (`field` is taken
  // as is, without the prefix).
  void Fail(std::string field, std::string message);
  bool ok() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // Ok, or one kInvalid error (400) naming every bad field.
  Status Finish() const;

 private:
  std::string Name(std::string_view field) const { return prefix_ + std::string(field); }

  const nlohmann::json& body_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

// A JSON integer that fits in int64; floats, strings and larger numbers are
// not. For members read by the caller's own rules (JsonInput::Int is the
// same with its error).
std::optional<std::int64_t> AsInt(const nlohmann::json& value);

// Cleans free text by `rule` (see TextRule); appends a FieldError for
// `field` and returns nullopt when it does not pass. Also for text that did
// not come as JSON (form fields).
std::optional<std::string> CleanText(const std::string& raw, const std::string& field, const TextRule& rule,
                                     std::vector<FieldError>& errors);

}  // namespace nongsan::http
