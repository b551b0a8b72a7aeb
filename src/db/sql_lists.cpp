#include "db/sql_lists.hpp"

#include <algorithm>

namespace nongsan::db {

std::string Placeholders(std::size_t n) {
  std::string out;
  out.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

std::string InList(std::size_t n) { return "(" + Placeholders(n) + ")"; }

std::string InValues(std::size_t n, std::string_view sql_type) {
  const std::string one = "(CAST(? AS " + std::string(sql_type) + "))";
  std::string out = "(SELECT column1 FROM (VALUES ";
  out.reserve(out.size() + n * (one.size() + 2) + 12);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += one;
  }
  return out + ") AS wanted)";
}

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

std::vector<std::size_t> ChunkRows(const MultiRowStatement& s, std::size_t rows) {
  const std::size_t by_params = kMaxParamsPerStatement / std::max<std::size_t>(s.columns, 1);
  const std::size_t per = std::max<std::size_t>(1, std::min(s.max_rows, by_params));
  std::vector<std::size_t> out;
  out.reserve(rows / per + 1);
  for (std::size_t done = 0; done < rows; done += per) out.push_back(std::min(per, rows - done));
  return out;
}

Result<std::int64_t> ExecInChunks(Connection& c, const MultiRowStatement& s, std::size_t rows,
                                  const std::function<void(std::size_t, Params&)>& fill) {
  const std::string tuple = s.row.empty() ? InList(s.columns) : std::string(s.row);
  std::int64_t changed = 0;
  std::size_t next = 0;
  for (const std::size_t n : ChunkRows(s, rows)) {
    std::string sql(s.head);
    sql.reserve(sql.size() + n * (tuple.size() + 2) + s.tail.size());
    Params params;
    params.reserve(n * s.columns);
    for (std::size_t i = 0; i < n; ++i, ++next) {
      if (i > 0) sql += ", ";
      sql += tuple;
      fill(next, params);
    }
    sql += s.tail;
    TRY_ASSIGN(std::int64_t count, c.Exec(sql, params));
    changed += count;
  }
  return changed;
}

}  // namespace nongsan::db
