// One libpq connection with its own cache of named prepared statements, and
// the PostgreSQL error mapping. Portable `?` SQL is rewritten to $n once per
// statement and connection, prepared with PQprepare and run with
// PQexecPrepared; parameters travel as text (bytea ones as binary) and results
// come back as text, converted by column type: int2/int4/int8/oid → int64,
// float4/float8 → double, numeric → int64 when integral (so SUM(bigint) stays
// exact) else double, bool → 0/1, bytea → raw bytes, anything else → text.
//
// Transactions start lazily: the backend names the BEGIN to use and it is sent
// just before the first statement. When a statement fails inside a
// transaction the transaction is dead (PostgreSQL aborts it), and every later
// statement and the commit fail too; the SQLite backend enforces the same rule
// so code that swallows an error and carries on is caught on both.
//
// Thread-safety: none; a connection is lent to one thread at a time.
#pragma once

#include "db/database.hpp"
#include "db/statement_cache.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace nongsan::db {

// Where to connect, and how to name it in messages without the password.
struct PostgresTarget {
  std::string url;          // as configured; may hold a password, never printed
  std::string description;  // postgresql://user@host:port/dbname
  int connect_timeout_seconds = 5;

  // Parses url; kInvalid (not echoing the URL) when libpq cannot read it.
  static Result<PostgresTarget> Parse(const std::string& url, const Options& options);
};

class PostgresConnection final : public Connection {
 public:
  // Connects; kUnavailable naming host, port and database when it cannot.
  static Result<std::unique_ptr<PostgresConnection>> Connect(const PostgresTarget& target,
                                                             const Options& options);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  Result<Rows> Query(std::string_view sql, const Params& params = {}) override;
  Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) override;
  Status ExecScript(std::string_view sql) override;

  // Arms a transaction: begin_sql is sent before the next statement.
  void StartTransaction(std::string begin_sql);
  // Commits if a transaction was begun; an earlier failed statement makes it
  // a rollback and an error.
  Status Commit();
  // Rolls back if a transaction was begun; marks the connection broken when
  // even that fails.
  void Rollback();

  // The connection is unusable and must be discarded, not pooled.
  bool broken() const { return broken_; }
  // A serialization failure or deadlock happened since StartTransaction: the
  // whole transaction may succeed if run again.
  bool saw_retryable() const { return saw_retryable_; }

 private:
  struct Prepared {
    std::string name;
    int parameter_count = 0;
    std::vector<bool> binary;  // per parameter: send raw bytes (bytea)
  };
  using ResultPtr = std::unique_ptr<pg_result, void (*)(pg_result*)>;

  PostgresConnection(pg_conn* conn, const PostgresTarget& target, std::size_t cache_size);
  // Sends pending deallocations and the armed BEGIN; reconnects once if the
  // idle connection turns out to be dead (nothing has run on it yet).
  Status EnsureBegun();
  Result<Prepared*> PrepareCached(std::string_view sql);
  Result<ResultPtr> Run(std::string_view sql, const Params& params);
  Status Guard();  // refuses statements after a failure in this transaction
  Error ErrorFrom(const pg_result* result, std::string_view sql);

  pg_conn* conn_;
  PostgresTarget target_;
  StatementCache<Prepared> cache_;
  std::vector<std::string> to_deallocate_;  // evicted statement names
  std::string pending_begin_;
  bool in_transaction_ = false;
  bool failed_ = false;
  bool saw_retryable_ = false;
  bool broken_ = false;
  std::int64_t next_statement_id_ = 0;
};

}  // namespace nongsan::db
