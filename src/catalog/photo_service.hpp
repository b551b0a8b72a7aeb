// Product photos: an upload is decoded with libvips (JPEG, PNG or WebP only;
// anything else, a truncated file or absurd dimensions are refused), then
// re-encoded at each of kPhotoWidths as WebP and JPEG with every metadata
// block (EXIF location, camera serials) stripped, stored through
// PhotoStorage and recorded in catalog_photos. The product's first photo is
// its cover (denormalised into catalog_products.cover_photo for listings).
//
// Thread-safety: safe from any thread. libvips is initialised once per
// process with its operation cache off (request buffers are reused memory,
// so cached results keyed on them would be wrong) and one worker thread per
// operation (the machine's cores belong to the request threads).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_service.hpp"
#include "catalog/photo_storage.hpp"
#include "catalog/product.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

inline constexpr std::size_t kMaxPhotoBytes = 8 * 1024 * 1024;
// A phone photo is at most ~8000 px on a side; more is a decompression bomb
// or a scan nobody needs at this size.
inline constexpr int kMaxPhotoSide = 12'000;
inline constexpr std::int64_t kMaxPhotoPixels = 60'000'000;
inline constexpr std::array<int, 3> kPhotoWidths = {160, 480, 1080};
inline constexpr int kMaxPhotosPerProduct = 10;
inline constexpr int kWebpQuality = 80;
inline constexpr int kJpegQuality = 82;

struct Rendition {
  int width = 0;    // the size it was made for (the image may be smaller)
  std::string ext;  // "webp" | "jpg"
  std::string bytes;
};

struct ProcessedPhoto {
  int width = 0;  // source, after EXIF orientation
  int height = 0;
  std::vector<Rendition> renditions;
};

// Starts libvips once per process (ProcessPhoto calls it too); false when it
// cannot start.
bool InitImageLibrary();

// Decodes, checks and re-encodes an upload. kUnprocessable "invalid_image"
// (not an image, unsupported format, truncated, corrupt) or "image_too_large"
// (dimensions), kTooLarge for more than kMaxPhotoBytes.
Result<ProcessedPhoto> ProcessPhoto(std::string_view bytes);

// File name of one rendition: "<key>-<width>.<ext>".
std::string PhotoFileName(const std::string& key, int width, std::string_view ext);

class PhotoService {
 public:
  PhotoService(db::Database& db, const Clock& clock, CatalogService& catalog, PhotoStorage& storage)
      : db_(db), clock_(clock), catalog_(catalog), storage_(storage) {}

  // Adds a photo to a product the principal manages (appended after the others).
  Result<Photo> Add(const Principal* principal, std::int64_t product_id, std::string_view bytes);
  // Removes a photo of a product the principal manages, and its files.
  Status Remove(const Principal* principal, std::int64_t product_id, std::int64_t photo_id);
  // The bytes of one stored file, for GET /photos/{name}.
  Result<std::string> ReadFile(const std::string& name) const;

 private:
  db::Database& db_;
  const Clock& clock_;
  CatalogService& catalog_;
  PhotoStorage& storage_;
};

}  // namespace nongsan::catalog
