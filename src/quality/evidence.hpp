// Uploaded files the quality module keeps: certificate evidence (a PDF scan
// or a photo of the paper certificate) and review photos. A file is accepted
// by what its bytes are, never by its name or declared Content-Type: the
// magic bytes and the format's basic structure (PDF header and %%EOF trailer,
// PNG IHDR/IEND chunks, JPEG SOI/EOI markers, a consistent WebP RIFF header)
// must check out, so an HTML page or an executable renamed "giay-chung-nhan.pdf"
// is refused. An image is then decoded and re-encoded as a JPEG by the shared
// image pipeline (images/image_pipeline.hpp), as product photos are: pixel
// limits against decompression bombs, EXIF GPS and camera data stripped,
// never the uploaded bytes stored. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan::quality {

// A scan of a certificate at 300 dpi fits easily; larger files are refused
// rather than stored in the database.
inline constexpr std::size_t kMaxEvidenceBytes = 5 * 1024 * 1024;
// Evidence files per certificate (front, back, annex, product list…).
inline constexpr std::size_t kMaxEvidenceFiles = 5;
// Review photos are phone pictures, downscaled by the app before upload.
inline constexpr std::size_t kMaxReviewPhotoBytes = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxReviewPhotos = 3;
// Widths images are kept at (never enlarged): a review photo as a phone shows
// it; an evidence image as an A4 page scanned at 300 dpi, so it stays legible.
inline constexpr int kReviewPhotoWidth = 1080;
inline constexpr int kEvidenceImageWidth = 2480;
// Smallest file that can be a real PDF or image; anything shorter is refused
// before structure checks read past its end.
inline constexpr std::size_t kMinUploadBytes = 16;

enum class FileKind { kPdf, kJpeg, kPng, kWebp };

std::string_view ContentTypeOf(FileKind kind);  // "application/pdf", "image/jpeg", …
bool IsImage(FileKind kind);

// What the bytes are, or nullopt when they are not a well-formed-looking PDF,
// JPEG, PNG or WebP.
std::optional<FileKind> SniffFile(std::string_view bytes);

enum class AllowedFiles { kPdfOrImage, kImageOnly };

struct CheckedFile {
  FileKind kind = FileKind::kPdf;
  std::string bytes;
  std::string sha256;  // hex
};

// Checks an upload: size within max_bytes, content a PDF or image as
// allowed, and, when the client declared a Content-Type, the declared type
// matching the content (a PNG sent as application/pdf is a forgery too).
// An image comes back re-encoded as a JPEG at most `image_width` wide.
// `field` names the input in the error ("evidence[0]"): kInvalid with field
// errors, kTooLarge, or kRateLimited when the image pool is busy.
Result<CheckedFile> CheckUpload(std::string bytes, std::optional<std::string_view> declared_type,
                                std::size_t max_bytes, AllowedFiles allowed, int image_width,
                                const std::string& field);

// Decodes standard base64 (whitespace ignored; an optional "data:…;base64,"
// prefix is accepted so browsers can send FileReader output as is). Refuses
// input that would decode to more than max_decoded bytes before decoding it.
Result<std::string> DecodeBase64(std::string_view text, std::size_t max_decoded, const std::string& field);

}  // namespace nongsan::quality
