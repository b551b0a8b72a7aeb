#include "db/postgres/postgres_connection.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <string>
#include <utility>

#include "db/postgres/placeholders.hpp"

namespace nongsan::db {
namespace {

// Column type OIDs (pg_type.h); stable across PostgreSQL versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// libpq waits at least this long for a connection however small the setting.
constexpr int kMinConnectTimeoutSeconds = 2;

constexpr std::string_view kSqlstateUniqueViolation = "23505";
constexpr std::string_view kSqlstateSerializationFailure = "40001";
constexpr std::string_view kSqlstateDeadlock = "40P01";
constexpr std::string_view kSqlstateFeatureNotSupported = "0A000";  // e.g. stale cached plan
constexpr std::string_view kSqlstateQueryCanceled = "57014";

void ClearResult(pg_result* r) { PQclear(r); }

// Server notices ("relation already exists, skipping") are not errors.
void LogNotice(void*, const char* message) { spdlog::debug("postgres notice: {}", message); }

std::string FirstLine(const char* message) {
  std::string s = message != nullptr ? message : "";
  s = s.substr(0, s.find('\n'));
  return s;
}

std::int64_t ParseInt64(std::string_view s) {
  std::int64_t out = 0;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return out;
}

double ParseFloat(std::string_view s) {
  double out = 0;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// bytea in text results is "\x" followed by hex digits (bytea_output=hex,
// the default since PostgreSQL 9.0).
std::string DecodeBytea(std::string_view s) {
  if (!s.starts_with("\\x")) return std::string(s);
  std::string out;
  out.reserve((s.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < s.size(); i += 2) {
    out += static_cast<char>(HexDigit(s[i]) * 16 + HexDigit(s[i + 1]));
  }
  return out;
}

Value ConvertValue(Oid type, std::string_view text) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return ParseInt64(text);
    case kFloat4Oid:
    case kFloat8Oid:
      return ParseFloat(text);
    case kNumericOid: {
      std::int64_t whole = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
      if (ec == std::errc() && ptr == text.data() + text.size()) return whole;
      return ParseFloat(text);
    }
    case kBoolOid:
      return static_cast<std::int64_t>(text == "t" ? 1 : 0);
    case kByteaOid:
      return DecodeBytea(text);
    default:
      return std::string(text);
  }
}

std::string ConnInfoValue(const PQconninfoOption* options, std::string_view keyword) {
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (keyword == o->keyword && o->val != nullptr) return o->val;
  }
  return {};
}

}  // namespace

Result<PostgresTarget> PostgresTarget::Parse(const std::string& url, const Options& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (parsed == nullptr) {
    // libpq's message may quote the URL, password included: log it only.
    spdlog::error("postgres: cannot parse the database URL: {}", FirstLine(error));
    PQfreemem(error);
    return Error::Invalid("The PostgreSQL URL is malformed; use postgresql://USER@HOST:PORT/DBNAME.");
  }
  std::string host = ConnInfoValue(parsed, "host");
  if (host.empty()) host = ConnInfoValue(parsed, "hostaddr");
  std::string port = ConnInfoValue(parsed, "port");
  std::string dbname = ConnInfoValue(parsed, "dbname");
  std::string user = ConnInfoValue(parsed, "user");
  PQconninfoFree(parsed);

  PostgresTarget target;
  target.url = url;
  target.description = "postgresql://" + (user.empty() ? "" : user + "@") +
                       (host.empty() ? "localhost" : host) + ":" + (port.empty() ? "5432" : port) + "/" +
                       (dbname.empty() ? user : dbname);
  target.connect_timeout_seconds =
      std::max(kMinConnectTimeoutSeconds, (options.busy_timeout_ms + 999) / 1000);
  return target;
}

PostgresConnection::PostgresConnection(pg_conn* conn, const PostgresTarget& target, std::size_t cache_size)
    : conn_(conn),
      target_(target),
      cache_(cache_size, [this](Prepared& p) { to_deallocate_.push_back(p.name); }) {}

