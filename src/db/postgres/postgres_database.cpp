#include "db/postgres/postgres_database.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <random>
#include <thread>

#include "db/connection_pool.hpp"
#include "db/postgres/postgres_connection.hpp"

namespace nongsan::db {
namespace {

constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
constexpr std::string_view kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED";
// Retries back off a little, with jitter, so the transactions that collided
// do not collide again in lockstep.
constexpr int kRetryBackoffMaxMs = 10;

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PostgresTarget target, const Options& options, std::unique_ptr<PostgresConnection> first)
      : target_(std::move(target)),
        options_(options),
        pool_(options.pool_size, std::chrono::milliseconds(options.acquire_timeout_ms),
              [this]() { return PostgresConnection::Connect(target_, options_); }) {
    pool_.Seed(std::move(first));
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  PoolStats Stats() const override { return pool_.Stats(); }
  std::string Describe() const override { return target_.description; }

  Status ReadWith(const std::function<Status(Connection&)>& fn) override {
    TRY_ASSIGN(auto lease, pool_.Acquire());
    Status st = RunInTransaction(lease, kBeginRead, fn, /*commit=*/false);
    return st;
  }

  Status WriteWith(const std::function<Status(Connection&)>& fn) override {
    TRY_ASSIGN(auto lease, pool_.Acquire());
    for (int attempt = 1;; ++attempt) {
      Status st = RunInTransaction(lease, kBeginWrite, fn, /*commit=*/true);
      if (st.ok() || !lease->saw_retryable() || lease->broken() || attempt >= kMaxWriteAttempts) {
        return st;
      }
      spdlog::info("postgres: write conflict, attempt {} of {}", attempt, kMaxWriteAttempts);
      std::this_thread::sleep_for(std::chrono::milliseconds(Jitter(attempt)));
    }
  }

 private:
  using Lease = ConnectionPool<PostgresConnection>::Lease;

  static Status RunInTransaction(Lease& lease, std::string_view begin,
                                 const std::function<Status(Connection&)>& fn, bool commit) {
    lease->StartTransaction(std::string(begin));
    Status st;
    try {
      st = fn(*lease);
    } catch (...) {
      lease->Rollback();
      if (lease->broken()) lease.Discard();
      throw;
    }
    if (st.ok() && commit) {
      st = lease->Commit();
    } else {
      // A reader has nothing to commit; a failed writer must undo its work.
      lease->Rollback();
    }
    if (lease->broken()) lease.Discard();
    return st;
  }

  static int Jitter(int attempt) {
    thread_local std::minstd_rand random(std::random_device{}());
    return 1 + static_cast<int>(random() % static_cast<unsigned>(kRetryBackoffMaxMs * attempt));
  }

  const PostgresTarget target_;
  const Options options_;
  ConnectionPool<PostgresConnection> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const Options& options) {
  TRY_ASSIGN(PostgresTarget target, PostgresTarget::Parse(url, options));
  TRY_ASSIGN(auto first, PostgresConnection::Connect(target, options));
  return std::unique_ptr<Database>(new PostgresDatabase(std::move(target), options, std::move(first)));
}

}  // namespace nongsan::db
