#include "payments/banks.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv_reader.hpp"
#include "core/source_dir.hpp"

namespace nongsan::payments {
namespace {

constexpr const char* kBanksFile = "data/banks/napas-bins.csv";
constexpr std::size_t kBinDigits = 6;

bool IsBin(const std::string& s) {
  return s.size() == kBinDigits &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string BankList::DefaultPath() {
  if (std::filesystem::exists(kBanksFile)) return kBanksFile;
  return std::string(core::SourceDir()) + "/" + kBanksFile;
}

Result<BankList> BankList::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Unavailable("cannot read the bank list " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  CsvReader reader(data);
  BankList list;
  bool header = true;
  while (auto record = reader.Next()) {
    if (header) {
      header = false;
      continue;
    }
    if (!record->error.empty() || record->fields.size() != 3 || !IsBin(record->fields[0])) {
      return Error::Internal(path + " line " + std::to_string(record->line) +
                             ": expected bin,short_name,name");
    }
    if (list.by_bin_.count(record->fields[0]) > 0) {
      return Error::Internal(path + " line " + std::to_string(record->line) + ": BIN listed twice");
    }
    list.by_bin_[record->fields[0]] = list.banks_.size();
    list.banks_.push_back({record->fields[0], record->fields[1], record->fields[2]});
  }
  if (list.banks_.empty()) return Error::Internal(path + " lists no banks");
  return list;
}

std::optional<Bank> BankList::Find(const std::string& bin) const {
  auto it = by_bin_.find(bin);
  if (it == by_bin_.end()) return std::nullopt;
  return banks_[it->second];
}

}  // namespace nongsan::payments