PostgresConnection::~PostgresConnection() {
  cache_.Forget();  // the server drops a session's statements when it ends
  PQfinish(conn_);
}

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Connect(const PostgresTarget& target,
                                                                        const Options& options) {
  const std::string timeout = std::to_string(target.connect_timeout_seconds);
  // Our defaults come first so settings written in the URL win, except the
  // encoding: every string crossing this interface is UTF-8.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
  const char* values[] = {timeout.c_str(), "nongsan", target.url.c_str(), "UTF8", nullptr};
  pg_conn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  std::unique_ptr<PostgresConnection> conn(
      new PostgresConnection(raw, target, static_cast<std::size_t>(options.statement_cache_size)));
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    std::string why = raw != nullptr ? FirstLine(PQerrorMessage(raw)) : "out of memory";
    spdlog::error("postgres: cannot connect to {}: {}", target.description, why);
    return Error::Unavailable("Cannot connect to PostgreSQL at " + target.description + ": " + why);
  }
  PQsetNoticeProcessor(raw, LogNotice, nullptr);
  return conn;
}

void PostgresConnection::StartTransaction(std::string begin_sql) {
  begin_sql_ = std::move(begin_sql);
  begin_pending_ = true;
  in_transaction_ = false;
  failed_ = false;
  saw_retryable_ = false;
}

template <typename R, typename F>
R PostgresConnection::WithReconnect(F once) {
  const bool fresh = begin_pending_;  // nothing of this transaction has run yet
  R result = once();
  if (!result.ok() && fresh && broken_) {
    spdlog::warn("postgres: connection to {} was lost; reconnecting", target_.description);
    if (Reconnect()) result = once();
  }
  return result;
}

bool PostgresConnection::Reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  cache_.Forget();  // a new session has no prepared statements
  to_deallocate_.clear();
  broken_ = false;
  failed_ = false;
  in_transaction_ = false;
  rollback_in_flight_ = false;
  begin_pending_ = true;
  return true;
}

Status PostgresConnection::Guard() const {
  if (broken_) return Error::Unavailable("Lost the connection to the database; try again.");
  if (failed_) {
    spdlog::error("postgres: statement after a failed one in the same transaction");
    return Error::Internal("A database error occurred.");
  }
  return Ok{};
}

std::vector<PostgresConnection::ResultPtr> PostgresConnection::ReadPipelineResults(std::size_t commands) {
  std::vector<ResultPtr> out;
  ResultPtr last(nullptr, ClearResult);
  while (true) {
    pg_result* r = PQgetResult(conn_);
    if (r == nullptr) {
      // A null ends one command's results; on a dead connection it is all
      // that is left, so stop rather than spin.
      if (PQstatus(conn_) == CONNECTION_BAD || out.size() >= commands) break;
      out.push_back(std::move(last));
      last = ResultPtr(nullptr, ClearResult);
      continue;
    }
    if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    last.reset(r);  // a command yields one result; keep the last if more
  }
  return out;
}

Result<std::vector<PostgresConnection::ResultPtr>> PostgresConnection::RoundTrip(
    int commands, const std::function<bool()>& queue) {
  std::vector<std::string> prelude;
  if (begin_pending_) {
    prelude.push_back(begin_sql_);
    // Statements evicted from the cache are dropped here, inside a fresh
    // transaction, never in an aborted one where any command would fail.
    for (const std::string& name : to_deallocate_) prelude.push_back("DEALLOCATE " + name);
  }
  bool sent = PQenterPipelineMode(conn_) == 1;
  for (const std::string& command : prelude) {
    sent = sent && PQsendQueryParams(conn_, command.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  }
  sent = sent && queue() && PQpipelineSync(conn_) == 1;
  const std::size_t expected = prelude.size() + static_cast<std::size_t>(commands);
  std::vector<ResultPtr> results;
  if (sent) results = ReadPipelineResults(expected);
  if (PQexitPipelineMode(conn_) != 1 || !sent || results.size() != expected) return LostConnection();

  if (!prelude.empty()) {
    in_transaction_ = PQresultStatus(results[0].get()) == PGRES_COMMAND_OK;
    for (std::size_t i = 0; i < prelude.size(); ++i) {
      if (PQresultStatus(results[i].get()) != PGRES_COMMAND_OK) {
        failed_ = true;
        return ErrorFrom(results[i].get(), prelude[i]);
      }
    }
    begin_pending_ = false;
    to_deallocate_.clear();
  }
  results.erase(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(prelude.size()));
  return results;
}

void PostgresConnection::Settle() {
  if (!rollback_in_flight_) return;
  rollback_in_flight_ = false;
  std::vector<ResultPtr> results = ReadPipelineResults(1);
  const bool rolled_back =
      results.size() == 1 && results[0] != nullptr && PQresultStatus(results[0].get()) == PGRES_COMMAND_OK;
  if (PQexitPipelineMode(conn_) != 1 || !rolled_back) {
    spdlog::warn("postgres: ROLLBACK on {} did not complete", target_.description);
    broken_ = true;
  }
}

Result<PostgresConnection::Prepared*> PostgresConnection::Prepare(std::string_view sql) {
  RewrittenSql rewritten = RewritePlaceholders(sql);
  Prepared prepared;
  // Appended rather than "s" + to_string(): GCC 12 warns falsely on the latter.
  prepared.name = "s";
  prepared.name += std::to_string(++next_statement_id_);
  prepared.parameter_count = rewritten.parameter_count;
  // Describe tells which parameters the server inferred as bytea: those are
  // sent as raw bytes, so a BLOB value means the same bytes on both backends.
  TRY_ASSIGN(std::vector<ResultPtr> results, RoundTrip(2, [&] {
               return PQsendPrepare(conn_, prepared.name.c_str(), rewritten.sql.c_str(),
                                    rewritten.parameter_count, nullptr) == 1 &&
                      PQsendDescribePrepared(conn_, prepared.name.c_str()) == 1;
             }));
  for (const ResultPtr& result : results) {
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      failed_ = true;
      return ErrorFrom(result.get(), sql);
    }
  }
  const pg_result* described = results[1].get();
  prepared.binary.resize(static_cast<std::size_t>(rewritten.parameter_count));
  for (int i = 0; i < PQnparams(described) && i < rewritten.parameter_count; ++i) {
    prepared.binary[static_cast<std::size_t>(i)] = PQparamtype(described, i) == kByteaOid;
  }
  return &cache_.Insert(sql, std::move(prepared));
}

