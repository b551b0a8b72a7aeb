// The one narrow database interface every domain uses. Two backends implement
// it: SQLite through its C API (src/db/sqlite/) and PostgreSQL 15 through libpq
// (src/db/postgres/).
//
// SQL is written once with `?` placeholders; the PostgreSQL backend rewrites
// them to $1..$n. Values are NULL, 64-bit integers, doubles or UTF-8 text
// (booleans are 0/1 integers, timestamps are integer Unix milliseconds, money
// is integer VND). Where the dialects disagree, ask dialect() or use the
// helpers below, and keep the difference in one place.
//
// Thread-safety: Database is safe to share between threads. A Connection is
// handed to one callback at a time and must not escape it. Read() runs on a
// pooled reader; Write() runs in a transaction on the single SQLite writer (or
// a pooled PostgreSQL connection) and commits when the callback returns ok,
// rolling back otherwise, so nothing is ever half-written.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace nongsan::db {

enum class Dialect { kSqlite, kPostgres };

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// One result row; columns by index (in SELECT order).
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::int64_t Int(std::size_t i) const;  // NULL → 0; text parsed
  double Double(std::size_t i) const;     // NULL → 0
  std::string Text(std::size_t i) const;  // NULL → ""; numbers formatted
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  const Value& at(std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

using Params = std::vector<Value>;

// A connection lent to one callback. Errors from the engine come back as
// Error{kConflict,"unique_violation"} for unique-key clashes, kUnavailable
// when the database cannot be reached, and kInternal otherwise (the SQL and
// the engine's message are logged, never put in the error's detail).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Executes a statement; returns the number of rows changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs several ;-separated statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Convenience: first row or nullopt.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
  // Convenience: first column of the first row as an integer (e.g. RETURNING id).
  Result<std::int64_t> QueryInt(std::string_view sql, const Params& params = {});
};

struct PoolStats {
  int size = 0;            // connections open
  int in_use = 0;          // lent out now
  std::int64_t waits = 0;  // callers that had to wait for a connection
  std::int64_t acquired = 0;
};

// How hard SQLite works to make each commit durable (PRAGMA synchronous).
//   kNormal: with WAL, a commit survives the process dying at any point, even
//     SIGKILL, because the WAL is already in the OS page cache; only an OS crash
//     or power loss can lose the last few commits (the file is never corrupted).
//     No fsync per commit, so writes are several times faster.
//   kFull: fsync the WAL on every commit; survives OS crashes and power loss.
enum class SqliteSync { kNormal, kFull };

// The error type slug for unique-key clashes (Error{kConflict, kUniqueViolation}).
inline constexpr std::string_view kUniqueViolation = "unique_violation";

struct Options {
  int pool_size = 8;              // readers (SQLite) or connections (PostgreSQL)
  int busy_timeout_ms = 5000;     // SQLite busy timeout / PG connect timeout
  bool create_if_missing = true;  // SQLite: create the file (and nothing else)
  SqliteSync sqlite_sync = SqliteSync::kNormal;
  int statement_cache_size = 256;  // prepared statements kept per connection
  int acquire_timeout_ms = 10000;  // wait for a free pooled connection, then kUnavailable
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual PoolStats Stats() const = 0;
  // A human description safe to print (no password).
  virtual std::string Describe() const = 0;

  // Run fn on a reader connection (a consistent snapshot for its duration).
  virtual Status ReadWith(const std::function<Status(Connection&)>& fn) = 0;
  // Run fn inside a write transaction; commit on ok, roll back on error.
  virtual Status WriteWith(const std::function<Status(Connection&)>& fn) = 0;
  // As WriteWith, and the commit is on stable storage when this returns, so
  // a power cut right after cannot lose it: for writes acknowledged to
  // someone who will not ask again (a payment notification answered 2xx, a
  // payout marked sent). PostgreSQL syncs every commit (synchronous_commit
  // on), so this default is right for it; SQLite under SqliteSync::kNormal
  // overrides it to sync the WAL for this one commit.
  virtual Status DurableWriteWith(const std::function<Status(Connection&)>& fn) { return WriteWith(fn); }

  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::optional<R> out;
    Status st = ReadWith([&](Connection& c) -> Status {
      out.emplace(fn(c));
      if (!out->ok()) return out->error();
      return Ok{};
    });
    if (!st.ok() && (!out || out->ok())) return std::move(st).error();
    return std::move(*out);
  }
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return WriteVia(&Database::WriteWith, std::forward<F>(fn));
  }
  template <typename F>
  auto DurableWrite(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return WriteVia(&Database::DurableWriteWith, std::forward<F>(fn));
  }

 private:
  template <typename F>
  auto WriteVia(Status (Database::*write)(const std::function<Status(Connection&)>&), F&& fn)
      -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::optional<R> out;
    Status st = (this->*write)([&](Connection& c) -> Status {
      out.emplace(fn(c));
      if (!out->ok()) return out->error();
      return Ok{};
    });
    if (!st.ok() && (!out || out->ok())) return std::move(st).error();
    return std::move(*out);
  }
};

// Opens "sqlite:PATH" or "postgresql://user@host:port/dbname". A database that
// cannot be opened or reached is a clear kUnavailable error naming it.
Result<std::unique_ptr<Database>> Open(const std::string& url, const Options& options = {});

// Dialect helpers for the few places the SQL differs.
// Column type for an auto-increment 64-bit primary key. Ids are never reused,
// even after the newest row is deleted (SQLite AUTOINCREMENT, PG identity).
std::string_view AutoIdColumn(Dialect d);
// Column type for raw bytes; Values read from it are std::string holding the
// bytes (PostgreSQL bytea is sent and decoded so both backends agree).
std::string_view BlobColumn(Dialect d);

// The shortest decimal text that reads back as exactly d (used to send doubles
// to PostgreSQL without losing precision, and by Row::Text).
std::string FormatDouble(double d);

// True when e is the unique-key clash error a backend returns.
bool IsUniqueViolation(const Error& e);

}  // namespace nongsan::db
