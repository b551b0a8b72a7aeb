// Test support for database-backed tests: which backends to run on, and a
// fresh, empty database for each test. SQLite always runs; PostgreSQL runs
// when NONGSAN_TEST_POSTGRES_URL names a server whose user may CREATE
// DATABASE (scripts/with-postgres.sh starts a throwaway one and sets it).
//
// Typical use:
//   class DbThing : public ::testing::TestWithParam<std::string> {};
//   TEST_P(DbThing, Works) { auto db = OpenFreshTestDatabase(GetParam()); ... }
//   INSTANTIATE_TEST_SUITE_P(Backends, DbThing, ::testing::ValuesIn(TestBackends()), BackendName);
//
// Thread-safety: all functions may be called from any thread.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace nongsan::testing {

inline constexpr const char* kTestPostgresUrlEnv = "NONGSAN_TEST_POSTGRES_URL";

// {"sqlite"} plus "postgres" when NONGSAN_TEST_POSTGRES_URL is set.
std::vector<std::string> TestBackends();

// The URL of a new, empty database: SQLite → a file in a fresh temporary
// directory (removed when the test binary exits); PostgreSQL → a database
// created on the test server under a unique name (left for the throwaway
// cluster to take with it). Throws std::runtime_error if it cannot.
std::string FreshTestDatabaseUrl(const std::string& backend);

// Opens FreshTestDatabaseUrl(backend) with options. Throws on failure.
std::unique_ptr<db::Database> OpenFreshTestDatabase(const std::string& backend,
                                                    const db::Options& options = {});

// "type: detail" of a failed Result/Status, for assertion messages.
template <typename R>
std::string ErrorText(const R& r) {
  return r.ok() ? std::string("ok") : r.error().type + ": " + r.error().detail;
}

// Names parameterized tests after the backend: Suite/Test/sqlite, …/postgres.
std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace nongsan::testing
