#include "catalog/photo_storage.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/ids.hpp"

namespace nongsan::catalog {
namespace {

constexpr std::size_t kMaxPhotoFileNameBytes = 64;

}  // namespace

bool IsPhotoFileName(std::string_view name) {
  if (name.empty() || name.size() > kMaxPhotoFileNameBytes) return false;
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view ext = name.substr(dot + 1);
  if (ext != "webp" && ext != "jpg") return false;
  for (char c : name.substr(0, dot)) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status DirectoryPhotoStorage::Put(const std::string& name, std::string_view bytes) {
  namespace fs = std::filesystem;
  if (!IsPhotoFileName(name)) return Error::Internal("refusing to store a photo under an unsafe name");
  std::error_code ec;
  fs::create_directories(directory_, ec);
  if (ec) {
    spdlog::error("cannot create photo directory {}: {}", directory_, ec.message());
    return Error::Unavailable("Photo storage is not available.");
  }
  const fs::path final_path = fs::path(directory_) / name;
  const fs::path temp_path = fs::path(directory_) / ("." + name + "." + ids::RandomToken(6) + ".tmp");
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      fs::remove(temp_path, ec);
      spdlog::error("cannot write photo {}", temp_path.string());
      return Error::Unavailable("Photo storage is not available.");
    }
  }
  fs::rename(temp_path, final_path, ec);
  if (ec) {
    fs::remove(temp_path, ec);
    spdlog::error("cannot move photo into place {}: {}", final_path.string(), ec.message());
    return Error::Unavailable("Photo storage is not available.");
  }
  return Ok{};
}

Status DirectoryPhotoStorage::Copy(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  if (!IsPhotoFileName(from) || !IsPhotoFileName(to)) {
    return Error::Internal("refusing to store a photo under an unsafe name");
  }
  std::error_code ec;
  fs::create_hard_link(fs::path(directory_) / from, fs::path(directory_) / to, ec);
  if (!ec) return Ok{};
  return PhotoStorage::Copy(from, to);
}

Result<std::string> DirectoryPhotoStorage::Get(const std::string& name) const {
  if (!IsPhotoFileName(name)) return Error::NotFound("photo");
  std::ifstream in(std::filesystem::path(directory_) / name, std::ios::binary);
  if (!in) return Error::NotFound("photo");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

Status DirectoryPhotoStorage::Delete(const std::string& name) {
  if (!IsPhotoFileName(name)) return Ok{};
  std::error_code ec;
  std::filesystem::remove(std::filesystem::path(directory_) / name, ec);
  if (ec) spdlog::warn("cannot delete photo {}: {}", name, ec.message());
  return Ok{};
}

}  // namespace nongsan::catalog
