#include "db/migrations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

namespace nongsan::db {
namespace {

// Key of the PostgreSQL advisory lock that serializes migrating between app
// servers starting at once: "nongsan" in ASCII.
constexpr std::int64_t kMigrationLockKey = 0x6E6F6E6773616E;

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL,"  // Unix milliseconds
    " PRIMARY KEY (module, version))";
// Transaction-scoped, so the lock is released by COMMIT/ROLLBACK, and by the
// server if the process dies mid-migration, without pinning a connection.
constexpr std::string_view kTakeMigrationLock = "SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))";
constexpr std::string_view kAppliedVersions = "SELECT version FROM schema_migrations WHERE module = ?";
constexpr std::string_view kIsApplied = "SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?";
constexpr std::string_view kRecordApplied =
    "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)";

constexpr std::string_view kIdPlaceholder = "{{ID}}";
constexpr std::string_view kBlobPlaceholder = "{{BLOB}}";

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// On PostgreSQL, serialize with every other server migrating the same
// database. On SQLite the single writer (BEGIN IMMEDIATE) already does.
Status TakeMigrationLock(Connection& c) {
  if (c.dialect() != Dialect::kPostgres) return Ok{};
  TRY(c.Query(kTakeMigrationLock, {kMigrationLockKey}));
  return Ok{};
}

std::int64_t NowMillis() {
  return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

Result<std::vector<const Migration*>> InVersionOrder(const ModuleMigrations& module) {
  std::vector<const Migration*> ordered;
  for (const Migration& m : module.migrations) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  for (std::size_t i = 1; i < ordered.size(); ++i) {
    if (ordered[i]->version == ordered[i - 1]->version) {
      spdlog::error("migrations: module {} lists version {} twice", module.module, ordered[i]->version);
      return Error::Internal("Migration list of module " + module.module + " repeats version " +
                             std::to_string(ordered[i]->version) + ".");
    }
  }
  return ordered;
}

// Applies one migration unless it is already recorded; true if it ran.
Result<bool> ApplyOne(Database& db, const std::string& module, const Migration& m) {
  bool ran = false;
  Status st = db.WriteWith([&](Connection& c) -> Status {
    ran = false;  // the callback may be run again after a conflict
    TRY(TakeMigrationLock(c));
    // Re-check under the lock: another server may have applied it meanwhile.
    TRY_ASSIGN(auto existing, c.QueryOne(kIsApplied, {module, static_cast<std::int64_t>(m.version)}));
    if (existing) return Ok{};
    TRY(c.ExecScript(RenderMigrationSql(m, c.dialect())));
    TRY(c.Exec(kRecordApplied, {module, static_cast<std::int64_t>(m.version), m.name, NowMillis()}));
    ran = true;
    return Ok{};
  });
  if (!st.ok()) {
    spdlog::error("migrations: {} v{} ({}) failed: {}", module, m.version, m.name, st.error().detail);
    if (st.error().code != ErrorCode::kInternal) return std::move(st).error();
    return Error::Internal("Database migration " + module + " v" + std::to_string(m.version) + " (" + m.name +
                           ") failed; see the log.");
  }
  if (ran) spdlog::info("migrations: applied {} v{} ({})", module, m.version, m.name);
  return ran;
}

}  // namespace

std::string RenderMigrationSql(const Migration& m, Dialect d) {
  std::string sql = (d == Dialect::kPostgres && !m.postgres_sql.empty()) ? m.postgres_sql : m.sql;
  ReplaceAll(sql, kIdPlaceholder, AutoIdColumn(d));
  ReplaceAll(sql, kBlobPlaceholder, BlobColumn(d));
  return sql;
}

Result<int> Migrate(Database& db, const std::vector<ModuleMigrations>& modules) {
  TRY(db.WriteWith([](Connection& c) -> Status {
    TRY(TakeMigrationLock(c));  // concurrent CREATE TABLE IF NOT EXISTS can clash on PG
    return c.ExecScript(kCreateMigrationsTable);
  }));
  int applied = 0;
  for (const ModuleMigrations& module : modules) {
    TRY_ASSIGN(auto ordered, InVersionOrder(module));
    std::set<std::int64_t> done;
    TRY(db.ReadWith([&](Connection& c) -> Status {
      TRY_ASSIGN(Rows rows, c.Query(kAppliedVersions, {module.module}));
      for (const Row& row : rows) done.insert(row.Int(0));
      return Ok{};
    }));
    for (const Migration* m : ordered) {
      if (done.contains(m->version)) continue;
      TRY_ASSIGN(bool ran, ApplyOne(db, module.module, *m));
      if (ran) ++applied;
    }
  }
  return applied;
}

}  // namespace nongsan::db
