#include "catalog/change_log.hpp"

#include <algorithm>
#include <string>

namespace nongsan::catalog {
namespace {

// Rows per multi-row INSERT: big enough to amortise the statement, small
// enough to stay under both engines' bound-parameter limits.
constexpr std::size_t kChangesPerInsert = 200;

}  // namespace

Status LogProductChange(db::Connection& c, std::int64_t product_id, std::int64_t now_ms) {
  TRY(c.Exec("INSERT INTO catalog_changes (product_id, changed_at) VALUES (?, ?)", {product_id, now_ms}));
  return Ok{};
}

Status LogProductChanges(db::Connection& c, const std::vector<std::int64_t>& product_ids,
                         std::int64_t now_ms) {
  for (std::size_t start = 0; start < product_ids.size(); start += kChangesPerInsert) {
    const std::size_t end = std::min(product_ids.size(), start + kChangesPerInsert);
    std::string sql = "INSERT INTO catalog_changes (product_id, changed_at) VALUES ";
    db::Params params;
    params.reserve(2 * (end - start));
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "(?, ?)" : ", (?, ?)";
      params.emplace_back(product_ids[i]);
      params.emplace_back(now_ms);
    }
    TRY(c.Exec(sql, params));
  }
  return Ok{};
}

Status LogSellerChange(db::Connection& c, std::int64_t seller_id, std::int64_t now_ms) {
  TRY(c.Exec("INSERT INTO catalog_changes (seller_id, changed_at) VALUES (?, ?)", {seller_id, now_ms}));
  return Ok{};
}

}  // namespace nongsan::catalog
