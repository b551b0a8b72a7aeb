#include "programme/migrations.hpp"

namespace nongsan::programme {
namespace {

// Version 1 for a dialect: SQLite keeps the roll-ups clustered on their key
// (WITHOUT ROWID), so a period's sum reads the rows in key order without a
// lookup per row; PostgreSQL has no such option.
std::string V1(const std::string& rollup_table_options) {
  std::string sql = R"SQL(
CREATE TABLE programme_programmes (
  id {{ID}},
  name TEXT NOT NULL,
  province_code TEXT NOT NULL,
  starts_day INTEGER NOT NULL,
  ends_day INTEGER NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX programme_programmes_province ON programme_programmes (province_code);
CREATE TABLE programme_targets (
  programme_id BIGINT NOT NULL REFERENCES programme_programmes(id),
  unit_code TEXT NOT NULL,
  metric TEXT NOT NULL,
  target BIGINT NOT NULL CHECK (target >= 0),
  PRIMARY KEY (programme_id, unit_code, metric)
);
-- One row per (current commune, metric, Vietnam day): the change of the
-- metric that day. Month is yyyymm of the day, so a period sums by month in SQL.
CREATE TABLE programme_rollups (
  day INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  metric TEXT NOT NULL,
  month INTEGER NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (day, commune_code, metric)
){{ROLLUP_TABLE_OPTIONS}};
)SQL";
  const std::string mark = "{{ROLLUP_TABLE_OPTIONS}}";
  sql.replace(sql.find(mark), mark.size(), rollup_table_options);
  return sql;
}

// Version 4: what the product and active-shop figures are computed from at a
// date. Fed by the catalogue's ListingObserver and the orders module's
// OrderEventObserver (never by reading their tables).
std::string V4(const std::string& clustered) {
  std::string sql = R"SQL(
-- A product on sale from the end of from_day until the end of to_day - 1
-- (to_day NULL while it still is), in the commune it comes from.
CREATE TABLE programme_listing_spans (
  id {{ID}},
  product_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  commune_code TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  to_day INTEGER
);
CREATE INDEX programme_listing_spans_product ON programme_listing_spans (product_id, to_day);
-- Covering for "has this shop a product on sale that day" (shops_active).
CREATE INDEX programme_listing_spans_seller ON programme_listing_spans (seller_id, from_day, to_day);
-- Changes of a figure that is a level (products on sale): its value at a day
-- is the sum of the changes up to that day.
CREATE TABLE programme_level_deltas (
  metric TEXT NOT NULL,
  day INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (metric, day, commune_code)
){{CLUSTERED}};
-- The days a shop had an order placed, in the commune it sold from.
CREATE TABLE programme_shop_days (
  seller_id BIGINT NOT NULL,
  day INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  PRIMARY KEY (seller_id, day)
){{CLUSTERED}};
CREATE INDEX programme_shop_days_day ON programme_shop_days (day, seller_id);
)SQL";
  const std::string mark = "{{CLUSTERED}}";
  for (auto at = sql.find(mark); at != std::string::npos; at = sql.find(mark))
    sql.replace(at, mark.size(), clustered);
  return sql;
}

// Version 5: the demand side, aggregate counts per week only (demand.hpp).
std::string V5(const std::string& clustered) {
  std::string sql = R"SQL(
-- Words of searches per week (Monday's day number): how often searched, and
-- how often in a search that found nothing.
CREATE TABLE programme_demand_words (
  week INTEGER NOT NULL,
  word TEXT NOT NULL,
  searches BIGINT NOT NULL,
  found_nothing BIGINT NOT NULL,
  PRIMARY KEY (week, word)
){{CLUSTERED}};
-- Views, carts and orders of a commune's products per week; orders by the
-- buyer's province (of the delivery address), '' where not known.
CREATE TABLE programme_demand_products (
  week INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  buyer_province TEXT NOT NULL,
  views BIGINT NOT NULL,
  carts BIGINT NOT NULL,
  orders BIGINT NOT NULL,
  PRIMARY KEY (week, commune_code, buyer_province)
){{CLUSTERED}};
)SQL";
  const std::string mark = "{{CLUSTERED}}";
  for (auto at = sql.find(mark); at != std::string::npos; at = sql.find(mark))
    sql.replace(at, mark.size(), clustered);
  return sql;
}

// Version 6: what keeps the figures cheap (docs/programme-metrics.md, "How
// they are kept"): the orders journal a checkout appends one row to (folded
// into the roll-ups out of the checkout's transaction), the monthly sums of
// the roll-ups, the level figures of each settled day, and each shop's state
// now (today's shops_active).
std::string V6(const std::string& journal_id, const std::string& clustered) {
  std::string sql = R"SQL(
-- One row per placed order, appended in the order's transaction and folded
-- into programme_rollups, programme_rollup_months, programme_shop_days and
-- programme_demand_products (then deleted) in one later transaction.
CREATE TABLE programme_order_journal (
  id {{JOURNAL_ID}},
  day INTEGER NOT NULL,
  seller_id BIGINT NOT NULL,
  commune_code TEXT NOT NULL,
  total_vnd BIGINT NOT NULL,
  buyer_province TEXT NOT NULL
);
-- The roll-ups summed per month, kept beside the daily rows.
CREATE TABLE programme_rollup_months (
  month INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  metric TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (month, commune_code, metric)
){{CLUSTERED}};
-- The level figures at the end of a settled day, per commune (zeros left
-- out); a day is snapshotted when its row in programme_snapshot_days exists.
CREATE TABLE programme_level_snapshots (
  day INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  metric TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (day, commune_code, metric)
){{CLUSTERED}};
CREATE TABLE programme_snapshot_days (
  day INTEGER PRIMARY KEY,
  taken_at BIGINT NOT NULL
);
-- Each shop now: its products on sale and the day (and commune) of its
-- latest order, so today's shops_active is one pass over the shops.
CREATE TABLE programme_shops (
  seller_id BIGINT PRIMARY KEY,
  on_sale BIGINT NOT NULL,
  last_day INTEGER NOT NULL,
  last_commune TEXT NOT NULL
);
INSERT INTO programme_shops (seller_id, on_sale, last_day, last_commune)
  SELECT d.seller_id, 0, d.day, d.commune_code FROM programme_shop_days d
  JOIN (SELECT seller_id, MAX(day) AS last FROM programme_shop_days GROUP BY seller_id) m
  ON m.seller_id = d.seller_id AND m.last = d.day;
INSERT INTO programme_shops (seller_id, on_sale, last_day, last_commune)
  SELECT seller_id, COUNT(*), 0, '' FROM programme_listing_spans WHERE to_day IS NULL GROUP BY seller_id
  ON CONFLICT (seller_id) DO UPDATE SET on_sale = excluded.on_sale;
INSERT INTO programme_rollup_months (month, commune_code, metric, value)
  SELECT month, commune_code, metric, SUM(value) FROM programme_rollups GROUP BY month, commune_code, metric;
)SQL";
  for (const auto& [mark, with] : {std::pair<std::string, std::string>{"{{CLUSTERED}}", clustered},
                                   std::pair<std::string, std::string>{"{{JOURNAL_ID}}", journal_id}}) {
    for (auto at = sql.find(mark); at != std::string::npos; at = sql.find(mark))
      sql.replace(at, mark.size(), with);
  }
  return sql;
}

}  // namespace

