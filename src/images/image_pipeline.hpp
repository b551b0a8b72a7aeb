// The one way an uploaded image is kept: decoded with libvips (JPEG, PNG or
// WebP only; anything else, a truncated file or absurd dimensions are
// refused), then re-encoded at the asked widths with every metadata block
// (EXIF location, camera serials, XMP, ICC, comments) stripped. Product
// photos, review photos and certificate evidence images all go through it,
// on the DecodePool's threads, never on a request thread.
//
// Thread-safety: safe from any thread. libvips is initialised once per
// process with its operation cache off (request buffers are reused memory,
// so cached results keyed on them would be wrong) and one worker thread per
// operation (the pool decides how many run at once).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::images {

// A phone photo is at most ~8000 px on a side; more is a decompression bomb
// or a scan nobody needs at this size.
inline constexpr int kMaxImageSide = 12'000;
inline constexpr std::int64_t kMaxImagePixels = 60'000'000;
inline constexpr int kDefaultWebpQuality = 80;
inline constexpr int kDefaultJpegQuality = 82;

struct Rendition {
  int width = 0;    // the size it was made for (the image may be smaller)
  std::string ext;  // "webp" | "jpg"
  std::string bytes;
};

struct ProcessedImage {
  int width = 0;  // source, after EXIF orientation
  int height = 0;
  std::vector<Rendition> renditions;  // per width: webp then jpg, as asked
};

struct RenditionSpec {
  std::vector<int> widths;  // each a bounding width; never enlarged
  bool webp = true;
  bool jpeg = true;
  int webp_quality = kDefaultWebpQuality;
  int jpeg_quality = kDefaultJpegQuality;
};

// Starts libvips once per process; false when it cannot start.
bool InitImageLibrary();

// Decodes, checks and re-encodes on the calling thread. kUnprocessable
// "invalid_image" (not an image, unsupported format, truncated, corrupt) or
// "image_too_large" (dimensions; the detail names both limits).
Result<ProcessedImage> ProcessImage(std::string_view bytes, const RenditionSpec& spec);

// A smaller JPEG of a JPEG this pipeline made itself (a stored rendition,
// already checked and stripped): shrink-on-load, one decode, no metadata.
// For output such as print; never for uploads, which go through ProcessImage.
Result<std::string> ShrinkStoredJpeg(std::string_view jpeg, int width, int quality);

// ProcessImage on DecodePool::Default(): kRateLimited when the pool is full.
Result<ProcessedImage> ProcessImageInPool(std::string_view bytes, const RenditionSpec& spec);

}  // namespace nongsan::images
