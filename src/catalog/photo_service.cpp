#include "catalog/photo_service.hpp"

#include "catalog/change_log.hpp"
#include "core/ids.hpp"

#include <spdlog/spdlog.h>
#include <vips/vips8>

#include <cstring>
#include <mutex>

namespace nongsan::catalog {
namespace {

// Random bytes in a photo key: unguessable names, so an unpublished
// product's photos cannot be found by counting.
constexpr std::size_t kPhotoKeyBytes = 12;

}  // namespace

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

std::string TakeBlob(VipsBlob* blob) {
  std::size_t length = 0;
  const void* data = vips_blob_get(blob, &length);
  std::string bytes(static_cast<const char*>(data), length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

}  // namespace

std::string PhotoFileName(const std::string& key, int width, std::string_view ext) {
  return key + "-" + std::to_string(width) + "." + std::string(ext);
}

Result<ProcessedPhoto> ProcessPhoto(std::string_view bytes) {
  if (bytes.size() > kMaxPhotoBytes) {
    Error e = Error::Invalid("A photo may be at most " + std::to_string(kMaxPhotoBytes >> 20) + " MB.");
    e.code = ErrorCode::kTooLarge;
    e.type = "payload_too_large";
    return e;
  }
  if (bytes.empty()) return InvalidImage("The upload is empty; send a JPEG, PNG or WebP photo.");
  if (!InitImageLibrary()) return Error::Unavailable("Photo processing is not available.");
  if (!IsAllowedLoader(vips_foreign_find_load_buffer(bytes.data(), bytes.size()))) {
    vips_error_clear();
    return InvalidImage("This file is not a JPEG, PNG or WebP photo.");
  }
  try {
    using vips::VImage;
    VImage source = VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                            VImage::option()
                                                ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                                ->set("fail_on", VIPS_FAIL_ON_ERROR));
    const std::int64_t width = source.width();
    const std::int64_t height = source.height();
    if (width > kMaxPhotoSide || height > kMaxPhotoSide || width * height > kMaxPhotoPixels) {
      return Error::Unprocessable("image_too_large", "The photo is " + std::to_string(width) + "×" +
                                                         std::to_string(height) + " pixels; at most " +
                                                         std::to_string(kMaxPhotoSide) + " on a side.");
    }
    // Reading every pixel once finds truncated and corrupt files before
    // anything is stored.
    (void)source.avg();

    ProcessedPhoto out;
    // EXIF orientations 5–8 turn the picture a quarter, so the shown width
    // is the stored height.
    const int orientation = source.get_typeof("orientation") != 0 ? source.get_int("orientation") : 1;
    const bool quarter_turn = orientation >= 5 && orientation <= 8;
    out.width = static_cast<int>(quarter_turn ? height : width);
    out.height = static_cast<int>(quarter_turn ? width : height);
    VipsBlob* input = vips_blob_new(nullptr, bytes.data(), bytes.size());
    try {
      for (int target : kPhotoWidths) {
        VImage image = VImage::thumbnail_buffer(input, target,
                                                VImage::option()
                                                    ->set("height", kMaxPhotoSide)
                                                    ->set("size", VIPS_SIZE_DOWN)
                                                    ->set("fail_on", VIPS_FAIL_ON_ERROR));
        if (image.interpretation() != VIPS_INTERPRETATION_sRGB &&
            image.interpretation() != VIPS_INTERPRETATION_B_W) {
          image = image.colourspace(VIPS_INTERPRETATION_sRGB);
        }
        out.renditions.push_back(
            {target, "webp", TakeBlob(image.webpsave_buffer(
                                 VImage::option()->set("Q", kWebpQuality)->set("strip", true)))});
        VImage opaque = image.has_alpha() ? image.flatten(VImage::option()->set("background", 255.0)) : image;
        out.renditions.push_back(
            {target, "jpg", TakeBlob(opaque.jpegsave_buffer(VImage::option()
                                                               ->set("Q", kJpegQuality)
                                                               ->set("strip", true)
                                                               ->set("interlace", true)))});
      }
    } catch (...) {
      vips_area_unref(VIPS_AREA(input));
      throw;
    }
    vips_area_unref(VIPS_AREA(input));
    return out;
  } catch (const vips::VError& e) {
    spdlog::info("photo refused by libvips: {}", e.what());
    vips_error_clear();
    return InvalidImage("The photo could not be read: it is damaged, truncated or not a JPEG, PNG or WebP image.");
  }
}

Result<Photo> PhotoService::Add(const Principal* principal, std::int64_t product_id, std::string_view bytes) {
  TRY_ASSIGN(Product product, catalog_.GetForManage(principal, product_id));
  if (static_cast<int>(product.photos.size()) >= kMaxPhotosPerProduct) {
    return Error::Conflict("too_many_photos",
                           "A product may have at most " + std::to_string(kMaxPhotosPerProduct) + " photos.");
  }
  TRY_ASSIGN(ProcessedPhoto processed, ProcessPhoto(bytes));
  Photo photo;
  photo.key = ids::RandomToken(kPhotoKeyBytes);
  photo.width = processed.width;
  photo.height = processed.height;
  std::vector<std::string> written;
  auto cleanup = [&] {
    for (const auto& name : written) (void)storage_.Delete(name);
  };
  for (const auto& r : processed.renditions) {
    const std::string name = PhotoFileName(photo.key, r.width, r.ext);
    if (Status st = storage_.Put(name, r.bytes); !st.ok()) {
      cleanup();
      return std::move(st).error();
    }
    written.push_back(name);
  }
  const std::int64_t now = clock_.NowMs();
  auto inserted = db_.Write([&](db::Connection& c) -> Result<Photo> {
    TRY_ASSIGN(std::int64_t count, c.QueryInt("SELECT COUNT(*) FROM catalog_photos WHERE product_id = ?",
                                              {product_id}));
    if (count >= kMaxPhotosPerProduct) {
      return Error::Conflict("too_many_photos",
                             "A product may have at most " + std::to_string(kMaxPhotosPerProduct) + " photos.");
    }
    TRY_ASSIGN(std::int64_t position, c.QueryInt("SELECT COALESCE(MAX(position), 0) + 1 FROM catalog_photos "
                                                 "WHERE product_id = ?",
                                                 {product_id}));
    Photo p = photo;
    p.position = static_cast<int>(position);
    TRY_ASSIGN(p.id, c.QueryInt("INSERT INTO catalog_photos (product_id, storage_key, position, width, height, "
                                "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                {product_id, p.key, position, std::int64_t{p.width}, std::int64_t{p.height}, now}));
    TRY(c.Exec("UPDATE catalog_products SET cover_photo = ?, updated_at = ? WHERE id = ? AND cover_photo = ''",
               {p.key, now, product_id}));
    TRY(LogProductChange(c, product_id, now));
    return p;
  });
  if (!inserted.ok()) {
    cleanup();
    return std::move(inserted).error();
  }
  catalog_.NotifyChanged();
  return std::move(inserted).value();
}

Status PhotoService::Remove(const Principal* principal, std::int64_t product_id, std::int64_t photo_id) {
  TRY_ASSIGN(Product product, catalog_.GetForManage(principal, product_id));
  const std::int64_t now = clock_.NowMs();
  std::string key;
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT storage_key FROM catalog_photos WHERE id = ? AND product_id = ?",
                                    {photo_id, product_id}));
    if (!row) return Error::NotFound("photo");
    key = row->Text(0);
    TRY(c.Exec("DELETE FROM catalog_photos WHERE id = ?", {photo_id}));
    TRY(c.Exec("UPDATE catalog_products SET cover_photo = COALESCE((SELECT storage_key FROM catalog_photos "
               "WHERE product_id = ? ORDER BY position, id LIMIT 1), ''), updated_at = ? WHERE id = ?",
               {product_id, now, product_id}));
    return LogProductChange(c, product_id, now);
  }));
  for (int width : kPhotoWidths) {
    (void)storage_.Delete(PhotoFileName(key, width, "webp"));
    (void)storage_.Delete(PhotoFileName(key, width, "jpg"));
  }
  catalog_.NotifyChanged();
  return Ok{};
}

Result<std::string> PhotoService::ReadFile(const std::string& name) const {
  if (!IsPhotoFileName(name)) return Error::NotFound("photo");
  return storage_.Get(name);
}

}  // namespace nongsan::catalog
