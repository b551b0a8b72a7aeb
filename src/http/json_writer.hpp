// Writes JSON text straight into a string, for the hottest responses (a
// product by id, search results), where building an nlohmann::json tree and
// then dumping it costs more than the rest of the request. The text is the
// same as nlohmann's dump() of the same values (compact, non-ASCII as UTF-8,
// invalid UTF-8 replaced by U+FFFD), so a writer and a tree can be checked
// against each other. Object keys are written in the order given: write them
// sorted to match nlohmann's std::map ordering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::http {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void BeforeValue();
  void Escaped(std::string_view s);

  std::string& out_;
  std::vector<bool> has_items_;  // per open object/array
  bool after_key_ = false;
};

}  // namespace nongsan::http
