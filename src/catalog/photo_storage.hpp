// Where product photo files live. PhotoService writes each re-encoded size
// under a name it makes up (key-width.ext) and the /photos/{name} route reads
// it back. The interface is small so object storage can replace the local
// directory later without touching the rest of the catalogue.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan::catalog {

class PhotoStorage {
 public:
  virtual ~PhotoStorage() = default;
  // Stores bytes under name, replacing nothing: names are unique by design.
  virtual Status Put(const std::string& name, std::string_view bytes) = 0;
  // kNotFound when there is no such file.
  virtual Result<std::string> Get(const std::string& name) const = 0;
  // Deleting a missing file is not an error.
  virtual Status Delete(const std::string& name) = 0;
  // Stores the bytes of `from` under `to` too (the demo's shared drawings);
  // deleting either later leaves the other. By default Get then Put.
  virtual Status Copy(const std::string& from, const std::string& to) {
    TRY_ASSIGN(std::string bytes, Get(from));
    return Put(to, bytes);
  }
};

// Files in one directory (created on first write). A file is written to a
// temporary name and renamed into place, so a reader never sees half a photo.
class DirectoryPhotoStorage final : public PhotoStorage {
 public:
  explicit DirectoryPhotoStorage(std::string directory) : directory_(std::move(directory)) {}
  Status Put(const std::string& name, std::string_view bytes) override;
  Result<std::string> Get(const std::string& name) const override;
  Status Delete(const std::string& name) override;
  // A hard link (no bytes copied); a copy where links are not possible.
  Status Copy(const std::string& from, const std::string& to) override;
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

// True for names PhotoService makes ("Ab3_x-480.webp"): letters, digits,
// '-' and '_', then one of the photo extensions. Anything else (a path, "..")
// is refused before the storage is asked.
bool IsPhotoFileName(std::string_view name);

}  // namespace nongsan::catalog
