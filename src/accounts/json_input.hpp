// Reading a JSON request body field by field into typed values, collecting
// every field error so that one 400 problem lists them all. Wrong types and
// nested values where a scalar is expected are errors; unknown members are
// ignored, as docs/api.md promises, so clients may send newer fields. Used by the accounts
// and sellers routes; nothing here touches the database. Not thread-safe (one
// instance per request).
#pragma once

#include "core/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::accounts {

// Longest text any single field may carry before its own limit is checked;
// keeps a megabyte string from reaching NFC normalisation.
inline constexpr std::size_t kMaxFieldBytes = 4096;
// Most elements accepted in an array field.
inline constexpr std::size_t kMaxArrayItems = 100;

enum class Presence { kRequired, kOptional };

class JsonInput {
 public:
  explicit JsonInput(const nlohmann::json& body);

  // A string member (null counts as absent). Rejects other types.
  std::optional<std::string> String(std::string_view field, Presence presence,
                                    std::size_t max_bytes = kMaxFieldBytes);
  // An array of strings.
  std::optional<std::vector<std::string>> StringArray(std::string_view field, Presence presence);
  std::optional<std::int64_t> Int(std::string_view field, Presence presence);
  std::optional<bool> Bool(std::string_view field, Presence presence);
  bool Has(std::string_view field) const;

  // Adds a field error found by the caller's own checks.
  void Fail(std::string field, std::string message);
  bool ok() const { return errors_.empty(); }
  // Ok, or one kInvalid error naming every bad field.
  Status Finish() const;

 private:
  const nlohmann::json* Member(std::string_view field, Presence presence);

  const nlohmann::json& body_;
  std::vector<FieldError> errors_;
};

}  // namespace nongsan::accounts
