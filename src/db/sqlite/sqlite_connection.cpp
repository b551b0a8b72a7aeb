#include "db/sqlite/sqlite_connection.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <cctype>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nongsan::db {
namespace {

constexpr std::string_view kUniquePrefix = "UNIQUE constraint failed: ";

// Resets a statement (and drops its bindings) when a call is done with it, so
// a cached statement never keeps a read snapshot open or points at a caller's
// parameter memory.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

bool OnlyWhitespaceOrSemicolons(const char* p) {
  for (; *p != '\0'; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') return false;
  }
  return true;
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);
      return n == 0 ? std::string() : std::string(bytes, static_cast<std::size_t>(n));
    }
    default:
      return std::monostate{};
  }
}

// SQLite keeps memory-use statistics unless told not to, and with them every
// allocation and free of every connection takes one process-wide mutex: the
// readers of a busy page queue on it. Nothing here reads those statistics.
// The setting must be made before SQLite initializes (the first open); a
// process that initialized it earlier keeps the default.
void ConfigureLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
      spdlog::debug("sqlite: initialized already; memory statistics stay on");
  });
}

}  // namespace

SqliteConnection::SqliteConnection(sqlite3* db, std::string path, std::size_t cache_size)
    : db_(db),
      path_(std::move(path)),
      cache_(cache_size, [](sqlite3_stmt*& stmt) { sqlite3_finalize(stmt); }) {}

SqliteConnection::~SqliteConnection() {
  cache_.Clear();  // statements must be finalized before the handle closes
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, Access access,
                                                                 const Options& options) {
  // NOMUTEX: the backend never shares a connection between threads at once.
  // EXRESCODE: extended codes tell a UNIQUE clash from other constraint errors.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (access == Access::kReadOnly) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  }
  ConfigureLibraryOnce();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // Owning the handle at once closes it on every failure path below.
  std::unique_ptr<SqliteConnection> conn(
      new SqliteConnection(raw, path, static_cast<std::size_t>(options.statement_cache_size)));
  auto unavailable = [&](std::string why) {
    spdlog::error("sqlite: cannot open {}: {}", path, why);
    return Error::Unavailable("Cannot open the SQLite database at \"" + path + "\": " + why);
  };
  if (rc != SQLITE_OK) {
    std::string why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_CANTOPEN) {
      why += options.create_if_missing
                 ? " (does its directory exist and is it writable? directories are not created)"
                 : " (the file does not exist and create_if_missing is off)";
    }
    return unavailable(why);
  }
  // SQLite silently falls back to read-only when the file is not writable;
  // a writer that cannot write must fail now, not on the first order.
  if (access == Access::kReadWrite && sqlite3_db_readonly(raw, "main") == 1) {
    return unavailable("the file is read-only (check its permissions)");
  }
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);

  if (access == Access::kReadWrite) {
    // WAL lets the readers keep reading while the writer commits. The mode
    // is stored in the file, so readers opened later inherit it.
    auto mode = conn->Query("PRAGMA journal_mode=WAL");
    if (!mode.ok() || mode->empty() || mode.value()[0].Text(0) != "wal") {
      return unavailable(std::string("cannot switch to WAL mode: ") + sqlite3_errmsg(raw));
    }
  }
  const char* sync =
      options.sqlite_sync == SqliteSync::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  for (std::string_view pragma : {std::string_view("PRAGMA foreign_keys=ON"), std::string_view(sync)}) {
    if (!conn->ExecScript(pragma).ok()) {
      return unavailable(std::string("cannot configure the connection: ") + sqlite3_errmsg(raw));
    }
  }
  return conn;
}

Status SqliteConnection::Guard() const {
  if (failed_) {
    spdlog::error("sqlite: statement after a failed one in the same transaction");
    return Error::Internal("A database error occurred.");
  }
  return Ok{};
}

Error SqliteConnection::Fail(int rc, std::string_view sql) {
  if (in_transaction_) failed_ = true;
  return ErrorFor(rc, sql);
}

Result<sqlite3_stmt*> SqliteConnection::PrepareBound(std::string_view sql, const Params& params) {
  TRY(Guard());
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_stmt** cached = cache_.Find(sql)) {
    stmt = *cached;
  } else {
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, &tail);
    if (rc != SQLITE_OK) return Fail(rc, sql);
    if (stmt == nullptr) {
      failed_ = in_transaction_;
      spdlog::error("sqlite: empty statement: {}", sql);
      return Error::Internal("A database error occurred.");
    }
    // tail points into sql, which need not be NUL-terminated: compare by length.
    std::string rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (!OnlyWhitespaceOrSemicolons(rest.c_str())) {
      sqlite3_finalize(stmt);
      failed_ = in_transaction_;
      spdlog::error("sqlite: more than one statement given to Query/Exec: {}", sql);
      return Error::Internal("A database error occurred.");
    }
    cache_.Insert(sql, stmt);
  }
  int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    failed_ = in_transaction_;
    spdlog::error("sqlite: statement wants {} parameters, got {}: {}", expected, params.size(), sql);
    return Error::Internal("A database error occurred.");
  }
  for (int i = 0; i < expected; ++i) {
    const Value& v = params[static_cast<std::size_t>(i)];
    int rc = SQLITE_OK;
    if (auto p = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *p);
    } else if (auto p = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i + 1, *p);
    } else if (auto p = std::get_if<std::string>(&v)) {
      // STATIC: params outlive the statement's use; StatementReset clears them.
      rc = sqlite3_bind_text64(stmt, i + 1, p->data(), p->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, i + 1);
    }
    if (rc != SQLITE_OK) {
      sqlite3_clear_bindings(stmt);
      return Fail(rc, sql);
    }
  }
  return stmt;
}

