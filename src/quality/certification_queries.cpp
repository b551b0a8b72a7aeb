// QualityService's answers about valid certifications: the badges of a
// product or shop, the search filters and facets (SQL fragments and the
// in-memory coverage of products certified today) and the products a
// filter covers. Declarations in quality_service.hpp.
#include <algorithm>
#include <mutex>

#include "db/sql_lists.hpp"
#include "quality/quality_service.hpp"

namespace nongsan::quality {
namespace {

// The condition that makes a (certificate, product) row count today: two
// parameters, today and today.
constexpr std::string_view kValidToday = "verified = 1 AND issued_day <= ? AND expires_day >= ?";

constexpr std::string_view kBadgeQuery =
    "SELECT cp.product_id, c.id, c.kind, c.ocop_stars, c.number, c.issuer, c.expires_day, c.code "
    "FROM quality_certificate_products cp JOIN quality_certificates c ON c.id = cp.certificate_id "
    "WHERE cp.verified = 1 AND cp.issued_day <= ? AND cp.expires_day >= ? AND c.status = 'verified' ";

bool BadgeOrder(const Badge& a, const Badge& b) {
  if (a.kind != b.kind) return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  if (a.ocop_stars != b.ocop_stars) return a.ocop_stars.value_or(0) > b.ocop_stars.value_or(0);
  return a.expires_day > b.expires_day;
}

}  // namespace

Result<std::vector<Badge>> QualityService::Certifications(std::int64_t product_id) {
  TRY_ASSIGN(auto all, Certifications(std::vector<std::int64_t>{product_id}));
  auto it = all.find(product_id);
  if (it == all.end()) return std::vector<Badge>{};
  return std::move(it->second);
}

Result<std::vector<Badge>> QualityService::CertificationsOn(std::int64_t product_id, std::int64_t day) {
  std::vector<Badge> out;
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(db::Rows rows,
               c.Query(std::string(kBadgeQuery) + "AND cp.product_id = ? ORDER BY c.kind, c.id",
                       {day, day, product_id}));
    for (const auto& r : rows) {
      Badge b;
      b.certificate_id = r.Int(1);
      b.kind = ParseCertKind(r.Text(2)).value_or(CertKind::kOther);
      if (auto stars = r.OptInt(3)) b.ocop_stars = static_cast<int>(*stars);
      b.number = r.Text(4);
      b.issuer = r.Text(5);
      b.expires_day = r.Int(6);
      b.verify_url = VerifyUrl(r.Text(7));
      out.push_back(std::move(b));
    }
    return Ok{};
  }));
  return out;
}

Result<std::map<std::int64_t, std::vector<Badge>>> QualityService::Certifications(
    const std::vector<std::int64_t>& product_ids) {
  std::map<std::int64_t, std::vector<Badge>> out;
  const std::int64_t today = Today();
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    for (std::size_t start = 0; start < product_ids.size(); start += kMaxIdsPerQuery) {
      const std::size_t n = std::min(kMaxIdsPerQuery, product_ids.size() - start);
      db::Params params{today, today};
      for (std::size_t i = 0; i < n; ++i) params.emplace_back(product_ids[start + i]);
      TRY_ASSIGN(
          db::Rows rows,
          c.Query(std::string(kBadgeQuery) + "AND cp.product_id IN (" + db::Placeholders(n) + ")", params));
      for (const auto& r : rows) {
        Badge b;
        b.certificate_id = r.Int(1);
        b.kind = ParseCertKind(r.Text(2)).value_or(CertKind::kOther);
        if (auto stars = r.OptInt(3)) b.ocop_stars = static_cast<int>(*stars);
        b.number = r.Text(4);
        b.issuer = r.Text(5);
        b.expires_day = r.Int(6);
        b.verify_url = VerifyUrl(r.Text(7));
        out[r.Int(0)].push_back(std::move(b));
      }
    }
    return Ok{};
  }));
  for (auto& [id, badges] : out) std::sort(badges.begin(), badges.end(), BadgeOrder);
  return out;
}

Result<std::vector<Badge>> QualityService::ShopCertifications(std::int64_t seller_id) {
  const std::int64_t today = Today();
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    // A trademark counts only once granted (quality/trademark.hpp).
    return c.Query(
        "SELECT id, kind, ocop_stars, number, issuer, expires_day, code FROM quality_certificates "
        "WHERE seller_id = ? AND status = 'verified' AND issued_day <= ? AND expires_day >= ? "
        "AND (trademark_status IS NULL OR trademark_status = 'granted')",
        {seller_id, today, today});
  }));
  std::vector<Badge> out;
  for (const auto& r : rows) {
    Badge b;
    b.certificate_id = r.Int(0);
    b.kind = ParseCertKind(r.Text(1)).value_or(CertKind::kOther);
    if (auto stars = r.OptInt(2)) b.ocop_stars = static_cast<int>(*stars);
    b.number = r.Text(3);
    b.issuer = r.Text(4);
    b.expires_day = r.Int(5);
    b.verify_url = VerifyUrl(r.Text(6));
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(), BadgeOrder);
  return out;
}

SqlFragment QualityService::CertifiedProductsSql(const CertFilter& filter) const {
  const std::int64_t today = Today();
  SqlFragment f;
  f.sql = "SELECT product_id FROM quality_certificate_products WHERE " + std::string(kValidToday) +
          " AND kind = ?";
  f.params = {today, today, std::string(CertKindName(filter.kind))};
  if (filter.kind == CertKind::kOcop && filter.ocop_min > 0) {
    f.sql += " AND ocop_stars >= ?";
    f.params.emplace_back(std::int64_t{filter.ocop_min});
  }
  return f;
}

