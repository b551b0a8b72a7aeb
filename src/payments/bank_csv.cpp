#include "payments/bank_csv.hpp"

#include "core/text.hpp"

namespace nongsan::payments {

BankCsvReader::BankCsvReader(std::string_view csv, std::vector<std::string_view> columns,
                             std::size_t max_lines)
    : reader_(csv), columns_(std::move(columns)), max_lines_(max_lines) {}

void BankCsvReader::Fail(std::size_t line, std::string message) {
  if (errors_.size() < kMaxStatementErrors)
    errors_.push_back({"line " + std::to_string(line), std::move(message)});
}

bool BankCsvReader::Next() {
  if (stopped_) return false;
  if (pending_) ++accepted_;
  pending_ = false;
  while (auto record = reader_.Next()) {
    if (!record->error.empty()) {
      Fail(record->line, record->error);
      continue;
    }
    if (header_) {
      header_ = false;
      for (std::size_t i = 0; i < record->fields.size(); ++i) column_[text::Trim(record->fields[i])] = i;
      for (std::string_view name : columns_) {
        if (!column_.contains(name)) Fail(record->line, "the header has no column " + std::string(name));
      }
      // A malformed record before the header refuses the file as well.
      if (!errors_.empty()) {
        stopped_ = true;
        return false;
      }
      continue;
    }
    if (accepted_ >= max_lines_) {
      Fail(record->line, "more than " + std::to_string(max_lines_) + " lines; split the statement");
      stopped_ = true;
      return false;
    }
    record_ = std::move(*record);
    pending_ = true;
    return true;
  }
  stopped_ = true;
  if (header_) Fail(1, "the file is empty");
  return false;
}

std::string BankCsvReader::Field(std::string_view column) const {
  const auto it = column_.find(column);
  if (it == column_.end() || it->second >= record_.fields.size()) return std::string();
  return record_.fields[it->second];
}

void BankCsvReader::Refuse(const std::vector<std::string>& problems) {
  pending_ = false;
  std::string joined;
  for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  Fail(record_.line, joined);
}

Error BankCsvReader::Refusal(std::string type) {
  // The count is taken before the errors are moved into the Error.
  const std::string detail = std::to_string(errors_.size()) +
                             (errors_.size() >= kMaxStatementErrors ? "+" : "") +
                             " broken lines; nothing was applied.";
  Error e = Error::Invalid(detail, std::move(errors_));
  errors_.clear();
  e.type = std::move(type);
  return e;
}

}  // namespace nongsan::payments
