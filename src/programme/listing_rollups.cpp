#include "programme/listing_rollups.hpp"

#include <algorithm>
#include <map>

#include "core/clock.hpp"
#include "db/sql_lists.hpp"
#include "programme/certified_today.hpp"
#include "programme/metrics.hpp"
#include "programme/product_state.hpp"
#include "programme/rollups.hpp"

namespace nongsan::programme {
namespace {

constexpr std::size_t kIdsPerQuery = 500;
// Spans per multi-row INSERT (four parameters each).
constexpr std::size_t kSpansPerInsert = 250;
constexpr db::MultiRowStatement kInsertSpans{
    "INSERT INTO programme_listing_spans (product_id, seller_id, commune_code, from_day) VALUES ", "", 4,
    kSpansPerInsert};
// PostgreSQL: the same spans, and the products' state as listed in the
// commune of their span (product_state.hpp, MarkListings' upsert) by the
// same statement, from what the insert returns.
constexpr const char* kOpenSpansHead =
    "WITH opened AS (INSERT INTO programme_listing_spans (product_id, seller_id, commune_code, from_day) "
    "VALUES ";
constexpr db::MultiRowStatement kInsertSpansMarkingListed{
    kOpenSpansHead,
    " RETURNING product_id, commune_code) "
    "INSERT INTO programme_products (product_id, commune_code, listed) SELECT product_id, commune_code, 1 "
    "FROM opened ON CONFLICT (product_id) DO UPDATE SET commune_code = excluded.commune_code, listed = 1",
    4, kSpansPerInsert};
// The same for products created by the write being observed: they have no
// state row yet (their ids are new; certificates name existing products
// only), so a plain INSERT, which PostgreSQL writes in about half the time
// of an upsert (200,000 rows: 264–295 ms against 539–556 ms).
constexpr db::MultiRowStatement kInsertSpansMarkingNewListed{
    kOpenSpansHead,
    " RETURNING product_id, commune_code) "
    "INSERT INTO programme_products (product_id, commune_code, listed) SELECT product_id, commune_code, 1 "
    "FROM opened",
    4, kSpansPerInsert};
// Products read per step of the back-fill.
constexpr int kBackfillBatch = 500;

struct OpenSpan {
  std::int64_t id = 0;
  std::string commune_code;
  std::int64_t from_day = 0;
  std::int64_t seller_id = 0;
};

Result<std::map<std::int64_t, OpenSpan>> OpenSpans(db::Connection& c, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, OpenSpan> out;
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
    const std::size_t end = std::min(ids.size(), start + kIdsPerQuery);
    // One index search per product, as a subquery per row of a VALUES list:
    // an IN list was planned as a scan of the whole table by PostgreSQL on
    // freshly written, not yet analysed spans (most of a bulk import's time).
    auto open = [](const char* column) {
      return std::string("(SELECT s.") + column +
             " FROM programme_listing_spans s WHERE s.product_id = wanted.column1 AND s.to_day IS NULL "
             "ORDER BY s.id DESC LIMIT 1)";
    };
    std::string sql = "SELECT wanted.column1, " + open("id") + ", " + open("commune_code") + ", " +
                      open("from_day") + ", " + open("seller_id") + " FROM (VALUES ";
    db::Params params;
    for (std::size_t i = start; i < end; ++i) {
      // The cast types the column for PostgreSQL, which sees untyped parameters.
      sql += i == start ? "(CAST(? AS BIGINT))" : ", (CAST(? AS BIGINT))";
      params.emplace_back(ids[i]);
    }
    TRY_ASSIGN(db::Rows rows, c.Query(sql + ") AS wanted", params));
    for (const auto& r : rows) {
      if (!r.IsNull(1)) out[r.Int(0)] = {r.Int(1), r.Text(2), r.Int(3), r.Int(4)};
    }
  }
  return out;
}

}  // namespace