Result<Rows> SqliteConnection::Query(std::string_view sql, const Params& params) {
  TRY_ASSIGN(sqlite3_stmt * stmt, PrepareBound(sql, params));
  StatementReset reset(stmt);
  Rows out;
  const int ncol = sqlite3_column_count(stmt);
  out.columns.reserve(static_cast<std::size_t>(ncol));
  for (int i = 0; i < ncol; ++i) out.columns.emplace_back(sqlite3_column_name(stmt, i));
  while (true) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail(rc, sql);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(ncol));
    for (int i = 0; i < ncol; ++i) values.push_back(ColumnValue(stmt, i));
    out.rows.emplace_back(std::move(values));
  }
  return out;
}

Result<std::optional<Row>> SqliteConnection::QueryFirst(std::string_view sql, const Params& params) {
  TRY_ASSIGN(sqlite3_stmt * stmt, PrepareBound(sql, params));
  StatementReset reset(stmt);
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return std::optional<Row>();
  if (rc != SQLITE_ROW) return Fail(rc, sql);
  const int ncol = sqlite3_column_count(stmt);
  std::vector<Value> values;
  values.reserve(static_cast<std::size_t>(ncol));
  for (int i = 0; i < ncol; ++i) values.push_back(ColumnValue(stmt, i));
  return std::optional<Row>(Row(std::move(values)));
}

Result<std::int64_t> SqliteConnection::Exec(std::string_view sql, const Params& params) {
  TRY_ASSIGN(sqlite3_stmt * stmt, PrepareBound(sql, params));
  StatementReset reset(stmt);
  while (true) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail(rc, sql);  // RETURNING rows are skipped
  }
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Status SqliteConnection::ExecScript(std::string_view sql) {
  TRY(Guard());
  std::string text(sql);  // sqlite3_exec needs NUL termination
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(rc, sql);
  return Ok{};
}

Status SqliteConnection::Begin(std::string_view begin_sql) {
  failed_ = false;
  TRY(Exec(begin_sql));
  in_transaction_ = true;
  return Ok{};
}

Status SqliteConnection::Savepoint(std::string_view name) {
  return ExecScript("SAVEPOINT " + std::string(name));
}

Status SqliteConnection::RollbackToSavepoint(std::string_view name) {
  const std::string sql = "ROLLBACK TO " + std::string(name);
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    failed_ = true;
    return ErrorFor(sqlite3_errcode(db_), sql);
  }
  failed_ = false;  // what failed is undone
  return Ok{};
}

Status SqliteConnection::ReleaseSavepoint(std::string_view name) {
  return ExecScript("RELEASE " + std::string(name));
}

Status SqliteConnection::Commit() {
  if (failed_) {
    Rollback();
    spdlog::error("sqlite: commit after a failed statement; rolled back");
    return Error::Internal("A database error occurred.");
  }
  TRY(Exec("COMMIT"));
  in_transaction_ = false;
  return Ok{};
}

void SqliteConnection::Rollback() {
  in_transaction_ = false;
  failed_ = false;
  if (sqlite3_get_autocommit(db_) != 0) return;  // SQLite already ended it
  auto rolled = Exec("ROLLBACK");
  if (!rolled.ok()) spdlog::error("sqlite: ROLLBACK failed on {}", path_);
}

Error SqliteConnection::ErrorFor(int rc, std::string_view sql) const {
  const int code = sqlite3_extended_errcode(db_) != SQLITE_OK ? sqlite3_extended_errcode(db_) : rc;
  const std::string message = sqlite3_errmsg(db_);
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    Error e = Error::Conflict(std::string(kUniqueViolation), "A record with this value already exists.");
    if (message.starts_with(kUniquePrefix)) e.extra["constraint"] = message.substr(kUniquePrefix.size());
    return e;
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      spdlog::warn("sqlite: busy on {}: {} in SQL: {}", path_, message, sql);
      return Error::Unavailable("The database is busy; try again shortly.");
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      spdlog::error("sqlite: storage failure on {}: {} (code {})", path_, message, code);
      return Error::Unavailable("The database storage is unavailable.");
    default:
      spdlog::error("sqlite: {} (code {}) in SQL: {}", message, code, sql);
      return Error::Internal("A database error occurred.");
  }
}

}  // namespace nongsan::db
