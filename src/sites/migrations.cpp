#include "sites/migrations.hpp"

namespace nongsan::sites {

db::ModuleMigrations Migrations() {
  return {"sites",
          {{1, "shops' website settings and custom domains",
            R"SQL(
CREATE TABLE sites_settings (
  seller_id BIGINT PRIMARY KEY,
  tagline TEXT NOT NULL,
  story TEXT NOT NULL,
  theme_color TEXT NOT NULL,
  hero_photo_id BIGINT,
  hero_photo_key TEXT NOT NULL,
  custom_domain TEXT UNIQUE,
  domain_approved_at BIGINT,
  domain_approved_by BIGINT,
  updated_by BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
)SQL"},
           // A domain the province refused, and why: the shop reads it on its
           // settings page until it asks for another.
           {2, "refused custom domains",
            R"SQL(
ALTER TABLE sites_settings ADD COLUMN domain_refused TEXT;
ALTER TABLE sites_settings ADD COLUMN domain_refusal_reason TEXT;
)SQL"}}};
}

}  // namespace nongsan::sites
