#include "http/static_files.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <mutex>
#include <system_error>

#include "http/encoding.hpp"

namespace nongsan::http {

namespace fs = std::filesystem;

namespace {

struct ContentTypeEntry {
  std::string_view extension;
  std::string_view content_type;
};

constexpr ContentTypeEntry kContentTypes[] = {
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
};

// Every segment must be a plain name: no "", ".", "..", no dotfiles (.env,
// .git), no backslashes or NULs that a platform might read as separators.
bool IsSafeRelativePath(std::string_view relative) {
  if (relative.empty()) return false;
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t slash = relative.find('/', start);
    const std::string_view segment =
        relative.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty() || segment.front() == '.') return false;
    if (segment.find('\\') != std::string_view::npos) return false;
    if (segment.find('\0') != std::string_view::npos) return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

// FNV-1a 64: not cryptographic, but the ETag only has to change when the
// content does, and it stays the same across deploys and machines.
std::uint64_t Fnv1a(std::string_view data) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

bool IsWithin(const fs::path& root, const fs::path& candidate) {
  auto root_it = root.begin();
  auto candidate_it = candidate.begin();
  for (; root_it != root.end(); ++root_it, ++candidate_it) {
    if (candidate_it == candidate.end() || *root_it != *candidate_it) return false;
  }
  return candidate_it != candidate.end();
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    std::string_view candidate = if_none_match.substr(0, comma);
    if_none_match = comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
    if (candidate == "*" || candidate == etag) return true;
  }
  return false;
}

Response NotFound(const Request& request) { return Response::Problem(Error::NotFound("file"), request.path); }

}  // namespace

struct StaticFiles::File {
  std::string content;
  std::string etag;
  std::string_view content_type;
  std::uintmax_t size = 0;
  fs::file_time_type mtime;
};

std::string_view ContentTypeForPath(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string extension = AsciiLower(path.substr(dot + 1));
  for (const auto& entry : kContentTypes) {
    if (entry.extension == extension) return entry.content_type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) {
  if (root.empty()) return;
  std::error_code ec;
  root_ = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec || root_.empty()) {
    spdlog::warn("static directory {} cannot be resolved: {}", root, ec.message());
    root_ = fs::absolute(root);
  }
}

StaticFiles::~StaticFiles() = default;

std::shared_ptr<const StaticFiles::File> StaticFiles::Load(const std::string& relative) const {
  const fs::path full = root_ / relative;
  std::error_code ec;
  const fs::file_status status = fs::status(full, ec);
  if (ec || !fs::is_regular_file(status)) return nullptr;
  const std::uintmax_t size = fs::file_size(full, ec);
  if (ec) return nullptr;
  const fs::file_time_type mtime = fs::last_write_time(full, ec);
  if (ec) return nullptr;

  {
    std::shared_lock lock(cache_mutex_);
    const auto it = cache_.find(relative);
    if (it != cache_.end() && it->second->size == size && it->second->mtime == mtime) {
      return it->second;
    }
  }

  // Only on a miss: resolve symlinks and make sure the file is really inside
  // the root (the lexical check cannot see a symlink pointing outside).
  const fs::path canonical = fs::canonical(full, ec);
  if (ec || !IsWithin(root_, canonical)) return nullptr;
  if (size > kStaticMaxFileBytes) {
    spdlog::warn("static file {} is {} bytes, above the {} byte limit", relative, size, kStaticMaxFileBytes);
    return nullptr;
  }
  std::ifstream in(canonical, std::ios::binary);
  if (!in) return nullptr;
  auto file = std::make_shared<File>();
  file->content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return nullptr;
  file->size = size;
  file->mtime = mtime;
  file->content_type = ContentTypeForPath(relative);
  file->etag = fmt::format("\"{:016x}-{:x}\"", Fnv1a(file->content), file->content.size());

  if (file->content.size() <= kStaticCacheMaxFileBytes) {
    std::unique_lock lock(cache_mutex_);
    auto& slot = cache_[relative];
    const std::size_t old_bytes = slot ? slot->content.size() : 0;
    cache_bytes_ -= old_bytes;
    if (cache_bytes_ + file->content.size() <= kStaticCacheMaxBytes) {
      cache_bytes_ += file->content.size();
      slot = file;
    } else {
      cache_.erase(relative);
    }
  }
  return file;
}

Response StaticFiles::Serve(const Request& request, std::string_view relative) const {
  if (!enabled() || !IsSafeRelativePath(relative)) return NotFound(request);
  const auto file = Load(std::string(relative));
  if (!file) return NotFound(request);

  const bool versioned = request.Query("v").has_value();
  const std::string cache_control(versioned ? kStaticVersionedCacheControl : kStaticCacheControl);
  const auto if_none_match = request.Header("if-none-match");
  if (if_none_match && EtagMatches(*if_none_match, file->etag)) {
    Response not_modified;
    not_modified.status = 304;
    not_modified.content_type.clear();
    not_modified.SetHeader("ETag", file->etag);
    not_modified.SetHeader("Cache-Control", cache_control);
    return not_modified;
  }
  Response response = Response::Text(200, file->content, std::string(file->content_type));
  response.SetHeader("ETag", file->etag);
  response.SetHeader("Cache-Control", cache_control);
  return response;
}

}  // namespace nongsan::http
