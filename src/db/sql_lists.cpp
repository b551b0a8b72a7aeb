#include "db/sql_lists.hpp"

namespace nongsan::db {

std::string Placeholders(std::size_t n) {
  std::string out;
  out.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

std::string InList(std::size_t n) { return "(" + Placeholders(n) + ")"; }

std::string ValuesList(std::size_t rows, std::size_t columns) {
  const std::string tuple = InList(columns);
  std::string out;
  out.reserve(rows * (tuple.size() + 2));
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) out += ", ";
    out += tuple;
  }
  return out;
}

}  // namespace nongsan::db
