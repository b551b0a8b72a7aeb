#include "db/sqlite/sqlite_database.hpp"

#include "db/connection_pool.hpp"
#include "db/sqlite/sqlite_connection.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace nongsan::db {
namespace {

// The name SQLite gives a private in-memory database. Each connection would
// get its own empty one, so readers would never see the writer's data.
constexpr std::string_view kMemoryPath = ":memory:";

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const Options& options, std::unique_ptr<SqliteConnection> writer)
      : path_(std::move(path)), options_(options), writer_(std::move(writer)),
        readers_(options.pool_size, std::chrono::milliseconds(options.acquire_timeout_ms),
                 [this]() -> Result<std::unique_ptr<SqliteConnection>> {
                   return SqliteConnection::Open(path_, SqliteConnection::Access::kReadOnly, options_);
                 }) {}

  Dialect dialect() const override { return Dialect::kSqlite; }

  PoolStats Stats() const override {
    PoolStats stats = readers_.Stats();
    stats.size += 1;  // the writer is always open
    stats.in_use += writer_busy_.load() ? 1 : 0;
    stats.waits += writer_waits_.load();
    stats.acquired += writer_acquired_.load();
    return stats;
  }

  std::string Describe() const override { return "sqlite:" + path_; }

  Status ReadWith(const std::function<Status(Connection&)>& fn) override {
    TRY_ASSIGN(auto lease, readers_.Acquire());
    TRY(lease->Begin("BEGIN"));
    Status st;
    try {
      st = fn(*lease);
    } catch (...) {
      lease->Rollback();
      throw;
    }
    // A reader changes nothing, so ending its snapshot cannot lose work.
    lease->Rollback();
    return st;
  }

  Status WriteWith(const std::function<Status(Connection&)>& fn) override { return WriteSynced(fn, false); }

  // The WAL is fsynced at this commit (synchronous=FULL for it alone; SQLite
  // refuses to change the setting inside a transaction, so it is switched
  // around the transaction while the writer is held).
  Status DurableWriteWith(const std::function<Status(Connection&)>& fn) override {
    return WriteSynced(fn, options_.sqlite_sync == SqliteSync::kNormal);
  }

 private:
  Status WriteSynced(const std::function<Status(Connection&)>& fn, bool sync_this_commit) {
    // The writer mutex is not recursive: a nested Write on the same thread
    // would deadlock, so refuse it loudly instead.
    if (writer_owner_.load() == std::this_thread::get_id()) {
      spdlog::error("sqlite: Write called from inside a Write callback");
      return Error::Internal("A database error occurred.");
    }
    std::unique_lock lock(writer_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) {
      ++writer_waits_;
      if (!lock.try_lock_for(std::chrono::milliseconds(options_.acquire_timeout_ms))) {
        return Error::Unavailable("The database is busy; try again shortly.");
      }
    }
    ++writer_acquired_;
    WriterTenure tenure(*this);
    if (sync_this_commit) TRY(writer_->ExecScript("PRAGMA synchronous=FULL"));
    Status result = Transaction(fn);
    if (sync_this_commit) {
      Status back = writer_->ExecScript("PRAGMA synchronous=NORMAL");
      if (!back.ok()) spdlog::error("sqlite: synchronous=NORMAL not restored after a durable write");
    }
    return result;
  }

  Status Transaction(const std::function<Status(Connection&)>& fn) {
    TRY(writer_->Begin("BEGIN IMMEDIATE"));
    Status st;
    try {
      st = fn(*writer_);
    } catch (...) {
      writer_->Rollback();
      throw;
    }
    if (!st.ok()) {
      writer_->Rollback();
      return st;
    }
    Status committed = writer_->Commit();
    if (!committed.ok()) writer_->Rollback();
    return committed;
  }

  // Marks the writer as held by this thread for as long as it lives.
  class WriterTenure {
   public:
    explicit WriterTenure(SqliteDatabase& db) : db_(db) {
      db_.writer_owner_.store(std::this_thread::get_id());
      db_.writer_busy_.store(true);
    }
    ~WriterTenure() {
      db_.writer_busy_.store(false);
      db_.writer_owner_.store(std::thread::id());
    }
    WriterTenure(const WriterTenure&) = delete;
    WriterTenure& operator=(const WriterTenure&) = delete;

   private:
    SqliteDatabase& db_;
  };

  const std::string path_;
  const Options options_;
  std::timed_mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  std::atomic<std::thread::id> writer_owner_{};
  std::atomic<bool> writer_busy_{false};
  std::atomic<std::int64_t> writer_waits_{0};
  std::atomic<std::int64_t> writer_acquired_{0};
  ConnectionPool<SqliteConnection> readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const Options& options) {
  if (path.empty() || path == kMemoryPath) {
    return Error::Invalid("The SQLite URL needs a file path, e.g. \"sqlite:/var/lib/nongsan/nongsan.db\".");
  }
  TRY_ASSIGN(auto writer, SqliteConnection::Open(path, SqliteConnection::Access::kReadWrite, options));
  return std::unique_ptr<Database>(new SqliteDatabase(path, options, std::move(writer)));
}

}  // namespace nongsan::db
