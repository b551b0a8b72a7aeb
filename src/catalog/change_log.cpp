#include "catalog/change_log.hpp"

#include <algorithm>
#include <string>

namespace nongsan::catalog {
namespace {

// Rows per multi-row INSERT: big enough to amortise the statement, small
// enough to stay under both engines' bound-parameter limits.
constexpr std::size_t kChangesPerInsert = 200;

// Appends one change row per id, naming it in `column` (product_id or seller_id).
Status LogChanges(db::Connection& c, const char* column, const std::vector<std::int64_t>& ids,
                  std::int64_t now_ms) {
  for (std::size_t start = 0; start < ids.size(); start += kChangesPerInsert) {
    const std::size_t end = std::min(ids.size(), start + kChangesPerInsert);
    std::string sql = std::string("INSERT INTO catalog_changes (") + column + ", changed_at) VALUES ";
    db::Params params;
    params.reserve(2 * (end - start));
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "(?, ?)" : ", (?, ?)";
      params.emplace_back(ids[i]);
      params.emplace_back(now_ms);
    }
    TRY(c.Exec(sql, params));
  }
  return Ok{};
}

}  // namespace

Status LogProductChange(db::Connection& c, std::int64_t product_id, std::int64_t now_ms) {
  TRY(c.Exec("INSERT INTO catalog_changes (product_id, changed_at) VALUES (?, ?)", {product_id, now_ms}));
  return Ok{};
}

Status LogProductChanges(db::Connection& c, const std::vector<std::int64_t>& product_ids,
                         std::int64_t now_ms) {
  return LogChanges(c, "product_id", product_ids, now_ms);
}

Status LogSellerChange(db::Connection& c, std::int64_t seller_id, std::int64_t now_ms) {
  TRY(c.Exec("INSERT INTO catalog_changes (seller_id, changed_at) VALUES (?, ?)", {seller_id, now_ms}));
  return Ok{};
}

Status LogSellerChanges(db::Connection& c, const std::vector<std::int64_t>& seller_ids, std::int64_t now_ms) {
  return LogChanges(c, "seller_id", seller_ids, now_ms);
}

}  // namespace nongsan::catalog
