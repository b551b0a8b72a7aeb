#include "live/migrations.hpp"

namespace nongsan::live {

db::ModuleMigrations Migrations() {
  return {"live",
          {{1, "livestream sessions and the products shown in them",
            // commune_code and province_code are the shop's when the session
            // was recorded; started_day is the Vietnam day of started_at, the
            // day the programme counts the session on.
            R"SQL(
CREATE TABLE live_sessions (
  id {{ID}},
  seller_id BIGINT NOT NULL,
  commune_code TEXT NOT NULL,
  province_code TEXT NOT NULL,
  title TEXT NOT NULL,
  platform TEXT NOT NULL,
  url TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,
  started_day BIGINT NOT NULL,
  peak_viewers BIGINT,
  orders_reported BIGINT,
  recorded_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX live_sessions_seller ON live_sessions (seller_id, started_at, id);
CREATE INDEX live_sessions_commune_day ON live_sessions (commune_code, started_day);

CREATE TABLE live_session_products (
  session_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (session_id, product_id)
);
)SQL"}}};
}

}  // namespace nongsan::live
