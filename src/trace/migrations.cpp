#include "trace/migrations.hpp"

namespace nongsan::trace {

// Migration 5, the same in both dialects. The partial index serves the
// page's timeline read (epcis.cpp's kTimelineEventsWhere, spelt the same so
// both planners match it): a recalled lot's thousands of shipping events stay
// out of it.
constexpr const char* kTimelineMigration = R"SQL(
ALTER TABLE trace_epcis_events ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE trace_lots RENAME COLUMN captured_version TO timeline_version;
CREATE INDEX trace_epcis_timeline ON trace_epcis_events (lot_id, event_time)
  WHERE source = 'capture' OR biz_step IN ('holding', 'inspecting', 'destroying');
UPDATE trace_lots SET timeline_version = (SELECT MAX(e.id) FROM trace_epcis_events e
  WHERE e.lot_id = trace_lots.id AND (e.source = 'capture' OR e.biz_step IN ('holding', 'inspecting', 'destroying')))
WHERE id IN (SELECT lot_id FROM trace_epcis_events
  WHERE source = 'capture' OR biz_step IN ('holding', 'inspecting', 'destroying'));
)SQL";

db::ModuleMigrations Migrations() {
  return {
      "trace",
      {{1, "GS1 prefixes, product GTINs and production lots",
        R"SQL(
CREATE TABLE trace_gs1_prefixes (
  seller_id BIGINT PRIMARY KEY,
  company_prefix TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  next_item_ref BIGINT NOT NULL DEFAULT 0,
  submitted_by BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL,
  verified_by BIGINT,
  verified_at BIGINT,
  updated_at BIGINT NOT NULL
);

CREATE TABLE trace_gtins (
  gtin14 TEXT PRIMARY KEY,
  seller_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  assigned INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX trace_gtins_product ON trace_gtins (product_id);

CREATE TABLE trace_lots (
  id {{ID}},
  seller_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  code TEXT NOT NULL,
  public_code TEXT NOT NULL UNIQUE,
  gtin14 TEXT,
  produced_day INTEGER NOT NULL,
  harvested_day INTEGER,
  expires_day INTEGER,
  quantity BIGINT NOT NULL,
  packed BIGINT NOT NULL DEFAULT 0,
  origin_commune_code TEXT NOT NULL,
  origin_province_code TEXT NOT NULL DEFAULT '',
  plot TEXT NOT NULL DEFAULT '',
  farming_log TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  status_reason TEXT NOT NULL DEFAULT '',
  scans BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX trace_lots_product_code ON trace_lots (product_id, code);
CREATE INDEX trace_lots_gtin_code ON trace_lots (gtin14, code);
CREATE INDEX trace_lots_area ON trace_lots (origin_province_code, status);
)SQL"},
       {2, "which lot each packed order line came from",
        R"SQL(
CREATE TABLE trace_lot_lines (
  id {{ID}},
  lot_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL,
  order_code TEXT NOT NULL,
  line_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  buyer_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  quantity BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX trace_lot_lines_lot ON trace_lot_lines (lot_id, id);
CREATE INDEX trace_lot_lines_order ON trace_lot_lines (order_id);
CREATE INDEX trace_lots_commune ON trace_lots (origin_commune_code, status);
)SQL"},
       {3, "EPCIS 2.0 events of lots, recorded by the platform or captured from a shop's system",
        R"SQL(
CREATE TABLE trace_epcis_events (
  id {{ID}},
  seller_id BIGINT NOT NULL,
  lot_id BIGINT NOT NULL,
  lot_path TEXT NOT NULL,
  event_time BIGINT NOT NULL,
  action TEXT NOT NULL,
  biz_step TEXT NOT NULL,
  disposition TEXT NOT NULL DEFAULT '',
  commune_code TEXT NOT NULL DEFAULT '',
  quantity BIGINT,
  source TEXT NOT NULL,
  event TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX trace_epcis_lot_path ON trace_epcis_events (lot_path, id);
CREATE INDEX trace_epcis_lot ON trace_epcis_events (lot_id, event_time);
CREATE INDEX trace_epcis_biz_step ON trace_epcis_events (biz_step, id);
)SQL"},
       {4,
        "scan counts in a narrow table of their own (the scan writer no longer rewrites wide lot rows); "
        "each lot's newest captured event id (its page reads captured lines only when there are)",
        R"SQL(
CREATE TABLE trace_lot_scans (
  lot_id INTEGER PRIMARY KEY,
  scans BIGINT NOT NULL
);
INSERT INTO trace_lot_scans (lot_id, scans) SELECT id, scans FROM trace_lots WHERE scans > 0;
ALTER TABLE trace_lots DROP COLUMN scans;
ALTER TABLE trace_lots ADD COLUMN captured_version BIGINT NOT NULL DEFAULT 0;
UPDATE trace_lots SET captured_version = COALESCE((SELECT MAX(e.id) FROM trace_epcis_events e
  WHERE e.lot_id = trace_lots.id AND e.source = 'capture'), 0)
WHERE id IN (SELECT lot_id FROM trace_epcis_events WHERE source = 'capture');
)SQL",
        R"SQL(
CREATE TABLE trace_lot_scans (
  lot_id BIGINT PRIMARY KEY,
  scans BIGINT NOT NULL
);
INSERT INTO trace_lot_scans (lot_id, scans) SELECT id, scans FROM trace_lots WHERE scans > 0;
ALTER TABLE trace_lots DROP COLUMN scans;
ALTER TABLE trace_lots ADD COLUMN captured_version BIGINT NOT NULL DEFAULT 0;
UPDATE trace_lots SET captured_version = COALESCE((SELECT MAX(e.id) FROM trace_epcis_events e
  WHERE e.lot_id = trace_lots.id AND e.source = 'capture'), 0)
WHERE id IN (SELECT lot_id FROM trace_epcis_events WHERE source = 'capture');
)SQL"},
       {5,
        "the platform's decisions on a lot (hold, release, recall, destroy) keep their reason and show on "
        "its provenance page: captured_version becomes timeline_version, the newest event the page shows",
        kTimelineMigration}}};
}

}  // namespace nongsan::trace
