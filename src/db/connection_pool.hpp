// A bounded pool of database connections shared by the SQLite readers and the
// PostgreSQL backend. Connections are opened lazily up to max_size; a caller
// that finds them all lent out waits on a condition variable (counted in
// PoolStats::waits) for at most the acquire timeout, then gets kUnavailable.
// A connection found broken is discarded by its lease instead of returned, so
// the next caller opens a fresh one.
//
// Thread-safety: all members are safe to call from any thread. A Lease is
// owned by one thread and must not outlive the pool.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::db {

template <typename Conn>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

  // Hands a connection back to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)),
          conn_(std::move(other.conn_)),
          discard_(other.discard_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr && conn_ != nullptr) pool_->Release(std::move(conn_), discard_);
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }
    // Close the connection instead of returning it (it is broken or in an
    // unknown transaction state).
    void Discard() { discard_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Conn> conn_;
    bool discard_ = false;
  };

  ConnectionPool(int max_size, std::chrono::milliseconds acquire_timeout, Factory factory)
      : max_size_(max_size < 1 ? 1 : max_size),
        acquire_timeout_(acquire_timeout),
        factory_(std::move(factory)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Adds an already-open connection (the one Open() makes to prove the
  // database is reachable) as the first idle one.
  void Seed(std::unique_ptr<Conn> conn) {
    std::lock_guard lock(mutex_);
    ++open_;
    idle_.push_back(std::move(conn));
  }

  Result<Lease> Acquire() {
    std::unique_lock lock(mutex_);
    bool counted_wait = false;
    const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
    while (true) {
      if (!idle_.empty()) {
        std::unique_ptr<Conn> conn = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        ++acquired_;
        return Lease(this, std::move(conn));
      }
      if (open_ < max_size_) {
        // Reserve the slot, then connect without holding the lock.
        ++open_;
        ++in_use_;
        lock.unlock();
        Result<std::unique_ptr<Conn>> made = factory_();
        lock.lock();
        if (!made.ok()) {
          --open_;
          --in_use_;
          available_.notify_one();  // a waiter may retry the slot we gave up
          return std::move(made).error();
        }
        ++acquired_;
        return Lease(this, std::move(made).value());
      }
      if (!counted_wait) {
        counted_wait = true;
        ++waits_;
      }
      if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= max_size_) {
        return Error::Unavailable("All " + std::to_string(max_size_) +
                                  " database connections are busy; try again shortly.");
      }
    }
  }

  PoolStats Stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{open_, in_use_, waits_, acquired_};
  }

 private:
  void Release(std::unique_ptr<Conn> conn, bool discard) {
    std::unique_ptr<Conn> doomed;  // closed after unlocking: closing may block
    {
      std::lock_guard lock(mutex_);
      --in_use_;
      if (discard) {
        --open_;
        doomed = std::move(conn);
      } else {
        idle_.push_back(std::move(conn));
      }
    }
    available_.notify_one();
  }

  const int max_size_;
  const std::chrono::milliseconds acquire_timeout_;
  const Factory factory_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  std::int64_t waits_ = 0;
  std::int64_t acquired_ = 0;
};

}  // namespace nongsan::db
