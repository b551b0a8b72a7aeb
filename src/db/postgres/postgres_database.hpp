// The PostgreSQL 15 backend over libpq: a pool of Options::pool_size
// connections (grown lazily, callers wait on a condition variable when all are
// lent). Read runs in a REPEATABLE READ READ ONLY transaction (one snapshot);
// Write runs in a READ COMMITTED transaction and is run again from the start,
// up to kMaxWriteAttempts times, when PostgreSQL reports a serialization
// failure or deadlock (40001/40P01), so a Write callback must be safe to
// repeat (it only talks to the database; side effects go after Write).
// A connection that breaks is dropped from the pool and replaced on demand.
//
// Thread-safety: the Database is safe to share between threads.
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace nongsan::db {

// How many times one Write callback may run before a conflict is returned.
inline constexpr int kMaxWriteAttempts = 5;

// Connects once to prove the server is reachable (kUnavailable naming host,
// port and database, never the password, when it is not).
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const Options& options);

}  // namespace nongsan::db
