#include "images/image_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <mutex>
#include <optional>
#include <vips/vips8>

#include "images/decode_pool.hpp"

namespace nongsan::images {

bool InitImageLibrary() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    if (VIPS_INIT("nongsan") != 0) {
      spdlog::error("libvips failed to start: {}", vips_error_buffer());
      vips_error_clear();
      return;
    }
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    ok = true;
  });
  return ok;
}

namespace {

Error InvalidImage(std::string detail) { return Error::Unprocessable("invalid_image", std::move(detail)); }

// The loader libvips picks from the first bytes; only the three formats the
// issue allows are accepted, whatever the client's Content-Type says.
bool IsAllowedLoader(const char* loader) {
  if (loader == nullptr) return false;
  const std::string_view name(loader);
  return name.find("Jpeg") != std::string_view::npos || name.find("Png") != std::string_view::npos ||
         name.find("Webp") != std::string_view::npos;
}

// Every metadata block a camera or editor leaves: EXIF (with GPS position
// and serial numbers), XMP, IPTC, ICC profiles (pixels are sRGB by now),
// comments and the orientation tag (already applied).
void StripMetadata(vips::VImage& image) {
  char** fields = vips_image_get_fields(image.get_image());
  for (char** f = fields; *f != nullptr; ++f) {
    const std::string_view name(*f);
    if (name.starts_with("exif-") || name.starts_with("xmp-") || name.starts_with("iptc-") ||
        name.starts_with("icc-") || name.starts_with("jpeg-") || name.starts_with("png-") ||
        name.starts_with("gif-") || name.starts_with("heif-") || name == "orientation") {
      image.remove(*f);
    }
  }
  g_strfreev(fields);
}

std::uint32_t ReadLe32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

void WriteLe32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// libvips 8.14 writes an EXIF chunk into every WebP, even with "strip" set
// and no metadata left on the image. Drops the EXIF, XMP and ICCP chunks
// from the RIFF container and clears their flags in the VP8X header.
std::string StripWebpChunks(std::string webp) {
  constexpr std::size_t kRiffHeader = 12;  // "RIFF" size "WEBP"
  constexpr std::size_t kChunkHeader = 8;  // FourCC, little-endian size
  constexpr unsigned char kIccExifXmpFlags = 0x20 | 0x08 | 0x04;
  if (webp.size() < kRiffHeader || webp.compare(0, 4, "RIFF") != 0 || webp.compare(8, 4, "WEBP") != 0)
    return webp;
  std::string out = webp.substr(0, kRiffHeader);
  std::size_t pos = kRiffHeader;
  while (pos + kChunkHeader <= webp.size()) {
    const std::string_view fourcc(webp.data() + pos, 4);
    const std::size_t padded = (ReadLe32(webp, pos + 4) + 1) & ~std::size_t{1};
    if (pos + kChunkHeader + padded > webp.size()) return webp;  // not what we expect: leave it
    if (fourcc != "EXIF" && fourcc != "XMP " && fourcc != "ICCP") {
      out.append(webp, pos, kChunkHeader + padded);
      if (fourcc == "VP8X") out[out.size() - padded] &= static_cast<char>(~kIccExifXmpFlags);
    }
    pos += kChunkHeader + padded;
  }
  WriteLe32(out, 4, static_cast<std::uint32_t>(out.size() - kChunkHeader));
  return out;
}

std::string TakeBlob(VipsBlob* blob) {
  std::size_t length = 0;
  const void* data = vips_blob_get(blob, &length);
  std::string bytes(static_cast<const char*>(data), length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

}  // namespace

Result<ProcessedImage> ProcessImage(std::string_view bytes, const RenditionSpec& spec) {
  if (bytes.empty()) return InvalidImage("The upload is empty; send a JPEG, PNG or WebP image.");
  if (!InitImageLibrary()) return Error::Unavailable("Image processing is not available.");
  if (!IsAllowedLoader(vips_foreign_find_load_buffer(bytes.data(), bytes.size()))) {
    vips_error_clear();
    return InvalidImage("This file is not a JPEG, PNG or WebP image.");
  }
  try {
    using vips::VImage;
    VImage source = VImage::new_from_buffer(
        bytes.data(), bytes.size(), "",
        VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL)->set("fail_on", VIPS_FAIL_ON_ERROR));
    const std::int64_t width = source.width();
    const std::int64_t height = source.height();
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels) {
      return Error::Unprocessable(
          "image_too_large", "The image is " + std::to_string(width) + "×" + std::to_string(height) +
                                 " pixels; at most " + std::to_string(kMaxImageSide) + " on a side and " +
                                 std::to_string(kMaxImagePixels / 1'000'000) + " million pixels in all.");
    }
    // Reading every pixel once finds truncated and corrupt files before
    // anything is stored.
    (void)source.avg();

    ProcessedImage out;
    // EXIF orientations 5–8 turn the picture a quarter, so the shown width
    // is the stored height.
    const int orientation = source.get_typeof("orientation") != 0 ? source.get_int("orientation") : 1;
    const bool quarter_turn = orientation >= 5 && orientation <= 8;
    out.width = static_cast<int>(quarter_turn ? height : width);
    out.height = static_cast<int>(quarter_turn ? width : height);
    VipsBlob* input = vips_blob_new(nullptr, bytes.data(), bytes.size());
    try {
      for (int target : spec.widths) {
        VImage image = VImage::thumbnail_buffer(input, target,
                                                VImage::option()
                                                    ->set("height", kMaxImageSide)
                                                    ->set("size", VIPS_SIZE_DOWN)
                                                    ->set("fail_on", VIPS_FAIL_ON_ERROR));
        if (image.interpretation() != VIPS_INTERPRETATION_sRGB &&
            image.interpretation() != VIPS_INTERPRETATION_B_W) {
          image = image.colourspace(VIPS_INTERPRETATION_sRGB);
        }
        // Into memory (at most 1080 px wide): the pipeline reads its source
        // sequentially and is saved twice. The private copy's metadata can
        // then be dropped field by field, which does not depend on each
        // saver honouring "strip".
        image = image.copy_memory();
        StripMetadata(image);
        if (spec.webp) {
          out.renditions.push_back(
              {target, "webp",
               StripWebpChunks(TakeBlob(image.webpsave_buffer(
                   VImage::option()->set("Q", spec.webp_quality)->set("strip", true))))});
        }
        if (spec.jpeg) {
          VImage opaque =
              image.has_alpha() ? image.flatten(VImage::option()->set("background", 255.0)) : image;
          out.renditions.push_back({target, "jpg",
                                    TakeBlob(opaque.jpegsave_buffer(VImage::option()
                                                                        ->set("Q", spec.jpeg_quality)
                                                                        ->set("strip", true)
                                                                        ->set("interlace", true)))});
        }
      }
    } catch (...) {
      vips_area_unref(VIPS_AREA(input));
      throw;
    }
    vips_area_unref(VIPS_AREA(input));
    return out;
  } catch (const vips::VError& e) {
    spdlog::info("image refused by libvips: {}", e.what());
    vips_error_clear();
    return InvalidImage(
        "The image could not be read: it is damaged, truncated or not a JPEG, PNG or WebP image.");
  }
}

Result<std::string> ShrinkStoredJpeg(std::string_view jpeg, int width, int quality) {
  if (!InitImageLibrary()) return Error::Unavailable("Image processing is not available.");
  try {
    using vips::VImage;
    VipsBlob* input = vips_blob_new(nullptr, jpeg.data(), jpeg.size());
    std::string out;
    try {
      VImage image = VImage::thumbnail_buffer(input, width, VImage::option()->set("size", VIPS_SIZE_DOWN));
      out = TakeBlob(image.jpegsave_buffer(VImage::option()->set("Q", quality)->set("strip", true)));
    } catch (...) {
      vips_area_unref(VIPS_AREA(input));
      throw;
    }
    vips_area_unref(VIPS_AREA(input));
    return out;
  } catch (const vips::VError& e) {
    vips_error_clear();
    return InvalidImage("A stored photo could not be read.");
  }
}

Result<ProcessedImage> ProcessImageInPool(std::string_view bytes, const RenditionSpec& spec) {
  std::optional<Result<ProcessedImage>> result;
  TRY(DecodePool::Default().Run([&] { result.emplace(ProcessImage(bytes, spec)); }));
  return std::move(*result);
}

}  // namespace nongsan::images
