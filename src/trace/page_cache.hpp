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

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace nongsan::trace {

inline constexpr std::chrono::seconds kPageCacheTtl{30};
// A provenance page is ~6 KB: about 12 MB at most.
inline constexpr std::size_t kPageCacheEntries = 2000;

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
