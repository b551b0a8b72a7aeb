// One read-only statement on its own, for a hot read that needs a single
// statement (the provenance page's lot): its first row, or nullopt when it
// answers none. The statement is its own snapshot. On SQLite it runs in
// autocommit mode on a pooled read-only connection, with no BEGIN and
// ROLLBACK around it (one statement executed instead of three, no column
// names copied); any other backend (PostgreSQL) runs it inside ReadWith,
// unchanged. Reads whose statements must agree with each other use
// Database::Read.
//
// A backend offers the cheaper path by also implementing OneStatementReader.
// (A side interface, not a Database method, so that adding it did not rebuild
// every file that includes db/database.hpp; it can move into Database when
// that header next changes.)
//
// Thread-safety: as Database.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::db {

class OneStatementReader {
 public:
  virtual ~OneStatementReader() = default;
  virtual Result<std::optional<Row>> ReadOne(std::string_view sql, const Params& params) = 0;
};

Result<std::optional<Row>> ReadOne(Database& db, std::string_view sql, const Params& params = {});

}  // namespace nongsan::db
