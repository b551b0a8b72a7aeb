#include "programme/product_state.hpp"

#include <algorithm>
#include <map>

#include "db/sql_lists.hpp"
#include "programme/metrics.hpp"

namespace nongsan::programme {
namespace {

// Rows per multi-row upsert (three parameters each).
constexpr std::size_t kRowsPerUpsert = 300;

Result<std::pair<std::int64_t, std::int64_t>> CoverageState(db::Connection& c) {
  TRY_ASSIGN(auto row, c.QueryOne("SELECT day, version FROM programme_coverage_state WHERE id = 1"));
  if (!row) return Error::Internal("programme_coverage_state has no row");
  return std::pair{row->Int(0), row->Int(1)};
}

constexpr db::MultiRowStatement kUpsertCoverage{
    "INSERT INTO programme_products (product_id, certified, ocop) VALUES ",
    " ON CONFLICT (product_id) DO UPDATE SET certified = excluded.certified, ocop = excluded.ocop", 3,
    kRowsPerUpsert};
constexpr db::MultiRowStatement kUpsertListing{
    "INSERT INTO programme_products (product_id, commune_code, listed) VALUES ",
    " ON CONFLICT (product_id) DO UPDATE SET commune_code = excluded.commune_code, listed = excluded.listed",
    3, kRowsPerUpsert};

// Upserts (product, certified, ocop) rows.
Status WriteCoverage(db::Connection& c, const std::vector<std::int64_t>& ids,
                     const std::map<std::int64_t, bool>& covered) {
  TRY(db::ExecInChunks(c, kUpsertCoverage, ids.size(), [&](std::size_t i, db::Params& params) {
    auto it = covered.find(ids[i]);
    const bool certified = it != covered.end();
    params.insert(params.end(),
                  {ids[i], std::int64_t{certified ? 1 : 0}, std::int64_t{certified && it->second ? 1 : 0}});
  }));
  return Ok{};
}

}  // namespace

Status MarkListings(db::Connection& c, const std::vector<ListingMark>& marks) {
  TRY(db::ExecInChunks(c, kUpsertListing, marks.size(), [&](std::size_t i, db::Params& params) {
    params.insert(params.end(),
                  {marks[i].product_id, marks[i].commune_code, std::int64_t{marks[i].listed ? 1 : 0}});
  }));
  return Ok{};
}

Status RebuildProductListings(db::Connection& c) {
  TRY(c.Exec("UPDATE programme_products SET listed = 0 WHERE listed = 1"));
  // The latest open span of each product (there is one at most).
  TRY(
      c.Exec("INSERT INTO programme_products (product_id, commune_code, listed) "
             "SELECT s.product_id, s.commune_code, 1 FROM programme_listing_spans s WHERE s.to_day IS NULL "
             "AND s.id = (SELECT MAX(o.id) FROM programme_listing_spans o WHERE o.product_id = s.product_id "
             "AND o.to_day IS NULL) "
             "ON CONFLICT (product_id) DO UPDATE SET commune_code = excluded.commune_code, listed = 1"));
  return Ok{};
}

Status MarkCoverage(db::Connection& c, CertificationPort& certifications,
                    const std::vector<std::int64_t>& product_ids) {
  // Taken first: on PostgreSQL the row stays locked until this commits, so a
  // refresh writing meanwhile waits and then sees another version.
  TRY(c.Exec("UPDATE programme_coverage_state SET version = version + 1 WHERE id = 1"));
  TRY_ASSIGN(auto state, CoverageState(c));
  if (state.first < 0 || product_ids.empty()) return Ok{};  // nothing kept yet: the refresh fills it
  TRY_ASSIGN(auto covered, certifications.CoveredAmong(c, state.first, product_ids));
  std::map<std::int64_t, bool> by_id;
  for (const auto& p : covered) by_id[p.product_id] = p.ocop;
  std::vector<std::int64_t> ids = product_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return WriteCoverage(c, ids, by_id);
}

Result<bool> RefreshCoverage(db::Database& db, CertificationPort& certifications, std::int64_t today) {
  TRY_ASSIGN(auto state, db.Read([](db::Connection& c) { return CoverageState(c); }));
  if (state.first == today) return false;
  TRY_ASSIGN(auto covered, certifications.CoveredOn(today));
  return db.Write([&](db::Connection& c) -> Result<bool> {
    TRY_ASSIGN(std::int64_t taken,
               c.Exec("UPDATE programme_coverage_state SET day = ?, version = version + 1 "
                      "WHERE id = 1 AND version = ?",
                      {today, state.second}));
    if (taken == 0) return false;  // a decision committed since the read
    TRY(c.Exec("UPDATE programme_products SET certified = 0, ocop = 0 WHERE certified = 1"));
    std::map<std::int64_t, bool> by_id;
    std::vector<std::int64_t> ids;
    ids.reserve(covered.size());
    for (const auto& p : covered) {
      by_id[p.product_id] = p.ocop;
      ids.push_back(p.product_id);
    }
    TRY(WriteCoverage(c, ids, by_id));
    return true;
  });
}

Result<std::optional<LevelValues>> CertifiedNow(db::Connection& c, std::int64_t today) {
  TRY_ASSIGN(auto state, CoverageState(c));
  if (state.first != today) return std::optional<LevelValues>{};
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT commune_code, COUNT(*), SUM(ocop) FROM programme_products "
                                    "WHERE listed = 1 AND certified = 1 GROUP BY commune_code"));
  // Read again: where each statement sees the latest commit (PostgreSQL), a
  // refresh by a server whose clock is on another day may have come between.
  TRY_ASSIGN(auto after, CoverageState(c));
  if (after.first != today) return std::optional<LevelValues>{};
  LevelValues out;
  for (const auto& r : rows) {
    if (r.Text(0).empty()) continue;
    auto& commune = out[r.Text(0)];
    commune[Metric::kCertifiedProducts] = r.Int(1);
    if (r.Int(2) > 0) commune[Metric::kOcopProductsListed] = r.Int(2);
  }
  return std::optional<LevelValues>(std::move(out));
}

}  // namespace nongsan::programme
