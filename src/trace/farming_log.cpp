#include "trace/farming_log.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace nongsan::trace {
namespace {

// Reads FarmingLogText's array of objects straight into entries, with no
// JSON tree in between. Other keys and non-string values are skipped;
// anything but an array gives no entries.
class FarmingLogReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit FarmingLogReader(std::vector<FarmingEntry>& log) : log_(log) {}

  bool null() override { return Skip(); }
  bool boolean(bool) override { return Skip(); }
  bool number_integer(number_integer_t) override { return Skip(); }
  bool number_unsigned(number_unsigned_t) override { return Skip(); }
  bool number_float(number_float_t, const string_t&) override { return Skip(); }
  bool binary(binary_t&) override { return Skip(); }
  bool string(string_t& value) override {
    if (depth_ == 2 && field_ != nullptr) *field_ = std::move(value);
    return Skip();
  }
  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 2) log_.emplace_back();
    if (depth_ == 1) return false;  // not an array
    field_ = nullptr;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    field_ = nullptr;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& name) override {
    field_ = nullptr;
    if (depth_ != 2) return true;
    FarmingEntry& e = log_.back();
    if (name == "date") field_ = &e.date;
    if (name == "activity") field_ = &e.activity;
    if (name == "input") field_ = &e.input;
    if (name == "note") field_ = &e.note;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Skip() {
    field_ = nullptr;
    return depth_ > 0;  // a bare value at the top is not a log
  }

  std::vector<FarmingEntry>& log_;
  int depth_ = 0;
  std::string* field_ = nullptr;
};

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The direct reader's cursor over the text.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  // Skips white space; then whether the next character is `c` (taken).
  bool Take(char c) {
    while (pos_ < text_.size() && IsJsonSpace(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    while (pos_ < text_.size() && IsJsonSpace(text_[pos_])) ++pos_;
    return pos_ == text_.size();
  }

  // A string after its opening quote, appended to `out`. Only the escapes
  // \" \\ \/ \b \f \n \r \t and valid UTF-8 are read here; anything else
  // (\u escapes included) is false and left to the SAX reader.
  bool String(std::string& out) {
    std::size_t run = pos_;
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        out.append(text_.substr(run, pos_ - run));
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        out.append(text_.substr(run, pos_ - run));
        if (++pos_ == text_.size()) return false;
        switch (text_[pos_]) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          default:
            return false;
        }
        run = ++pos_;
        continue;
      }
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      const std::size_t length = text::Utf8SequenceLength(text_, pos_);
      if (length == 0) return false;
      pos_ += length;
    }
    return false;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string* Field(FarmingEntry& e, std::string_view name) {
  if (name == "date") return &e.date;
  if (name == "activity") return &e.activity;
  if (name == "input") return &e.input;
  if (name == "note") return &e.note;
  return nullptr;
}

}  // namespace

std::string FarmingLogText(const std::vector<FarmingEntry>& log) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : log) {
    out.push_back({{"date", e.date}, {"activity", e.activity}, {"input", e.input}, {"note", e.note}});
  }
  return out.dump();
}

namespace detail {

bool ParseFarmingLogDirect(std::string_view text, std::vector<FarmingEntry>& log) {
  Cursor in(text);
  if (!in.Take('[')) return false;
  if (in.Take(']')) return in.AtEnd();
  std::string name;
  std::string value;
  do {
    if (!in.Take('{')) return false;
    FarmingEntry& e = log.emplace_back();
    if (!in.Take('}')) {
      do {
        name.clear();
        value.clear();
        if (!in.Take('"') || !in.String(name) || !in.Take(':') || !in.Take('"') || !in.String(value))
          return false;
        if (std::string* field = Field(e, name)) *field = value;
      } while (in.Take(','));
      if (!in.Take('}')) return false;
    }
  } while (in.Take(','));
  return in.Take(']') && in.AtEnd();
}

std::vector<FarmingEntry> ParseFarmingLogSax(std::string_view text) {
  std::vector<FarmingEntry> log;
  FarmingLogReader reader(log);
  if (!nlohmann::json::sax_parse(text, &reader)) log.clear();
  return log;
}

}  // namespace detail

std::vector<FarmingEntry> ParseFarmingLog(std::string_view text) {
  std::vector<FarmingEntry> log;
  if (detail::ParseFarmingLogDirect(text, log)) return log;
  return detail::ParseFarmingLogSax(text);
}

}  // namespace nongsan::trace
