// The SQLite backend: one file in WAL mode, a single writer connection behind
// a mutex (Write runs BEGIN IMMEDIATE … COMMIT/ROLLBACK on it, so writers are
// serialized and never see SQLITE_BUSY from each other) and a lazily grown
// pool of read-only connections for Read (each callback in one read
// transaction, i.e. one consistent snapshot). foreign_keys=ON on every
// connection. Durability: Options::sqlite_sync (NORMAL by default: survives a
// killed process, an OS crash may lose the last commits; FULL survives both).
//
// Thread-safety: the Database is safe to share between threads.
#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace nongsan::db {

// Opens (and, if allowed, creates) the database file at path. Fails with
// kUnavailable naming the path when it cannot be opened for writing; nothing
// but the file itself (and SQLite's -wal/-shm companions) is ever created.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const Options& options);

}  // namespace nongsan::db