SqlFragment QualityService::FacetsSql(const SqlFragment& matching_products) const {
  const std::int64_t today = Today();
  SqlFragment f;
  f.sql =
      "SELECT kind, stars, COUNT(*) AS n FROM (SELECT kind, product_id, MAX(ocop_stars) AS stars FROM "
      "quality_certificate_products WHERE " +
      std::string(kValidToday) + " AND product_id IN (" + matching_products.sql +
      ") GROUP BY kind, product_id) per_product GROUP BY kind, stars";
  f.params = {today, today};
  f.params.insert(f.params.end(), matching_products.params.begin(), matching_products.params.end());
  return f;
}

CertificationFacets QualityService::FacetsFromRows(const db::Rows& rows) {
  CertificationFacets facets;
  for (const auto& r : rows) {
    const auto kind = ParseCertKind(r.Text(0));
    if (!kind) continue;
    const std::int64_t n = r.Int(2);
    facets.by_kind[*kind] += n;
    if (*kind == CertKind::kOcop) {
      for (int min = kOcopMinStars; min <= kOcopMaxStars; ++min) {
        if (r.Int(1) >= min) facets.ocop_min[min] += n;
      }
    }
  }
  return facets;
}

Result<CertificationFacets> QualityService::Facets(const std::vector<std::int64_t>& product_ids) {
  CertificationFacets facets;
  TRY(db_.ReadWith([&](db::Connection& c) -> Status {
    for (std::size_t start = 0; start < product_ids.size(); start += kMaxIdsPerQuery) {
      const std::size_t n = std::min(kMaxIdsPerQuery, product_ids.size() - start);
      SqlFragment matching;
      matching.sql = "SELECT product_id FROM quality_certificate_products WHERE product_id IN (" +
                     db::Placeholders(n) + ")";
      for (std::size_t i = 0; i < n; ++i) matching.params.emplace_back(product_ids[start + i]);
      const SqlFragment q = FacetsSql(matching);
      TRY_ASSIGN(db::Rows rows, c.Query(q.sql, q.params));
      CertificationFacets part = FacetsFromRows(rows);
      for (auto& [k, v] : part.by_kind) facets.by_kind[k] += v;
      for (auto& [k, v] : part.ocop_min) facets.ocop_min[k] += v;
    }
    return Ok{};
  }));
  return facets;
}

bool CertifiedProducts::Matches(std::int64_t product_id, const CertFilter& filter) const {
  auto it = by_product.find(product_id);
  if (it == by_product.end()) return false;
  if ((it->second.kinds & (1u << static_cast<unsigned>(filter.kind))) == 0) return false;
  return filter.kind != CertKind::kOcop || it->second.ocop_stars >= filter.ocop_min;
}

void CertifiedProducts::Count(std::int64_t product_id, CertificationFacets& facets) const {
  auto it = by_product.find(product_id);
  if (it == by_product.end()) return;
  for (CertKind kind : {CertKind::kOcop, CertKind::kVietGap, CertKind::kOrganic, CertKind::kGlobalGap,
                        CertKind::kTrademark, CertKind::kOther}) {
    if (it->second.kinds & (1u << static_cast<unsigned>(kind))) ++facets.by_kind[kind];
  }
  for (int min = kOcopMinStars; min <= it->second.ocop_stars; ++min) ++facets.ocop_min[min];
}

Result<std::shared_ptr<const CertifiedProducts>> QualityService::ValidToday() {
  const std::int64_t now = clock_.NowMs();
  const std::int64_t today = timefmt::LocalDay(now);
  {
    std::lock_guard lock(snapshot_mu_);
    if (snapshot_ && snapshot_->day == today && now - snapshot_built_ms_ < kCertifiedSnapshotMaxAgeMs &&
        now >= snapshot_built_ms_) {
      return snapshot_;
    }
  }
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query("SELECT product_id, kind, ocop_stars FROM quality_certificate_products WHERE " +
                       std::string(kValidToday),
                   {today, today});
  }));
  auto snapshot = std::make_shared<CertifiedProducts>();
  snapshot->day = today;
  for (const auto& r : rows) {
    const auto kind = ParseCertKind(r.Text(1));
    if (!kind) continue;
    auto& coverage = snapshot->by_product[r.Int(0)];
    coverage.kinds |= 1u << static_cast<unsigned>(*kind);
    if (*kind == CertKind::kOcop)
      coverage.ocop_stars = std::max(coverage.ocop_stars, static_cast<int>(r.Int(2)));
  }
  std::lock_guard lock(snapshot_mu_);
  snapshot_ = snapshot;
  snapshot_built_ms_ = now;
  return std::shared_ptr<const CertifiedProducts>(std::move(snapshot));
}

Result<std::vector<std::int64_t>> QualityService::CertifiedProductIds(const CertFilter& filter) {
  SqlFragment q = CertifiedProductsSql(filter);
  TRY_ASSIGN(db::Rows rows,
             db_.Read([&](db::Connection& c) { return c.Query(q.sql + " ORDER BY product_id", q.params); }));
  std::vector<std::int64_t> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back() != r.Int(0)) out.push_back(r.Int(0));
  }
  return out;
}
}  // namespace nongsan::quality
