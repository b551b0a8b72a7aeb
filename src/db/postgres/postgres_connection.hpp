// One libpq connection with its own cache of named prepared statements, and
// the PostgreSQL error mapping. Portable `?` SQL is rewritten to $n once per
// statement and connection and prepared there as a named statement (an LRU
// cache keyed by SQL text); parameters travel as text (bytea ones as binary) and results
// come back as text, converted by column type: int2/int4/int8/oid → int64,
// float4/float8 → double, numeric → int64 when integral (so SUM(bigint) stays
// exact) else double, bool → 0/1, bytea → raw bytes, anything else → text.
//
// Round trips are kept few, since each costs a network latency: the BEGIN is
// armed by the backend and sent in one pipeline (libpq pipeline mode) with
// the first statement, so a one-statement transaction needs one round trip
// plus its COMMIT; a ROLLBACK (the end of every Read, and of a failed Write)
// is sent without waiting, its answer collected by the connection's next
// user. A statement's first use on a connection costs one extra round trip
// (prepare + describe). If the first round trip of a transaction finds the
// connection dead (server restart, idle timeout), it reconnects and runs
// again: nothing of that transaction can have committed.
//
// When a statement fails inside a transaction the transaction is dead
// (PostgreSQL aborts it), and every later statement and the commit fail too;
// the SQLite backend enforces the same rule so code that swallows an error
// and carries on is caught on both.
//
// Thread-safety: none; a connection is lent to one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "db/statement_cache.hpp"

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

  // Arms a transaction: begin_sql is sent with the next statement.
  void StartTransaction(std::string begin_sql);
  // Commits if a transaction was begun; an earlier failed statement makes it
  // a rollback and an error.
  Status Commit();
  // Ends a begun transaction without waiting for the server's answer.
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

  // Runs once() and, if it found a dead connection before anything of this
  // transaction could have run, reconnects and runs it again.
  template <typename R, typename F>
  R WithReconnect(F once);
  Result<ResultPtr> RunOnce(std::string_view sql, const Params& params);
  Status ExecScriptOnce(std::string_view sql);
  Result<Prepared*> Prepare(std::string_view sql);
  // One network round trip in pipeline mode: the armed BEGIN and pending
  // DEALLOCATEs, then the `commands` commands that queue() sends. Returns
  // the results of queue()'s commands; a failed prelude is the error.
  Result<std::vector<ResultPtr>> RoundTrip(int commands, const std::function<bool()>& queue);
  // Reads one result per command up to the pipeline's sync point.
  std::vector<ResultPtr> ReadPipelineResults(std::size_t commands);
  // Collects the answer of a ROLLBACK sent without waiting.
  void Settle();
  bool Reconnect();
  Status Guard() const;  // refuses statements after a failure in this transaction
  Error LostConnection();
  Error ErrorFrom(const pg_result* result, std::string_view sql);

  pg_conn* conn_;
  PostgresTarget target_;
  StatementCache<Prepared> cache_;
  std::vector<std::string> to_deallocate_;  // evicted statement names
  std::string begin_sql_;                   // this transaction's BEGIN
  bool begin_pending_ = false;              // armed but not yet sent
  bool in_transaction_ = false;
  bool rollback_in_flight_ = false;
  bool failed_ = false;
  bool saw_retryable_ = false;
  bool broken_ = false;
  std::int64_t next_statement_id_ = 0;
};

}  // namespace nongsan::db
