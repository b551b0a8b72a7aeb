// Versioned schema migrations, one set per domain module. Each domain registers
// its list in its own migrations.cpp; app wiring passes all lists to Migrate().
// A migration is plain SQL shared by both dialects, with these substitutions:
//   {{ID}}   → auto-increment 64-bit primary key column type
//   {{BLOB}} → BLOB (SQLite) / BYTEA (PostgreSQL)
// Where a migration must differ, give `postgres_sql` as well.
// Applied versions are recorded in schema_migrations(module, version, name,
// applied_at); each migration runs in its own transaction.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
  std::string postgres_sql = {};  // optional override for PostgreSQL (initialized so
                                  // {version, name, sql} needs no trailing {})
};

struct ModuleMigrations {
  std::string module;
  std::vector<Migration> migrations;
};

// Applies every pending migration, in module order then version order.
// Returns the number applied.
Result<int> Migrate(Database& db, const std::vector<ModuleMigrations>& modules);

// The SQL after placeholder substitution for a dialect (exposed for tests).
std::string RenderMigrationSql(const Migration& m, Dialect d);

}  // namespace nongsan::db
