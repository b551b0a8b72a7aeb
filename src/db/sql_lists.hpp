// Placeholder lists for SQL built at run time: "IN (?, ?, ?)" and multi-row
// "VALUES (?, ?), (?, ?)". Written once here, in `?` form, which both backends
// take (PostgreSQL's rewrites them to $n). ExecInChunks writes many rows in
// multi-row statements cut to both backends' parameter limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::db {

// Parameters a statement may carry on either backend: libpq drops the
// connection on a statement of more than 7,499 (its parameter description
// passes 30,000 bytes); SQLite takes 32,766.
inline constexpr std::size_t kMaxParamsPerStatement = 7'200;

// "?, ?, ?" — n placeholders separated by commas ("" for n = 0).
std::string Placeholders(std::size_t n);

// "(?, ?, ?)" — an IN list of n placeholders.
std::string InList(std::size_t n);

// "(SELECT column1 FROM (VALUES (CAST(? AS TEXT)), …) AS wanted)" — an IN
// list of n ≥ 1 values of `sql_type` written as a subquery: the planner then joins
// through the column's index. A plain "col IN (?, …)" prepared on PostgreSQL
// while its table was small or not yet analysed keeps a generic plan that
// scans the whole table, comparing each row with every value (a bulk import's
// shop lookups took 3–4.5 ms each by the end of 5,000 shops).
std::string InValues(std::size_t n, std::string_view sql_type);

// "(?, ?), (?, ?), (?, ?)" — rows tuples of columns placeholders each.
std::string ValuesList(std::size_t rows, std::size_t columns);

// One multi-row statement, written for any number of rows:
//   head + "(?, ?, …), (?, ?, …)" + tail.
struct MultiRowStatement {
  std::string_view head;       // "INSERT INTO t (a, b, c) VALUES "
  std::string_view tail = {};  // "" or " ON CONFLICT (a) DO UPDATE SET …"
  std::size_t columns = 0;     // parameters a row
  // Rows a statement at most; never more than kMaxParamsPerStatement / columns.
  std::size_t max_rows = kMaxParamsPerStatement;
  // A row's tuple when it holds constants beside its `columns` placeholders
  // (e.g. "(?, 0, ?)"); empty: "(?, ?, …)" of `columns` placeholders.
  std::string_view row = {};
};

// How ExecInChunks cuts `rows` rows: the row count of each statement, in
// order (none for 0 rows).
std::vector<std::size_t> ChunkRows(const MultiRowStatement& s, std::size_t rows);

// Writes `rows` rows in as few statements as the limits allow. fill(i, params)
// appends row i's `columns` values; it is called once per row, in the order
// 0, 1, …, rows - 1, so it may walk an iterator. Returns the sum of the
// statements' counts of changed rows. No statement for 0 rows.
Result<std::int64_t> ExecInChunks(Connection& c, const MultiRowStatement& s, std::size_t rows,
                                  const std::function<void(std::size_t, Params&)>& fill);

}  // namespace nongsan::db
