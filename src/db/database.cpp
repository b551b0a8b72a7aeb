// Backend-independent parts of the database interface: Row conversions, the
// Connection convenience calls, URL dispatch and the dialect helpers.
#include "db/database.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "db/postgres/postgres_database.hpp"
#include "db/read_one.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace nongsan::db {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::string_view kPostgresSchemes[] = {"postgresql://", "postgres://"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Integer text → int64; non-integer text is read as a double and truncated,
// and anything unreadable is 0 (the accessor contract: never fails).
std::int64_t ParseInt(std::string_view s) {
  s = Trim(s);
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc() && ptr == s.data() + s.size()) return out;
  double d = 0;
  auto [dptr, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (dec != std::errc() || !std::isfinite(d)) return 0;
  return static_cast<std::int64_t>(d);
}

double ParseDouble(std::string_view s) {
  s = Trim(s);
  double out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() ? out : 0.0;
}

// Double → int64 truncating toward zero (as CAST does), clamped so huge values
// do not hit undefined behaviour.
std::int64_t DoubleToInt(double d) {
  if (std::isnan(d)) return 0;
  constexpr double kMax = 9.2233720368547748e18;  // 2^63, first double past int64
  if (d >= kMax) return std::numeric_limits<std::int64_t>::max();
  if (d < -kMax) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(d);
}

}  // namespace

std::string FormatDouble(double d) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact round trip
  return std::string(buf, ec == std::errc() ? ptr : buf);
}

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return DoubleToInt(*p);
  if (auto p = std::get_if<std::string>(&v)) return ParseInt(*p);
  return 0;
}

double Row::Double(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return ParseDouble(*p);
  return 0;
}

std::string Row::Text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return FormatDouble(*p);
  return {};
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<std::optional<Row>> ReadOne(Database& db, std::string_view sql, const Params& params) {
  if (auto* reader = dynamic_cast<OneStatementReader*>(&db)) return reader->ReadOne(sql, params);
  return db.Read([&](Connection& c) { return c.QueryOne(sql, params); });
}

Result<std::optional<Row>> Connection::QueryOne(std::string_view sql, const Params& params) {
  TRY_ASSIGN(Rows rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.rows.front()));
}

Result<std::int64_t> Connection::QueryInt(std::string_view sql, const Params& params) {
  TRY_ASSIGN(Rows rows, Query(sql, params));
  if (rows.empty() || rows[0].size() == 0) {
    // A caller asking for one number and getting none is a bug in its SQL.
    return Error::Internal("The database returned no value where one was expected.");
  }
  return rows[0].Int(0);
}

Result<std::unique_ptr<Database>> Open(const std::string& url, const Options& options) {
  std::string_view u = url;
  if (u.starts_with(kSqliteScheme)) {
    std::string_view path = u.substr(kSqliteScheme.size());
    // Accept the common "sqlite:///abs/path" spelling as well as "sqlite:/abs/path".
    if (path.starts_with("//")) path.remove_prefix(2);
    return OpenSqlite(std::string(path), options);
  }
  for (std::string_view scheme : kPostgresSchemes) {
    if (u.starts_with(scheme)) return OpenPostgres(url, options);
  }
  return Error::Invalid(
      "Unsupported database URL; use \"sqlite:PATH\" or "
      "\"postgresql://USER@HOST:PORT/DBNAME\".");
}

std::string_view AutoIdColumn(Dialect d) {
  // AUTOINCREMENT (not a bare rowid alias) so a deleted newest id is never
  // handed out again: order and payment ids must stay unique forever.
  return d == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                               : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
}

std::string_view BlobColumn(Dialect d) { return d == Dialect::kSqlite ? "BLOB" : "BYTEA"; }

bool IsUniqueViolation(const Error& e) {
  return e.code == ErrorCode::kConflict && e.type == kUniqueViolation;
}

}  // namespace nongsan::db
