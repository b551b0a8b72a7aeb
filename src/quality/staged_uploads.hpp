// Files chosen on a page form that came back with an error (a bad date, no
// stars), kept for the corrected form so nobody has to choose them again:
// certificate evidence and review photos. A file is checked (CheckUpload)
// once, when staged, and kept in its stored form for kStagedUploadTtlMs under
// an unguessable token the form carries in a hidden field. Only the person
// who staged it can see or use it, and using it claims it inside the same
// transaction that stores the certificate or review, so a token works once.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/evidence.hpp"

namespace nongsan::quality {

// Long enough for someone to look up a certificate's date and come back.
inline constexpr std::int64_t kStagedUploadTtlMs = 24LL * 60 * 60 * 1000;
// Expired staged files removed per Stage call.
inline constexpr int kStagedUploadSweep = 20;
// The thumbnail the form shows beside "Đã đính kèm" (images only).
inline constexpr int kStagedThumbWidth = 160;
// Random bytes in a token (hex-encoded in the form).
inline constexpr int kStagedTokenBytes = 24;
// A file name is shown, not trusted; longer ones are cut.
inline constexpr std::size_t kStagedFileNameMax = 120;

// What a staged file is for: it decides the checks and where it may be used.
enum class StagedPurpose { kEvidence, kReviewPhoto };

struct StagedUpload {
  std::string token;
  std::string file_name;     // as the browser sent it, for "Đã đính kèm: …"
  std::string content_type;  // of the stored form ("application/pdf", "image/jpeg")
  std::int64_t byte_size = 0;
  std::string thumbnail;  // a small JPEG for an image, "" for a PDF
};

class StagedUploads {
 public:
  StagedUploads(db::Database& db, const Clock& clock);

  // Checks a file as the purpose's form would (size, real type, image
  // re-encoded) and keeps it for the principal. `field` names the input in
  // the error: CheckUpload's errors, kUnauthenticated without a principal.
  Result<StagedUpload> Stage(const Principal* principal, StagedPurpose purpose, std::string bytes,
                             std::optional<std::string> declared_type, std::string file_name,
                             const std::string& field);
  // The principal's staged file with this token, within kStagedUploadTtlMs;
  // kNotFound otherwise (someone else's token is not found either).
  Result<StagedUpload> Find(const Principal* principal, StagedPurpose purpose,
                            const std::string& token) const;
  // The stored form of the file, for a service about to store it; a field
  // error on `field` when the token is not (or no longer) the principal's.
  Result<CheckedFile> Load(const Principal* principal, StagedPurpose purpose, const std::string& token,
                           const std::string& field) const;
  // Removes the file inside the caller's write transaction; a field error on
  // `field` when it was already used (two tabs sending one token).
  static Status Claim(db::Connection& c, const Principal& principal, StagedPurpose purpose,
                      const std::string& token, const std::string& field);

 private:
  void Sweep();

  db::Database& db_;
  const Clock& clock_;
};

}  // namespace nongsan::quality
