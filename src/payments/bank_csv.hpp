// Reading the CSV statements the payments module takes (a bank's statement,
// a carrier's COD remittance) the one way they are read. The first record is
// a header naming the columns (in any order; others are ignored) and must
// name every required one. Each later record is a line; a malformed record,
// or a line the caller refuses, is one error naming the line ("line 7": its
// problems joined by "; "), at most kMaxStatementErrors of them kept. A
// header short of a column, more lines than the limit or an empty file end
// the reading with an error. Any error refuses the whole file (Refusal):
// nothing of it is applied.
//
// Reads from a string_view the caller keeps alive. Not thread-safe (one
// reader per input).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_reader.hpp"
#include "core/result.hpp"

namespace nongsan::payments {

// Most broken lines named in one refusal.
inline constexpr std::size_t kMaxStatementErrors = 100;

class BankCsvReader {
 public:
  // `columns` must outlive the reader (string literals do).
  BankCsvReader(std::string_view csv, std::vector<std::string_view> columns, std::size_t max_lines);

  // Moves to the next well-formed line; false at the end of the file or once
  // the reading has stopped on an error.
  bool Next();
  // The current line's number (where its record starts, 1-based).
  std::size_t line() const { return record_.line; }
  // The current line's text in `column` as written; "" on a short line or
  // for a column the header does not name.
  std::string Field(std::string_view column) const;
  // The current line is broken: `problems` become its one error, and it
  // does not count towards the lines' limit.
  void Refuse(const std::vector<std::string>& problems);

  const std::vector<FieldError>& errors() const { return errors_; }
  // The one kInvalid error of `type` refusing the file ("3 broken lines;
  // nothing was applied."), naming each broken line. Takes errors().
  Error Refusal(std::string type);

 private:
  void Fail(std::size_t line, std::string message);

  CsvReader reader_;
  std::vector<std::string_view> columns_;
  std::size_t max_lines_;
  std::map<std::string, std::size_t, std::less<>> column_;
  CsvRecord record_;
  bool header_ = true;
  bool stopped_ = false;
  bool pending_ = false;      // the current line is not refused (yet)
  std::size_t accepted_ = 0;  // lines read and not refused
  std::vector<FieldError> errors_;
};

}  // namespace nongsan::payments
