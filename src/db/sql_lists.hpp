// Placeholder lists for SQL built at run time: "IN (?, ?, ?)" and multi-row
// "VALUES (?, ?), (?, ?)". Written once here, in `?` form, which both backends
// take (PostgreSQL's rewrites them to $n).
#pragma once

#include <cstddef>
#include <string>

namespace nongsan::db {

// "?, ?, ?" — n placeholders separated by commas ("" for n = 0).
std::string Placeholders(std::size_t n);

// "(?, ?, ?)" — an IN list of n placeholders.
std::string InList(std::size_t n);

// "(?, ?), (?, ?), (?, ?)" — rows tuples of columns placeholders each.
std::string ValuesList(std::size_t rows, std::size_t columns);

}  // namespace nongsan::db
