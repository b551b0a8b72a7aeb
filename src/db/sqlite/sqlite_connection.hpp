// One SQLite connection (C API) with its own prepared-statement cache. The
// SQLite backend owns one read-write connection (the single writer) and a pool
// of read-only ones. Engine errors are mapped to Errors here: unique and
// primary-key clashes → kConflict "unique_violation" (extra["constraint"] =
// "table.column"), busy/locked/I/O trouble → kUnavailable, the rest →
// kInternal; the SQL and SQLite's message go to the log only.
//
// Like PostgreSQL, a transaction in which a statement failed is dead: later
// statements and the commit fail. SQLite itself would carry on, but code that
// swallows an error and continues must fail in tests here, not only on PG.
//
// Thread-safety: none; a connection is used by one thread at a time (the
// backend guarantees it), so it is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "db/statement_cache.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace nongsan::db {

class SqliteConnection final : public Connection {
 public:
  enum class Access { kReadWrite, kReadOnly };

  // Opens and configures a connection. The writer (kReadWrite) switches the
  // file to WAL and may create the file itself if options allow it, never a
  // directory. Any failure is kUnavailable naming the path.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Access access,
                                                        const Options& options);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<Rows> Query(std::string_view sql, const Params& params = {}) override;
  Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) override;
  Status ExecScript(std::string_view sql) override;
  // The first row only, without the column names (Database::ReadOne); the
  // statement is reset at once, which ends an autocommit read.
  Result<std::optional<Row>> QueryFirst(std::string_view sql, const Params& params);

  // Transaction control for the backend. Rollback is a no-op when SQLite has
  // already ended the transaction itself (it does so on some errors).
  Status Begin(std::string_view begin_sql);
  Status Commit();
  void Rollback();
  // Savepoints inside an open transaction (group commits of durable writes):
  // rolling back to one undoes the work since it, a failed statement's
  // included, so the transaction may go on.
  Status Savepoint(std::string_view name);
  Status RollbackToSavepoint(std::string_view name);
  Status ReleaseSavepoint(std::string_view name);

 private:
  SqliteConnection(sqlite3* db, std::string path, std::size_t cache_size);
  // A cached, reset statement with params bound, ready to step.
  Result<sqlite3_stmt*> PrepareBound(std::string_view sql, const Params& params);
  Status Guard() const;  // refuses statements after a failure in this transaction
  // Maps the engine's error and marks an open transaction as failed.
  Error Fail(int rc, std::string_view sql);
  Error ErrorFor(int rc, std::string_view sql) const;

  sqlite3* db_;
  std::string path_;
  StatementCache<sqlite3_stmt*> cache_;
  bool in_transaction_ = false;
  bool failed_ = false;
};

}  // namespace nongsan::db
