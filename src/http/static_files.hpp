// Serves the files under one directory (web/static) for GET/HEAD /static/…:
// no path traversal (dot segments, dotfiles and symlinks leading outside the
// root are refused), content type by extension, a strong ETag from the
// content hash with If-None-Match → 304, and long-lived caching when the URL
// carries a `?v=` version. Small files are kept in memory and revalidated
// against size and mtime on every request, so edits show up without restart.
//
// Thread-safety: Serve may be called from any thread; the cache is guarded
// by a shared mutex.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/request.hpp"

namespace nongsan::http {

inline constexpr std::string_view kStaticPrefix = "/static/";
// Files up to this size are cached in memory, up to kStaticCacheMaxBytes in all.
inline constexpr std::size_t kStaticCacheMaxFileBytes = 256 * 1024;
inline constexpr std::size_t kStaticCacheMaxBytes = 32 * 1024 * 1024;
// Larger files are not served at all: responses are built in memory.
inline constexpr std::size_t kStaticMaxFileBytes = 64 * 1024 * 1024;
inline constexpr std::string_view kStaticVersionedCacheControl = "public, max-age=31536000, immutable";
inline constexpr std::string_view kStaticCacheControl = "public, max-age=3600";

class StaticFiles {
 public:
  // An empty root disables static serving.
  explicit StaticFiles(const std::string& root);
  ~StaticFiles();

  bool enabled() const { return !root_.empty(); }

  // `relative` is the percent-decoded path after kStaticPrefix.
  Response Serve(const Request& request, std::string_view relative) const;

 private:
  struct File;
  std::shared_ptr<const File> Load(const std::string& relative) const;

  std::filesystem::path root_;  // canonical
  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const File>> cache_;
  mutable std::size_t cache_bytes_ = 0;
};

// Content type for a file name by its extension; application/octet-stream if unknown.
std::string_view ContentTypeForPath(std::string_view path);

}  // namespace nongsan::http
