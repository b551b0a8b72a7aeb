// Product photos: an upload goes through the shared image pipeline
// (images/image_pipeline.hpp: decoded with libvips on the decode pool, limits
// on dimensions, re-encoded at each of kPhotoWidths as WebP and JPEG with
// every metadata block stripped), is stored through PhotoStorage and recorded
// in catalog_photos. The product's first photo is its cover (denormalised
// into catalog_products.cover_photo for listings).
//
// Thread-safety: safe from any thread.
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
#include "images/image_pipeline.hpp"

namespace nongsan::catalog {

inline constexpr std::size_t kMaxPhotoBytes = 8 * 1024 * 1024;
inline constexpr int kMaxPhotoSide = images::kMaxImageSide;
inline constexpr std::int64_t kMaxPhotoPixels = images::kMaxImagePixels;
inline constexpr std::array<int, 3> kPhotoWidths = {160, 480, 1080};
inline constexpr int kMaxPhotosPerProduct = 10;
inline constexpr int kWebpQuality = 80;
inline constexpr int kJpegQuality = 82;
// A photo chosen on a page form that came back with an error is kept this
// long, waiting for the corrected form (StagePhoto / AttachStaged).
inline constexpr std::int64_t kStagedPhotoTtlMs = 24LL * 60 * 60 * 1000;
// Expired staged photos removed per StagePhoto call (their files too).
inline constexpr int kStagedPhotoSweep = 20;

using Rendition = images::Rendition;

// A photo processed and stored for one person but not yet on a product: the
// key is an unguessable token the page form carries in a hidden field.
struct StagedPhoto {
  std::string key;
  int width = 0;
  int height = 0;
};
using ProcessedPhoto = images::ProcessedImage;

// Starts libvips once per process (ProcessPhoto calls it too); false when it
// cannot start.
inline bool InitImageLibrary() { return images::InitImageLibrary(); }

// Decodes, checks and re-encodes an upload on the decode pool.
// kUnprocessable "invalid_image" (not an image, unsupported format,
// truncated, corrupt) or "image_too_large" (dimensions), kTooLarge for more
// than kMaxPhotoBytes, kRateLimited when the decode pool is full.
Result<ProcessedPhoto> ProcessPhoto(std::string_view bytes);

// File name of one rendition: "<key>-<width>.<ext>".
std::string PhotoFileName(const std::string& key, int width, std::string_view ext);

class PhotoService {
 public:
  PhotoService(db::Database& db, const Clock& clock, CatalogService& catalog, PhotoStorage& storage)
      : db_(db), clock_(clock), catalog_(catalog), storage_(storage) {}

  // Adds a photo to a product the principal manages (appended after the others).
  Result<Photo> Add(const Principal* principal, std::int64_t product_id, std::string_view bytes);
  // Processes and stores a photo for the signed-in principal without a
  // product yet (a page form that may come back with an error keeps it).
  // The same errors as Add's processing; kUnauthenticated without a principal.
  Result<StagedPhoto> Stage(const Principal* principal, std::string_view bytes);
  // The principal's staged photo with this key, still within kStagedPhotoTtlMs;
  // kNotFound otherwise (another person's key is not found either).
  Result<StagedPhoto> FindStaged(const Principal* principal, const std::string& key) const;
  // Moves the principal's staged photo onto a product they manage (appended
  // after the others), without decoding it again.
  Result<Photo> AttachStaged(const Principal* principal, std::int64_t product_id, const std::string& key);
  // Removes a photo of a product the principal manages, and its files.
  Status Remove(const Principal* principal, std::int64_t product_id, std::int64_t photo_id);
  // The bytes of one stored file, for GET /photos/{name}.
  Result<std::string> ReadFile(const std::string& name) const;

 private:
  // Records processed renditions as the product's next photo; deletes the
  // files when the row cannot be written.
  Result<Photo> Insert(std::int64_t product_id, Photo photo, const std::vector<std::string>& files,
                       const std::string& staged_key);
  Result<std::vector<std::string>> PutRenditions(const std::string& key, const ProcessedPhoto& processed);
  void DeleteFiles(const std::string& key);
  void SweepStaged();

  db::Database& db_;
  const Clock& clock_;
  CatalogService& catalog_;
  PhotoStorage& storage_;
};

}  // namespace nongsan::catalog
