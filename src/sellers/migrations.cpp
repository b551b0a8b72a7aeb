#include "sellers/migrations.hpp"

namespace nongsan::sellers {

namespace {

// owner_user_id and the *_by columns name users of the accounts module; no
// foreign key crosses modules, the service keeps them consistent.
constexpr const char* kCreateTables = R"SQL(
CREATE TABLE sellers (
  id {{ID}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  province_code TEXT NOT NULL,
  address_line TEXT NOT NULL,
  phone TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  status_reason TEXT NOT NULL DEFAULT '',
  verified_at BIGINT,
  verified_by BIGINT,
  officer_assist INTEGER NOT NULL DEFAULT 0,
  owner_user_id BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sellers_commune_status ON sellers (commune_code, status);
CREATE INDEX sellers_province_status ON sellers (province_code, status);
CREATE INDEX sellers_phone ON sellers (phone);
CREATE INDEX sellers_owner ON sellers (owner_user_id);
CREATE TABLE seller_memberships (
  id {{ID}},
  coop_id BIGINT NOT NULL REFERENCES sellers(id),
  member_id BIGINT NOT NULL REFERENCES sellers(id),
  status TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  accepted_at BIGINT,
  UNIQUE (coop_id, member_id)
);
CREATE INDEX seller_memberships_member ON seller_memberships (member_id, status);
)SQL";

// Serves CountShopsCreated (shop_counts.hpp) from the index alone: the
// province's shops of a type in a date range, with their communes.
constexpr const char* kCreatedIndex = R"SQL(
CREATE INDEX sellers_created ON sellers (province_code, type, created_at, commune_code);
)SQL";

}  // namespace

db::ModuleMigrations Migrations() {
  return {"sellers",
          {{1, "sellers and cooperative memberships", kCreateTables, ""},
           {2, "an index for counts of shops created per commune and day", kCreatedIndex, ""}}};
}

}  // namespace nongsan::sellers
