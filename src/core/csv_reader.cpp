#include "core/csv_reader.hpp"

namespace nongsan {

CsvReader::CsvReader(std::string_view data) : data_(data) {
  if (data_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

void CsvReader::SkipLine() {
  while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
  if (pos_ < data_.size()) {
    ++pos_;
    ++line_;
  }
}

std::optional<CsvRecord> CsvReader::Next() {
  // Blank lines (LF or CRLF alone) separate nothing.
  while (pos_ < data_.size()) {
    if (data_[pos_] == '\n') {
      ++pos_;
      ++line_;
    } else if (data_[pos_] == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
    } else {
      break;
    }
  }
  if (pos_ >= data_.size()) return std::nullopt;

  CsvRecord record;
  record.line = line_;
  std::string field;
  auto fail = [&](std::string message) {
    record.error = std::move(message);
    record.fields.clear();
    SkipLine();
    return record;
  };
  while (true) {
    field.clear();
    if (pos_ < data_.size() && data_[pos_] == '"') {
      const std::size_t opened_on = line_;
      ++pos_;
      bool closed = false;
      while (pos_ < data_.size()) {
        const char c = data_[pos_];
        if (c == '"') {
          if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
            field += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        field += c;
        ++pos_;
        if (field.size() > kMaxCsvFieldBytes) {
          return fail("a field is longer than " + std::to_string(kMaxCsvFieldBytes) + " bytes");
        }
      }
      if (!closed) {
        record.error = "a quote opened on line " + std::to_string(opened_on) + " is never closed";
        record.fields.clear();
        return record;  // pos_ is at the end: nothing after can be read reliably
      }
      // After the closing quote: a comma, the end of the record (LF, CRLF) or
      // of the input. A lone CR is not a line end (found by fuzzing: it used
      // to end the record silently and start the next on the same line).
      const bool crlf_or_final_cr =
          pos_ < data_.size() && data_[pos_] == '\r' && (pos_ + 1 == data_.size() || data_[pos_ + 1] == '\n');
      if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' && !crlf_or_final_cr) {
        return fail("text after a closing quote; a quote inside a field must be doubled (\"\")");
      }
    } else {
      while (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n') {
        const char c = data_[pos_];
        if (c == '\r' && (pos_ + 1 == data_.size() || data_[pos_ + 1] == '\n')) break;
        if (c == '"') return fail("a quote in the middle of an unquoted field; quote the whole field");
        field += c;
        ++pos_;
        if (field.size() > kMaxCsvFieldBytes) {
          return fail("a field is longer than " + std::to_string(kMaxCsvFieldBytes) + " bytes");
        }
      }
    }
    record.fields.push_back(field);
    if (pos_ >= data_.size()) break;
    if (data_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (data_[pos_] == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    break;
  }
  return record;
}

}  // namespace nongsan
