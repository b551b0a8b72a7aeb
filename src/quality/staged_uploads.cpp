#include "quality/staged_uploads.hpp"

#include <vector>

#include "core/ids.hpp"
#include "core/text.hpp"
#include "images/image_pipeline.hpp"

namespace nongsan::quality {
namespace {

std::string_view PurposeName(StagedPurpose purpose) {
  return purpose == StagedPurpose::kEvidence ? "evidence" : "review_photo";
}

// The purpose's own limits, as its service checks a file sent directly.
Result<CheckedFile> CheckFor(StagedPurpose purpose, std::string bytes, std::optional<std::string> declared,
                             const std::string& field) {
  std::optional<std::string_view> declared_view;
  if (declared && !declared->empty()) declared_view = *declared;
  if (purpose == StagedPurpose::kEvidence) {
    return CheckUpload(std::move(bytes), declared_view, kMaxEvidenceBytes, AllowedFiles::kPdfOrImage,
                       kEvidenceImageWidth, field);
  }
  return CheckUpload(std::move(bytes), declared_view, kMaxReviewPhotoBytes, AllowedFiles::kImageOnly,
                     kReviewPhotoWidth, field);
}

// A name fit to show: the last path segment, valid UTF-8, not too long.
std::string ShownName(std::string name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
  if (!text::IsValidUtf8(name)) return "";
  if (name.size() > kStagedFileNameMax) {
    std::size_t cut = kStagedFileNameMax;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // not mid-character
    name.resize(cut);
  }
  return name;
}

Error Gone(const std::string& field) {
  Error e = Error::Field(field, "the file chosen earlier is no longer kept; choose it again");
  e.type = "staged_file_gone";
  return e;
}

}  // namespace

StagedUploads::StagedUploads(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

void StagedUploads::Sweep() {
  const std::int64_t cutoff = clock_.NowMs() - kStagedUploadTtlMs;
  // Best effort: whatever is left is removed by the next Stage.
  (void)db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT token FROM quality_staged_uploads WHERE created_at < ? "
                                      "ORDER BY created_at LIMIT ?",
                                      {cutoff, std::int64_t{kStagedUploadSweep}}));
    for (const auto& row : rows)
      TRY(c.Exec("DELETE FROM quality_staged_uploads WHERE token = ?", {row.Text(0)}));
    return Ok{};
  });
}

Result<StagedUpload> StagedUploads::Stage(const Principal* principal, StagedPurpose purpose,
                                          std::string bytes, std::optional<std::string> declared_type,
                                          std::string file_name, const std::string& field) {
  if (!principal) return Error::Unauthorized();
  Sweep();
  TRY_ASSIGN(CheckedFile checked, CheckFor(purpose, std::move(bytes), std::move(declared_type), field));
  StagedUpload staged;
  staged.token = ids::RandomToken(kStagedTokenBytes);
  staged.file_name = ShownName(std::move(file_name));
  staged.content_type = std::string(ContentTypeOf(checked.kind));
  staged.byte_size = static_cast<std::int64_t>(checked.bytes.size());
  if (IsImage(checked.kind)) {
    images::RenditionSpec spec;
    spec.widths = {kStagedThumbWidth};
    spec.webp = false;
    // The stored form already decoded once; a thumbnail that cannot be made
    // only leaves the form without a picture.
    if (auto thumb = images::ProcessImageInPool(checked.bytes, spec); thumb.ok()) {
      staged.thumbnail = std::move(thumb->renditions.front().bytes);
    }
  }
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY(c.Exec(
        "INSERT INTO quality_staged_uploads (token, user_id, purpose, file_name, content_type, byte_size, "
        "sha256, data, thumbnail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {staged.token, principal->user_id, std::string(PurposeName(purpose)), staged.file_name,
         staged.content_type, staged.byte_size, checked.sha256, checked.bytes,
         staged.thumbnail.empty() ? db::Value{} : db::Value{staged.thumbnail}, clock_.NowMs()}));
    return Ok{};
  }));
  return staged;
}

Result<StagedUpload> StagedUploads::Find(const Principal* principal, StagedPurpose purpose,
                                         const std::string& token) const {
  if (!principal || token.empty()) return Error::NotFound("staged file");
  const std::int64_t cutoff = clock_.NowMs() - kStagedUploadTtlMs;
  return db_.Read([&](db::Connection& c) -> Result<StagedUpload> {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT file_name, content_type, byte_size, thumbnail FROM quality_staged_uploads "
                          "WHERE token = ? AND user_id = ? AND purpose = ? AND created_at >= ?",
                          {token, principal->user_id, std::string(PurposeName(purpose)), cutoff}));
    if (!row) return Error::NotFound("staged file");
    return StagedUpload{token, row->Text(0), row->Text(1), row->Int(2), row->Text(3)};
  });
}

Result<CheckedFile> StagedUploads::Load(const Principal* principal, StagedPurpose purpose,
                                        const std::string& token, const std::string& field) const {
  if (!principal || token.empty()) return Gone(field);
  const std::int64_t cutoff = clock_.NowMs() - kStagedUploadTtlMs;
  return db_.Read([&](db::Connection& c) -> Result<CheckedFile> {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT content_type, sha256, data FROM quality_staged_uploads "
                                    "WHERE token = ? AND user_id = ? AND purpose = ? AND created_at >= ?",
                                    {token, principal->user_id, std::string(PurposeName(purpose)), cutoff}));
    if (!row) return Gone(field);
    CheckedFile file;
    // Stored forms are a PDF or a re-encoded JPEG (CheckUpload).
    file.kind = row->Text(0) == ContentTypeOf(FileKind::kPdf) ? FileKind::kPdf : FileKind::kJpeg;
    file.sha256 = row->Text(1);
    file.bytes = row->Text(2);
    return file;
  });
}

Status StagedUploads::Claim(db::Connection& c, const Principal& principal, StagedPurpose purpose,
                            const std::string& token, const std::string& field) {
  TRY_ASSIGN(std::int64_t claimed,
             c.Exec("DELETE FROM quality_staged_uploads WHERE token = ? AND user_id = ? AND purpose = ?",
                    {token, principal.user_id, std::string(PurposeName(purpose))}));
  if (claimed == 0) return Gone(field);
  return Ok{};
}

}  // namespace nongsan::quality