Status ApplyListingStates(db::Connection& c, const std::vector<catalog::ListingState>& states,
                          std::int64_t day) {
  // A product may come twice (by id and through its shop): the last wins,
  // and both are the state after the same write.
  std::map<std::int64_t, const catalog::ListingState*> latest;
  for (const catalog::ListingState& s : states) latest[s.product_id] = &s;
  std::vector<std::int64_t> ids;
  ids.reserve(latest.size());
  for (const auto& [id, s] : latest) {
    if (!s->created) ids.push_back(id);  // a product created by this write has no span yet
  }
  TRY_ASSIGN(auto open, OpenSpans(c, ids));

  std::vector<RollupDelta> deltas;
  std::map<std::int64_t, std::int64_t> shop_listings;  // seller → change of products on sale
  std::vector<const catalog::ListingState*> opened;    // spans to open today
  std::vector<ListingMark> marks;                      // the products' state now (product_state.hpp)
  for (const auto& [id, s] : latest) {
    auto it = open.find(id);
    const bool was_on = it != open.end();
    if (was_on && s->on_sale && it->second.commune_code == s->origin_commune) continue;
    if (was_on) {
      // Off sale (or moved to another commune) today. A stretch that began
      // today never ended a day on sale: it is dropped, not kept empty.
      if (it->second.from_day >= day) {
        TRY(c.Exec("DELETE FROM programme_listing_spans WHERE id = ?", {it->second.id}));
      } else {
        TRY(c.Exec("UPDATE programme_listing_spans SET to_day = ? WHERE id = ?", {day, it->second.id}));
      }
      deltas.push_back({it->second.commune_code, Metric::kProductsListed, day, -1});
      shop_listings[it->second.seller_id] -= 1;
      if (!s->on_sale) marks.push_back({id, it->second.commune_code, false});
    }
    if (s->on_sale) {
      opened.push_back(s);
      marks.push_back({id, s->origin_commune, true});
      deltas.push_back({s->origin_commune, Metric::kProductsListed, day, 1});
      shop_listings[s->seller_id] += 1;
    }
  }
  if (deltas.empty()) return Ok{};  // nothing on or off sale, nothing moved
  TRY(AddToShopListings(c, shop_listings));
  // On PostgreSQL the products whose span opens are marked listed by the
  // statement that opens it (a bulk import opens one per product created).
  const bool mark_with_spans = c.dialect() == db::Dialect::kPostgres;
  if (mark_with_spans) std::erase_if(marks, [](const ListingMark& m) { return m.listed; });
  TRY(MarkListings(c, marks));
  // Today's certified figures may change (certified_today.hpp).
  TRY(RecordLevelChange(c, day));
  // New spans in multi-row INSERTs: a bulk import opens thousands at once,
  // and one statement each was most of its time on PostgreSQL.
  auto write_spans = [&](const db::MultiRowStatement& statement,
                         const std::vector<const catalog::ListingState*>& spans) {
    return db::ExecInChunks(c, statement, spans.size(), [&](std::size_t i, db::Params& params) {
      params.insert(params.end(), {spans[i]->product_id, spans[i]->seller_id, spans[i]->origin_commune, day});
    });
  };
  if (!mark_with_spans) {
    TRY(write_spans(kInsertSpans, opened));
  } else {
    std::vector<const catalog::ListingState*> known;
    std::vector<const catalog::ListingState*> created;
    for (const catalog::ListingState* s : opened) (s->created ? created : known).push_back(s);
    TRY(write_spans(kInsertSpansMarkingListed, known));
    TRY(write_spans(kInsertSpansMarkingNewListed, created));
  }
  return AddToLevels(c, deltas);
}

Result<std::int64_t> BackfillListings(db::Connection& c, std::int64_t today) {
  std::int64_t changed = 0;
  // Products on sale now: a span from their creation when they have none.
  for (std::int64_t after = 0;;) {
    TRY_ASSIGN(auto states, catalog::ProductsOnSale(c, after, kBackfillBatch));
    if (states.empty()) break;
    after = states.back().product_id;
    std::vector<std::int64_t> ids;
    for (const auto& s : states) ids.push_back(s.product_id);
    TRY_ASSIGN(auto open, OpenSpans(c, ids));
    std::vector<catalog::ListingState> spanned;
    std::vector<RollupDelta> deltas;
    std::map<std::int64_t, std::int64_t> shop_listings;
    for (const auto& s : states) {
      if (open.count(s.product_id)) {
        spanned.push_back(s);
        continue;
      }
      const std::int64_t from = std::min(today, timefmt::LocalDay(s.created_at));
      TRY(
          c.Exec("INSERT INTO programme_listing_spans (product_id, seller_id, commune_code, from_day) "
                 "VALUES (?, ?, ?, ?)",
                 {s.product_id, s.seller_id, s.origin_commune, from}));
      deltas.push_back({s.origin_commune, Metric::kProductsListed, from, 1});
      shop_listings[s.seller_id] += 1;
      ++changed;
    }
    TRY(AddToLevels(c, deltas));
    TRY(AddToShopListings(c, shop_listings));
    TRY(ApplyListingStates(c, spanned, today));  // a commune changed unseen
  }
  // Open spans of products no longer on sale, or gone: closed today.
  for (std::int64_t after = 0;;) {
    TRY_ASSIGN(db::Rows rows,
               c.Query("SELECT product_id, seller_id, commune_code FROM programme_listing_spans "
                       "WHERE to_day IS NULL AND product_id > ? ORDER BY product_id LIMIT ?",
                       {after, std::int64_t{kBackfillBatch}}));
    if (rows.empty()) break;
    after = rows[rows.size() - 1].Int(0);
    std::vector<std::int64_t> ids;
    for (const auto& r : rows) ids.push_back(r.Int(0));
    TRY_ASSIGN(auto states, catalog::ListingStates(c, ids, {}));
    std::map<std::int64_t, catalog::ListingState> now;
    for (auto& s : states) now[s.product_id] = std::move(s);
    std::vector<catalog::ListingState> off;
    for (const auto& r : rows) {
      auto it = now.find(r.Int(0));
      if (it != now.end() && it->second.on_sale) continue;
      off.push_back({r.Int(0), r.Int(1), r.Text(2), false, 0});
      ++changed;
    }
    TRY(ApplyListingStates(c, off, today));
  }
  return changed;
}

Status ListingRollups::OnListingChanges(db::Connection& c, const std::vector<catalog::ListingState>& states,
                                        std::int64_t at) {
  if (states.empty()) return Ok{};
  return ApplyListingStates(c, states, timefmt::LocalDay(at));
}

}  // namespace nongsan::programme
