#include "accounts/migrations.hpp"

namespace nongsan::accounts {

namespace {

// Timestamps are Unix milliseconds; status and role names are the strings
// the API uses, so a row reads the same in psql and in JSON.
constexpr const char* kCreateTables = R"SQL(
CREATE TABLE users (
  id {{ID}},
  phone TEXT NOT NULL UNIQUE,
  full_name TEXT NOT NULL,
  email TEXT,
  password_hash TEXT,
  status TEXT NOT NULL,
  phone_verified_at BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE user_grants (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (user_id, role, scope)
);
CREATE INDEX user_grants_role_scope ON user_grants (role, scope);
CREATE TABLE sessions (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  user_agent TEXT NOT NULL,
  ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE one_time_codes (
  id {{ID}},
  phone TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL,
  consumed_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX one_time_codes_phone ON one_time_codes (phone, purpose);
CREATE TABLE sms_outbox (
  id {{ID}},
  to_phone TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE audit_log (
  id {{ID}},
  actor_user_id BIGINT,
  on_behalf_of_user_id BIGINT,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  province_code TEXT NOT NULL DEFAULT '',
  request_ip TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_province ON audit_log (province_code, id);
)SQL";

// The audit log is append-only even for code that forgets: the database
// itself refuses to change or remove an entry.
constexpr const char* kAuditAppendOnlySqlite = R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL";

constexpr const char* kAuditAppendOnlyPostgres = R"SQL(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
)SQL";

}  // namespace

db::ModuleMigrations Migrations() {
  return {"accounts",
          {
              {1, "users, grants, sessions, codes, outbox, audit log", kCreateTables, ""},
              {2, "audit log is append-only", kAuditAppendOnlySqlite, kAuditAppendOnlyPostgres},
          }};
}

}  // namespace nongsan::accounts
