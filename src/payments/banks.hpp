// The banks a shop's payout account may be at: NAPAS BINs with their names,
// read once at start from data/banks/napas-bins.csv (bin,short_name,name).
// Immutable after Load; thread-safe to read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::payments {

struct Bank {
  std::string bin;
  std::string short_name;
  std::string name;
};

class BankList {
 public:
  // Reads the file; a missing file or a malformed line is an error naming it.
  static Result<BankList> Load(const std::string& path);
  // data/banks/napas-bins.csv in the working directory, else in the source tree.
  static std::string DefaultPath();

  std::optional<Bank> Find(const std::string& bin) const;
  const std::vector<Bank>& all() const { return banks_; }

 private:
  std::vector<Bank> banks_;
  std::map<std::string, std::size_t> by_bin_;
};

}  // namespace nongsan::payments
