#include "catalog/photo_service.hpp"

#include "catalog/change_log.hpp"
#include "core/ids.hpp"

namespace nongsan::catalog {
namespace {

// Random bytes in a photo key: unguessable names, so an unpublished
// product's photos cannot be found by counting.
constexpr std::size_t kPhotoKeyBytes = 12;

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
  images::RenditionSpec spec;
  spec.widths.assign(kPhotoWidths.begin(), kPhotoWidths.end());
  spec.webp_quality = kWebpQuality;
  spec.jpeg_quality = kJpegQuality;
  return images::ProcessImageInPool(bytes, spec);
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
    TRY_ASSIGN(std::int64_t count,
               c.QueryInt("SELECT COUNT(*) FROM catalog_photos WHERE product_id = ?", {product_id}));
    if (count >= kMaxPhotosPerProduct) {
      return Error::Conflict("too_many_photos", "A product may have at most " +
                                                    std::to_string(kMaxPhotosPerProduct) + " photos.");
    }
    TRY_ASSIGN(std::int64_t position, c.QueryInt("SELECT COALESCE(MAX(position), 0) + 1 FROM catalog_photos "
                                                 "WHERE product_id = ?",
                                                 {product_id}));
    Photo p = photo;
    p.position = static_cast<int>(position);
    TRY_ASSIGN(p.id,
               c.QueryInt("INSERT INTO catalog_photos (product_id, storage_key, position, width, height, "
                          "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                          {product_id, p.key, position, std::int64_t{p.width}, std::int64_t{p.height}, now}));
    TRY(c.Exec(
        "UPDATE catalog_products SET cover_photo = ?, updated_at = ? WHERE id = ? AND cover_photo = ''",
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
    TRY(
        c.Exec("UPDATE catalog_products SET cover_photo = COALESCE((SELECT storage_key FROM catalog_photos "
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
