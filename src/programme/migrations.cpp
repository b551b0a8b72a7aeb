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

}  // namespace

db::ModuleMigrations Migrations() {
  return {"programme",
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
            ""}}};
}

}  // namespace nongsan::programme
