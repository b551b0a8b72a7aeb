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

Result<std::vector<std::string>> PhotoService::PutRenditions(const std::string& key,
                                                             const ProcessedPhoto& processed) {
  std::vector<std::string> written;
  for (const auto& r : processed.renditions) {
    const std::string name = PhotoFileName(key, r.width, r.ext);
    if (Status st = storage_.Put(name, r.bytes); !st.ok()) {
      for (const auto& done : written) (void)storage_.Delete(done);
      return std::move(st).error();
    }
    written.push_back(name);
  }
  return written;
}

void PhotoService::DeleteFiles(const std::string& key) {
  for (int width : kPhotoWidths) {
    (void)storage_.Delete(PhotoFileName(key, width, "webp"));
    (void)storage_.Delete(PhotoFileName(key, width, "jpg"));
  }
}

Result<Photo> PhotoService::Insert(std::int64_t product_id, Photo photo,
                                   const std::vector<std::string>& files, const std::string& staged_key) {
  const std::int64_t now = clock_.NowMs();
  auto inserted = db_.Write([&](db::Connection& c) -> Result<Photo> {
    TRY_ASSIGN(std::int64_t count,
               c.QueryInt("SELECT COUNT(*) FROM catalog_photos WHERE product_id = ?", {product_id}));
    if (count >= kMaxPhotosPerProduct) {
      return Error::Conflict("too_many_photos", "A product may have at most " +
                                                    std::to_string(kMaxPhotosPerProduct) + " photos.");
    }
    if (!staged_key.empty()) {
      // Claimed once: two tabs sending the same token attach it once.
      TRY_ASSIGN(std::int64_t claimed,
                 c.Exec("DELETE FROM catalog_pending_photos WHERE storage_key = ?", {staged_key}));
      if (claimed == 0) return Error::NotFound("photo");
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
    // A staged photo keeps its files until it is attached or expires.
    if (staged_key.empty()) {
      for (const auto& name : files) (void)storage_.Delete(name);
    }
    return std::move(inserted).error();
  }
  catalog_.NotifyChanged();
  return std::move(inserted).value();
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
  TRY_ASSIGN(std::vector<std::string> files, PutRenditions(photo.key, processed));
  return Insert(product_id, std::move(photo), files, "");
}

void PhotoService::SweepStaged() {
  const std::int64_t cutoff = clock_.NowMs() - kStagedPhotoTtlMs;
  std::vector<std::string> expired;
  Status st = db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT storage_key FROM catalog_pending_photos WHERE created_at < ? "
                                      "ORDER BY created_at LIMIT ?",
                                      {cutoff, std::int64_t{kStagedPhotoSweep}}));
    for (const auto& row : rows) {
      TRY(c.Exec("DELETE FROM catalog_pending_photos WHERE storage_key = ?", {row.Text(0)}));
      expired.push_back(row.Text(0));
    }
    return Ok{};
  });
  if (!st.ok()) return;  // tried again on the next stage
  for (const auto& key : expired) DeleteFiles(key);
}

Result<StagedPhoto> PhotoService::Stage(const Principal* principal, std::string_view bytes) {
  if (!principal) return Error::Unauthorized();
  SweepStaged();
  TRY_ASSIGN(ProcessedPhoto processed, ProcessPhoto(bytes));
  StagedPhoto staged{ids::RandomToken(kPhotoKeyBytes), processed.width, processed.height};
  TRY_ASSIGN(std::vector<std::string> files, PutRenditions(staged.key, processed));
  Status recorded = db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(
        c.Exec("INSERT INTO catalog_pending_photos (storage_key, user_id, width, height, created_at) "
               "VALUES (?, ?, ?, ?, ?)",
               {staged.key, principal->user_id, std::int64_t{staged.width}, std::int64_t{staged.height},
                clock_.NowMs()}));
    return Ok{};
  });
  if (!recorded.ok()) {
    for (const auto& name : files) (void)storage_.Delete(name);
    return std::move(recorded).error();
  }
  return staged;
}

Result<StagedPhoto> PhotoService::FindStaged(const Principal* principal, const std::string& key) const {
  if (!principal || key.empty()) return Error::NotFound("photo");
  const std::int64_t cutoff = clock_.NowMs() - kStagedPhotoTtlMs;
  return db_.Read([&](db::Connection& c) -> Result<StagedPhoto> {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT width, height FROM catalog_pending_photos WHERE storage_key = ? "
                                    "AND user_id = ? AND created_at >= ?",
                                    {key, principal->user_id, cutoff}));
    if (!row) return Error::NotFound("photo");
    return StagedPhoto{key, static_cast<int>(row->Int(0)), static_cast<int>(row->Int(1))};
  });
}

Result<Photo> PhotoService::AttachStaged(const Principal* principal, std::int64_t product_id,
                                         const std::string& key) {
  TRY_ASSIGN(Product product, catalog_.GetForManage(principal, product_id));
  TRY_ASSIGN(StagedPhoto staged, FindStaged(principal, key));
  Photo photo;
  photo.key = staged.key;
  photo.width = staged.width;
  photo.height = staged.height;
  return Insert(product.id, std::move(photo), {}, staged.key);
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
  DeleteFiles(key);
  catalog_.NotifyChanged();
  return Ok{};
}

Result<std::string> PhotoService::ReadFile(const std::string& name) const {
  if (!IsPhotoFileName(name)) return Error::NotFound("photo");
  return storage_.Get(name);
}

}  // namespace nongsan::catalog
