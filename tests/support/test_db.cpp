#include "support/test_db.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <stdexcept>

namespace nongsan::testing {
namespace {

constexpr std::string_view kSqlite = "sqlite";
constexpr std::string_view kPostgres = "postgres";

// Temporary directories made for SQLite test databases; removed when the test
// binary exits so repeated runs do not fill /tmp.
class TempDirs {
 public:
  ~TempDirs() {
    std::error_code ignored;
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ignored);
  }
  std::filesystem::path Make() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/nongsan-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory from " + pattern);
    }
    std::lock_guard lock(mutex_);
    dirs_.emplace_back(pattern);
    return dirs_.back();
  }

 private:
  std::mutex mutex_;
  std::vector<std::filesystem::path> dirs_;
};

TempDirs& SqliteDirs() {
  static TempDirs dirs;
  return dirs;
}

std::string PostgresServerUrl() {
  const char* url = std::getenv(kTestPostgresUrlEnv);
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(std::string(kTestPostgresUrlEnv) + " is not set");
  }
  return url;
}

// url with its database name (the path after host:port) replaced by dbname.
std::string WithDatabase(const std::string& url, const std::string& dbname) {
  const std::size_t authority = url.find("://");
  const std::size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) {
    const std::size_t query = url.find('?');
    if (query == std::string::npos) return url + "/" + dbname;
    return url.substr(0, query) + "/" + dbname + url.substr(query);
  }
  const std::size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + dbname + (query == std::string::npos ? "" : url.substr(query));
}

std::string UniqueDatabaseName() {
  static std::atomic<int> counter{0};
  thread_local std::mt19937_64 random(std::random_device{}());
  return "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(random() % 1'000'000'000);
}

// CREATE DATABASE cannot run inside a transaction, and the Database interface
// always opens one, so this talks to libpq directly.
void CreatePostgresDatabase(const std::string& server_url, const std::string& dbname) {
  PGconn* conn = PQconnectdb(server_url.c_str());
  std::string failure;
  if (PQstatus(conn) != CONNECTION_OK) {
    failure = std::string("cannot connect to the test PostgreSQL server: ") + PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, ("CREATE DATABASE " + dbname).c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      failure = "CREATE DATABASE " + dbname + " failed: " + PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(conn);
  if (!failure.empty()) throw std::runtime_error(failure);
}

}  // namespace

std::vector<std::string> TestBackends() {
  std::vector<std::string> backends{std::string(kSqlite)};
  const char* url = std::getenv(kTestPostgresUrlEnv);
  if (url != nullptr && *url != '\0') backends.emplace_back(kPostgres);
  return backends;
}

std::string FreshTestDatabaseUrl(const std::string& backend) {
  if (backend == kSqlite) return "sqlite:" + (SqliteDirs().Make() / "test.db").string();
  if (backend == kPostgres) {
    const std::string server = PostgresServerUrl();
    const std::string dbname = UniqueDatabaseName();
    CreatePostgresDatabase(server, dbname);
    return WithDatabase(server, dbname);
  }
  throw std::runtime_error("unknown test backend " + backend);
}

std::unique_ptr<db::Database> OpenFreshTestDatabase(const std::string& backend, const db::Options& options) {
  auto opened = db::Open(FreshTestDatabaseUrl(backend), options);
  if (!opened.ok()) throw std::runtime_error("cannot open a test database: " + opened.error().detail);
  return std::move(opened).value();
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace nongsan::testing
