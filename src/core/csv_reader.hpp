// A strict RFC 4180 CSV reader, for every module that takes CSV (the
// product import, bank statements, carriers' remittances, the bank list):
// comma separated, records ending in LF or CRLF, fields optionally in double
// quotes (which may hold commas, line breaks and doubled quotes ""), an
// optional UTF-8 BOM.
// Each record carries the line it starts on, so errors can name it. A
// malformed record (a stray quote, text after a closing quote, an overlong
// field) is reported and skipped to the end of its line; a quote that never
// closes ends the file with an error naming the line it opened on.
//
// Reads from a string_view the caller keeps alive. Not thread-safe (one
// reader per input).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan {

inline constexpr std::size_t kMaxCsvFieldBytes = 64 * 1024;

struct CsvRecord {
  std::size_t line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
  std::string error;  // non-empty: the record is malformed
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view data);
  // The next record, or nullopt at the end of the input. Blank lines are skipped.
  std::optional<CsvRecord> Next();
  // Bytes consumed so far (for progress).
  std::size_t offset() const { return pos_; }
  std::size_t size() const { return data_.size(); }

 private:
  void SkipLine();

  std::string_view data_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace nongsan
