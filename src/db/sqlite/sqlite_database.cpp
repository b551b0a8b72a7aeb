#include "db/sqlite/sqlite_database.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "db/connection_pool.hpp"
#include "db/read_one.hpp"
#include "db/sqlite/sqlite_connection.hpp"

namespace nongsan::db {
namespace {

// The name SQLite gives a private in-memory database. Each connection would
// get its own empty one, so readers would never see the writer's data.
constexpr std::string_view kMemoryPath = ":memory:";

class SqliteDatabase final : public Database, public OneStatementReader {
 public:
  SqliteDatabase(std::string path, const Options& options, std::unique_ptr<SqliteConnection> writer)
      : path_(std::move(path)),
        options_(options),
        writer_(std::move(writer)),
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

  // In autocommit mode the statement takes its read snapshot when first
  // stepped and ends it when reset, so no BEGIN or ROLLBACK is needed; the
  // reader is opened read-only, so it cannot write.
  Result<std::optional<Row>> ReadOne(std::string_view sql, const Params& params) override {
    TRY_ASSIGN(auto lease, readers_.Acquire());
    return lease->QueryFirst(sql, params);
  }

  Status WriteWith(const std::function<Status(Connection&)>& fn) override { return WriteSynced(fn, false); }

  // The WAL is fsynced at this commit (synchronous=FULL for it alone; SQLite
  // refuses to change the setting inside a transaction, so it is switched
  // around the transaction while the writer is held).
  //
  // Durable writes commit in groups: each joins a queue, and one thread at a
  // time (the leader) runs every queued callback in one transaction, each in
  // its own savepoint — a callback's error or exception undoes its own work
  // only — and syncs the WAL once for all. An fsync costs milliseconds on
  // most disks (8 ms on the development VM), so one per payment notification
  // would cap them near a hundred a second; a group pays it once. Callbacks
  // run on the leader's thread; an exception is carried back to its caller.
  Status DurableWriteWith(const std::function<Status(Connection&)>& fn) override {
    if (options_.sqlite_sync != SqliteSync::kNormal) return WriteSynced(fn, false);  // every commit syncs
    if (writer_owner_.load() == std::this_thread::get_id()) {
      spdlog::error("sqlite: DurableWrite called from inside a Write callback");
      return Error::Internal("A database error occurred.");
    }
    DurableRequest me;
    me.fn = &fn;
    std::unique_lock queue_lock(durable_mu_);
    durable_queue_.push_back(&me);
    while (!me.done) {
      if (durable_leader_) {
        durable_cv_.wait(queue_lock);
        continue;
      }
      durable_leader_ = true;
      std::vector<DurableRequest*> group;
      group.swap(durable_queue_);
      queue_lock.unlock();
      CommitGroup(group);
      queue_lock.lock();
      for (DurableRequest* request : group) request->done = true;
      durable_leader_ = false;
      durable_cv_.notify_all();
    }
    queue_lock.unlock();
    if (me.exception) std::rethrow_exception(me.exception);
    return me.result;
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

  struct DurableRequest {
    const std::function<Status(Connection&)>* fn = nullptr;
    Status result = Ok{};
    std::exception_ptr exception;
    bool done = false;  // guarded by durable_mu_
  };

  // One transaction, one sync, for a group of durable writes.
  void CommitGroup(const std::vector<DurableRequest*>& group) {
    auto fail_all = [&](const Error& error) {
      for (DurableRequest* request : group) {
        if (!request->exception) request->result = error;
      }
    };
    std::unique_lock lock(writer_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) {
      ++writer_waits_;
      if (!lock.try_lock_for(std::chrono::milliseconds(options_.acquire_timeout_ms))) {
        fail_all(Error::Unavailable("The database is busy; try again shortly."));
        return;
      }
    }
    ++writer_acquired_;
    WriterTenure tenure(*this);
    if (Status st = writer_->ExecScript("PRAGMA synchronous=FULL"); !st.ok()) return fail_all(st.error());
    if (Status st = writer_->Begin("BEGIN IMMEDIATE"); !st.ok()) {
      fail_all(st.error());
    } else {
      for (DurableRequest* request : group) {
        Status st = writer_->Savepoint("durable_write");
        if (st.ok()) {
          try {
            st = (*request->fn)(*writer_);
          } catch (...) {
            request->exception = std::current_exception();
            st = Error::Internal("A database error occurred.");
          }
        }
        if (!st.ok()) {
          // Undo this callback's work alone; the savepoint itself stays harmlessly.
          Status undone = writer_->RollbackToSavepoint("durable_write");
          if (!undone.ok()) spdlog::error("sqlite: a failed durable write could not be undone alone");
        }
        Status released = writer_->ReleaseSavepoint("durable_write");
        if (!released.ok() && st.ok()) st = released;
        request->result = st;
      }
      Status committed = writer_->Commit();
      if (!committed.ok()) {
        writer_->Rollback();
        for (DurableRequest* request : group) {
          if (request->result.ok()) request->result = committed;
        }
      }
    }
    Status back = writer_->ExecScript("PRAGMA synchronous=NORMAL");
    if (!back.ok()) spdlog::error("sqlite: synchronous=NORMAL not restored after a durable write");
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
  // The queue of durable writes waiting for a group commit.
  std::mutex durable_mu_;
  std::condition_variable durable_cv_;
  std::vector<DurableRequest*> durable_queue_;  // guarded by durable_mu_
  bool durable_leader_ = false;                 // guarded by durable_mu_
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
