// QualityService's public register: every certified (certificate,
// product) row, filtered and paged by a cursor, or all of them for the
// register's export. Declarations in quality_service.hpp.
#include <algorithm>
#include <tuple>

#include "db/sql_lists.hpp"
#include "quality/quality_service.hpp"

namespace nongsan::quality {
namespace {

// Register cursor "certificate_id.product_id" of the last row shown.
std::optional<std::pair<std::int64_t, std::int64_t>> ParseRegisterCursor(const std::string& cursor) {
  const std::size_t dot = cursor.find('.');
  if (dot == std::string::npos) return std::nullopt;
  try {
    std::size_t used = 0;
    const std::int64_t cert = std::stoll(cursor.substr(0, dot), &used);
    if (used != dot) return std::nullopt;
    const std::string rest = cursor.substr(dot + 1);
    const std::int64_t product = std::stoll(rest, &used);
    if (used != rest.size()) return std::nullopt;
    return std::make_pair(cert, product);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

Result<std::vector<RegisterEntry>> QualityService::RegisterRows(const RegisterQuery& query, std::size_t want,
                                                                std::string* next_cursor) {
  const std::int64_t today = Today();
  std::int64_t after_cert = 0, after_product = 0;
  if (!query.cursor.empty()) {
    auto parsed = ParseRegisterCursor(query.cursor);
    if (!parsed) return Error::Field("cursor", "is not a cursor this endpoint gave out");
    std::tie(after_cert, after_product) = *parsed;
  }
  std::vector<RegisterEntry> out;
  // Rows whose product or shop is not public are skipped, so read in batches
  // until the page is full or the register is exhausted.
  const std::size_t batch = std::max<std::size_t>(want, kDefaultPageSize);
  for (;;) {
    std::string sql =
        "SELECT cp.certificate_id, cp.product_id, cp.seller_id, cp.commune_code, cp.province_code, c.kind, "
        "c.ocop_stars, c.number, c.issuer, c.expires_day, c.code, c.ocop_group, c.issued_day "
        "FROM quality_certificate_products cp JOIN quality_certificates c ON c.id = cp.certificate_id "
        "WHERE cp.verified = 1 AND cp.issued_day <= ? AND cp.expires_day >= ? AND c.status = 'verified' "
        "AND (cp.certificate_id > ? OR (cp.certificate_id = ? AND cp.product_id > ?))";
    db::Params params{today, today, after_cert, after_cert, after_product};
    if (!query.province.empty()) {
      sql += " AND cp.province_code = ?";
      params.emplace_back(query.province);
    }
    if (!query.commune.empty()) {
      sql += " AND cp.commune_code = ?";
      params.emplace_back(query.commune);
    }
    if (query.kind) {
      sql += " AND cp.kind = ?";
      params.emplace_back(std::string(CertKindName(*query.kind)));
    }
    sql += " ORDER BY cp.certificate_id, cp.product_id LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(batch));
    TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) { return c.Query(sql, params); }));
    if (rows.empty()) break;

    std::vector<std::int64_t> product_ids, seller_ids;
    for (const auto& r : rows) {
      product_ids.push_back(r.Int(1));
      seller_ids.push_back(r.Int(2));
    }
    std::sort(seller_ids.begin(), seller_ids.end());
    seller_ids.erase(std::unique(seller_ids.begin(), seller_ids.end()), seller_ids.end());
    TRY_ASSIGN(auto products, products_.FindMany(product_ids));
    TRY_ASSIGN(auto shops, shops_.FindMany(seller_ids));
    std::unordered_map<std::int64_t, ProductRef> product_by_id;
    for (auto& p : products) product_by_id.emplace(p.id, std::move(p));
    std::unordered_map<std::int64_t, ShopRef> shop_by_id;
    for (auto& s : shops) shop_by_id.emplace(s.id, std::move(s));

    for (const auto& r : rows) {
      after_cert = r.Int(0);
      after_product = r.Int(1);
      auto product = product_by_id.find(r.Int(1));
      auto shop = shop_by_id.find(r.Int(2));
      if (product == product_by_id.end() || !product->second.is_public || shop == shop_by_id.end() ||
          !shop->second.is_public) {
        continue;
      }
      RegisterEntry e;
      e.product_id = r.Int(1);
      e.product_name = product->second.name;
      e.seller_id = r.Int(2);
      e.shop_name = shop->second.name;
      e.commune_code = r.Text(3);
      e.province_code = r.Text(4);
      e.badge.certificate_id = r.Int(0);
      e.badge.kind = ParseCertKind(r.Text(5)).value_or(CertKind::kOther);
      if (auto stars = r.OptInt(6)) e.badge.ocop_stars = static_cast<int>(*stars);
      e.badge.number = r.Text(7);
      e.badge.issuer = r.Text(8);
      e.badge.expires_day = r.Int(9);
      e.badge.verify_url = VerifyUrl(r.Text(10));
      if (auto group = r.OptText(11)) e.ocop_group = ParseOcopGroup(*group);
      e.issued_day = r.Int(12);
      out.push_back(std::move(e));
      if (out.size() == want) {
        if (next_cursor) *next_cursor = std::to_string(after_cert) + "." + std::to_string(after_product);
        return out;
      }
    }
    if (rows.size() < batch) break;
  }
  if (next_cursor) next_cursor->clear();
  return out;
}

Result<RegisterPage> QualityService::Register(const RegisterQuery& query) {
  const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, kMaxPageSize);
  std::string next;
  TRY_ASSIGN(auto rows, RegisterRows(query, limit, &next));
  RegisterPage page;
  page.items = std::move(rows);
  // A full page may be the last one; the next request then returns no rows.
  if (!next.empty()) page.next_cursor = next;
  return page;
}

Result<std::vector<RegisterEntry>> QualityService::RegisterAll(const RegisterQuery& query) {
  RegisterQuery all = query;
  all.cursor.clear();
  return RegisterRows(all, kMaxRegisterRows, nullptr);
}
}  // namespace nongsan::quality
