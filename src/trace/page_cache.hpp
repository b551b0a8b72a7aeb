// Rendered provenance pages kept for anonymous visitors, who are nearly all
// the people scanning a pack: the page is the same for all of them, so the
// resolver renders it once per lot version and serves the copy for a short
// while. The resolver's keys carry the lot's updated_at and status, its newest
// captured event and its product context's generation, so a hold, recall,
// captured event, product change or certificate decision shows at once; a
// shop's own details may lag by at most kPageCacheTtl. Oldest entries go
// first when it is full.
// Thread-safety: all methods take the cache's mutex.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nongsan::trace {

inline constexpr std::chrono::seconds kPageCacheTtl{30};
// A provenance page is ~6 KB: about 12 MB at most.
inline constexpr std::size_t kPageCacheEntries = 2000;

// Which keys were asked for lately, so that a caller can keep a page only on
// its second request: a stream of different lots (a million, each scanned
// now and then) then costs no copies, and a lot scanned again is kept from
// its second scan on. One hash a slot, overwritten by the next key that
// falls there; lock-free.
inline constexpr std::size_t kSeenSlots = std::size_t{1} << 14;

class SeenKeys {
 public:
  // Whether `key` was seen since its slot was last taken; records it.
  bool SeenBefore(std::string_view key);

 private:
  std::array<std::atomic<std::uint64_t>, kSeenSlots> slots_{};
};

class PageCache {
 public:
  std::optional<std::string> Get(const std::string& key);
  void Put(const std::string& key, std::string html);

 private:
  struct Entry {
    std::string html;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::deque<std::string> order_;                   // insertion order, guarded by mu_
};

}  // namespace nongsan::trace