Result<PostgresConnection::ResultPtr> PostgresConnection::RunOnce(std::string_view sql,
                                                                  const Params& params) {
  Settle();
  TRY(Guard());
  Prepared* prepared = cache_.Find(sql);
  if (prepared == nullptr) {
    TRY_ASSIGN(prepared, Prepare(sql));
  }
  if (prepared->parameter_count != static_cast<int>(params.size())) {
    failed_ = in_transaction_ || begin_pending_;
    spdlog::error("postgres: statement wants {} parameters, got {}: {}", prepared->parameter_count,
                  params.size(), sql);
    return Error::Internal("A database error occurred.");
  }
  const std::size_t n = params.size();
  std::vector<std::string> scratch(n);  // text forms of numbers
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (auto p = std::get_if<std::int64_t>(&v)) {
      scratch[i] = std::to_string(*p);
      values[i] = scratch[i].c_str();
    } else if (auto p = std::get_if<double>(&v)) {
      scratch[i] = FormatDouble(*p);
      values[i] = scratch[i].c_str();
    } else if (auto p = std::get_if<std::string>(&v)) {
      values[i] = p->c_str();
      lengths[i] = static_cast<int>(p->size());
      formats[i] = prepared->binary[i] ? 1 : 0;
    }
  }
  TRY_ASSIGN(std::vector<ResultPtr> results, RoundTrip(1, [&] {
               return PQsendQueryPrepared(conn_, prepared->name.c_str(), static_cast<int>(n), values.data(),
                                          lengths.data(), formats.data(),
                                          /*resultFormat=*/0) == 1;
             }));
  ResultPtr& result = results[0];
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    failed_ = true;
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    // After DDL changes a table's columns, a prepared SELECT * cannot run
    // again; forget it so the next transaction prepares it afresh.
    if (state != nullptr && state == kSqlstateFeatureNotSupported) cache_.Erase(sql);
    return ErrorFrom(result.get(), sql);
  }
  return std::move(result);
}

Result<Rows> PostgresConnection::Query(std::string_view sql, const Params& params) {
  TRY_ASSIGN(ResultPtr result, WithReconnect<Result<ResultPtr>>([&] { return RunOnce(sql, params); }));
  const pg_result* r = result.get();
  const int ncol = PQnfields(r);
  const int nrow = PQntuples(r);
  Rows out;
  out.columns.reserve(static_cast<std::size_t>(ncol));
  std::vector<Oid> types(static_cast<std::size_t>(ncol));
  for (int c = 0; c < ncol; ++c) {
    out.columns.emplace_back(PQfname(r, c));
    types[static_cast<std::size_t>(c)] = PQftype(r, c);
  }
  out.rows.reserve(static_cast<std::size_t>(nrow));
  for (int row = 0; row < nrow; ++row) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(ncol));
    for (int c = 0; c < ncol; ++c) {
      if (PQgetisnull(r, row, c)) {
        values.emplace_back(std::monostate{});
      } else {
        std::string_view text(PQgetvalue(r, row, c), static_cast<std::size_t>(PQgetlength(r, row, c)));
        values.push_back(ConvertValue(types[static_cast<std::size_t>(c)], text));
      }
    }
    out.rows.emplace_back(std::move(values));
  }
  return out;
}