db::ModuleMigrations Migrations() {
  return {
      "programme",
      {{1, "programmes, targets and daily roll-ups", V1(" WITHOUT ROWID"), V1("")},
       {2, "support requests, their transitions and the shops supported",
        R"SQL(
CREATE TABLE programme_support_requests (
  id {{ID}},
  shop_id BIGINT NOT NULL,
  commune_code TEXT NOT NULL,
  province_code TEXT NOT NULL,
  kind TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'in_progress', 'done', 'declined')),
  assignee_id BIGINT,
  outcome TEXT NOT NULL DEFAULT '',
  outcome_recorded TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX programme_support_area ON programme_support_requests (province_code, commune_code, status, created_at);
CREATE INDEX programme_support_shop ON programme_support_requests (shop_id, id);
CREATE TABLE programme_support_transitions (
  request_id BIGINT NOT NULL REFERENCES programme_support_requests(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX programme_support_transitions_request ON programme_support_transitions (request_id, at);
-- A cooperative is counted as supported once, on the day its first request was done.
CREATE TABLE programme_supported_shops (
  shop_id BIGINT PRIMARY KEY,
  first_done_at BIGINT NOT NULL
);
)SQL",
        ""},
       {3, "trainings, their attendees and the people trained",
        R"SQL(
CREATE TABLE programme_trainings (
  id {{ID}},
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  held_day INTEGER NOT NULL,
  commune_code TEXT NOT NULL,
  province_code TEXT NOT NULL,
  trainer TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX programme_trainings_area ON programme_trainings (province_code, commune_code, held_day);
-- user_id names an account of the accounts module when the phone has one.
CREATE TABLE programme_training_attendees (
  training_id BIGINT NOT NULL REFERENCES programme_trainings(id),
  phone TEXT NOT NULL,
  user_id BIGINT,
  PRIMARY KEY (training_id, phone)
);
-- A person (canonical phone) counts as trained in a province once.
CREATE TABLE programme_trained_people (
  province_code TEXT NOT NULL,
  phone TEXT NOT NULL,
  first_training_id BIGINT NOT NULL,
  PRIMARY KEY (province_code, phone)
);
)SQL",
        ""},
       {4, "product listings, level changes and shops' order days", V4(" WITHOUT ROWID"), V4("")},
       {5, "the demand side: searched words, views, carts and orders per week", V5(" WITHOUT ROWID"), V5("")},
       // SQLite: a bare rowid key (no AUTOINCREMENT bookkeeping per checkout).
       {6, "the orders journal, monthly roll-ups and daily level snapshots",
        V6("INTEGER PRIMARY KEY", " WITHOUT ROWID"),
        V6("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "")},
       {7, "the log of changes to today's certified products (certified_today.hpp)",
        R"SQL(
-- One row per committed write that can change which certified products are
-- on sale (a listing change, a certificate decision, a back-fill), by the
-- Vietnam day it was made; rows before yesterday are pruned. Readers compare
-- the number of recent rows to know whether their answer is still current.
CREATE TABLE programme_level_changes (
  day INTEGER NOT NULL
);
CREATE INDEX programme_level_changes_day ON programme_level_changes (day);
)SQL",
        ""},
       {8, "each product now: listed, its commune, certified and OCOP (product_state.hpp)",
        R"SQL(
-- One row per product the programme has heard of: on sale now (an open
-- listing span) in commune_code, and covered by a valid certificate (an OCOP
-- rating among them) as of programme_coverage_state.day.
CREATE TABLE programme_products (
  product_id BIGINT PRIMARY KEY,
  commune_code TEXT NOT NULL DEFAULT '',
  listed INTEGER NOT NULL DEFAULT 0,
  certified INTEGER NOT NULL DEFAULT 0,
  ocop INTEGER NOT NULL DEFAULT 0
);
-- Today's certified figures: a count over this index alone.
CREATE INDEX programme_products_certified ON programme_products (commune_code, ocop)
  WHERE listed = 1 AND certified = 1;
-- The coverage day of the flags (-1: none yet; the keeper fills them) and a
-- version every certificate decision bumps.
CREATE TABLE programme_coverage_state (
  id INTEGER PRIMARY KEY,
  day INTEGER NOT NULL,
  version BIGINT NOT NULL
);
INSERT INTO programme_coverage_state (id, day, version) VALUES (1, -1, 0);
INSERT INTO programme_products (product_id, commune_code, listed)
  SELECT s.product_id, s.commune_code, 1 FROM programme_listing_spans s WHERE s.to_day IS NULL
  AND s.id = (SELECT MAX(o.id) FROM programme_listing_spans o WHERE o.product_id = s.product_id
  AND o.to_day IS NULL);
)SQL",
        ""}}};
}

}  // namespace nongsan::programme
