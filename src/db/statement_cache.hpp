// A small least-recently-used cache of prepared statements keyed by SQL text,
// used by both backends. Preparing a statement costs a parse and a plan (and a
// network round trip on PostgreSQL); domain SQL is a fixed set of constants, so
// after warm-up every statement is a cache hit. The capacity bound only guards
// against SQL that is built dynamically (e.g. IN lists of varying length).
//
// Thread-safety: none. Each cache belongs to exactly one connection, which is
// used by one thread at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace nongsan::db {

template <typename Handle>
class StatementCache {
 public:
  // `release` frees a handle that falls out of the cache (or on Clear()).
  StatementCache(std::size_t capacity, std::function<void(Handle&)> release)
      : capacity_(capacity < 1 ? 1 : capacity), release_(std::move(release)) {}
  ~StatementCache() { Clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The cached handle for sql, marked most recently used; nullptr on a miss.
  Handle* Find(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Adds a handle for sql (which must not be cached yet), evicting the least
  // recently used entry when full. Returns the stored handle.
  Handle& Insert(std::string_view sql, Handle handle) {
    if (index_.size() >= capacity_) Evict();
    order_.emplace_front(std::string(sql), std::move(handle));
    index_.emplace(order_.front().first, order_.begin());
    return order_.front().second;
  }

  // Releases and forgets one entry (e.g. a statement the engine invalidated).
  void Erase(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return;
    release_(it->second->second);
    order_.erase(it->second);
    index_.erase(it);
  }

  // Releases every handle.
  void Clear() {
    for (auto& entry : order_) release_(entry.second);
    order_.clear();
    index_.clear();
  }

  // Forgets every handle without releasing it (the engine already dropped them,
  // e.g. after a PostgreSQL reconnect).
  void Forget() {
    order_.clear();
    index_.clear();
  }

  std::size_t size() const { return index_.size(); }

 private:
  void Evict() {
    auto& victim = order_.back();
    release_(victim.second);
    index_.erase(victim.first);
    order_.pop_back();
  }

  // Lets lookups take a string_view without building a std::string per query.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Entry = std::pair<std::string, Handle>;
  std::size_t capacity_;
  std::function<void(Handle&)> release_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator, Hash, std::equal_to<>> index_;
};

}  // namespace nongsan::db
