#include "catalog/listing_observer.hpp"

namespace nongsan::catalog {
namespace {

// Ids per IN list: far below either backend's parameter limit.
constexpr std::size_t kIdsPerQuery = 500;

const std::string kStateColumns = std::string("SELECT id, seller_id, origin_commune, CASE WHEN ") +
                                  kOnSaleSql + " THEN 1 ELSE 0 END, created_at";

void Take(const db::Rows& rows, std::vector<ListingState>& out) {
  for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3) == 1, r.Int(4)});
}

Status ReadIn(db::Connection& c, const std::string& column, const std::vector<std::int64_t>& ids,
              std::vector<ListingState>& out) {
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
    const std::size_t end = std::min(ids.size(), start + kIdsPerQuery);
    std::string sql = kStateColumns + " FROM catalog_products WHERE " + column + " IN (";
    db::Params params;
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ", ?";
      params.emplace_back(ids[i]);
    }
    TRY_ASSIGN(db::Rows rows, c.Query(sql + ")", params));
    Take(rows, out);
  }
  return Ok{};
}

}  // namespace

Result<std::vector<ListingState>> ProductsOnSale(db::Connection& c, std::int64_t after_id, int limit) {
  TRY_ASSIGN(db::Rows rows, c.Query(kStateColumns + " FROM catalog_products WHERE id > ? AND " + kOnSaleSql +
                                        " ORDER BY id LIMIT ?",
                                    {after_id, std::int64_t{limit}}));
  std::vector<ListingState> out;
  Take(rows, out);
  return out;
}

Result<std::vector<ListingState>> ListingStates(db::Connection& c,
                                                const std::vector<std::int64_t>& product_ids,
                                                const std::vector<std::int64_t>& seller_ids) {
  std::vector<ListingState> out;
  TRY(ReadIn(c, "id", product_ids, out));
  TRY(ReadIn(c, "seller_id", seller_ids, out));
  return out;
}

}  // namespace nongsan::catalog