Result<std::int64_t> PostgresConnection::Exec(std::string_view sql, const Params& params) {
  TRY_ASSIGN(ResultPtr result, WithReconnect<Result<ResultPtr>>([&] { return RunOnce(sql, params); }));
  return ParseInt64(PQcmdTuples(result.get()));  // "" for commands without a count → 0
}

Status PostgresConnection::ExecScriptOnce(std::string_view sql) {
  Settle();
  TRY(Guard());
  // A script goes through the simple-query protocol (several statements, no
  // parameters), which pipeline mode does not carry: BEGIN goes first alone.
  if (begin_pending_) TRY(RoundTrip(0, [] { return true; }));
  std::string text(sql);
  ResultPtr result(PQexec(conn_, text.c_str()), ClearResult);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    failed_ = true;
    return ErrorFrom(result.get(), sql);
  }
  return Ok{};
}

Status PostgresConnection::ExecScript(std::string_view sql) {
  return WithReconnect<Status>([&] { return ExecScriptOnce(sql); });
}

Status PostgresConnection::Commit() {
  begin_pending_ = false;
  if (!in_transaction_) return Ok{};  // the callback ran no statement
  if (failed_) {
    Rollback();
    spdlog::error("postgres: commit after a failed statement; rolled back");
    return Error::Internal("A database error occurred.");
  }
  in_transaction_ = false;
  ResultPtr result(PQexec(conn_, "COMMIT"), ClearResult);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return ErrorFrom(result.get(), "COMMIT");
  // PostgreSQL answers COMMIT of an aborted transaction with "ROLLBACK".
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    spdlog::error("postgres: COMMIT was turned into a rollback");
    return Error::Internal("A database error occurred.");
  }
  return Ok{};
}

void PostgresConnection::Rollback() {
  begin_pending_ = false;
  if (!in_transaction_ || broken_) return;
  in_transaction_ = false;
  // The server ends the transaction (and frees its locks) as soon as it reads
  // this, so there is no need to wait for the answer; Settle collects it.
  const bool sent = PQenterPipelineMode(conn_) == 1 &&
                    PQsendQueryParams(conn_, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
                    PQpipelineSync(conn_) == 1;
  if (sent) {
    rollback_in_flight_ = true;
  } else {
    spdlog::error("postgres: could not send ROLLBACK on {}; dropping the connection", target_.description);
    broken_ = true;
  }
}

Error PostgresConnection::LostConnection() {
  broken_ = true;
  spdlog::error("postgres: connection to {} lost: {}", target_.description, FirstLine(PQerrorMessage(conn_)));
  return Error::Unavailable("Lost the connection to the database at " + target_.description + "; try again.");
}

Error PostgresConnection::ErrorFrom(const pg_result* result, std::string_view sql) {
  const char* state_field = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = state_field != nullptr ? state_field : "";
  const std::string message =
      FirstLine(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));

  if (PQstatus(conn_) == CONNECTION_BAD || state.starts_with("08") || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    return LostConnection();
  }
  if (state == kSqlstateUniqueViolation) {
    Error e = Error::Conflict(std::string(kUniqueViolation), "A record with this value already exists.");
    if (const char* name = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME)) e.extra["constraint"] = name;
    return e;
  }
  if (state == kSqlstateSerializationFailure || state == kSqlstateDeadlock) {
    saw_retryable_ = true;
    spdlog::info("postgres: {} (SQLSTATE {}); the write may be retried", message, state);
    return Error::Conflict("write_conflict", "Someone else changed this at the same time; try again.");
  }
  if (state == kSqlstateQueryCanceled || state.starts_with("53")) {
    spdlog::error("postgres: {} (SQLSTATE {}) in SQL: {}", message, state, sql);
    return Error::Unavailable("The database is overloaded; try again shortly.");
  }
  spdlog::error("postgres: {} (SQLSTATE {}) in SQL: {}", message, state, sql);
  return Error::Internal("A database error occurred.");
}

}  // namespace nongsan::db
