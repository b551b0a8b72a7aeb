#include "trace/page_cache.hpp"

#include <functional>

namespace nongsan::trace {

bool SeenKeys::SeenBefore(std::string_view key) {
  const std::uint64_t hash = std::hash<std::string_view>{}(key) | 1;  // 0: an empty slot
  auto& slot = slots_[hash % kSeenSlots];
  return slot.exchange(hash, std::memory_order_relaxed) == hash;
}

std::optional<std::string> PageCache::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires < std::chrono::steady_clock::now()) return std::nullopt;
  return it->second.html;
}

void PageCache::Put(const std::string& key, std::string html) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.insert_or_assign(
      key, Entry{std::move(html), std::chrono::steady_clock::now() + kPageCacheTtl});
  if (inserted) order_.push_back(key);
  while (entries_.size() > kPageCacheEntries && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace nongsan::trace
