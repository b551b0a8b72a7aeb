#include "quality/evidence.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdint>

#include "core/ids.hpp"
#include "images/image_pipeline.hpp"

namespace nongsan::quality {
namespace {

constexpr std::string_view kPdfMagic = "%PDF-";
constexpr std::string_view kPdfEof = "%%EOF";
// PDF writers may put whitespace or a few bytes of garbage after %%EOF;
// readers look for it within the last kilobyte, and so do we.
constexpr std::size_t kTrailerWindow = 1024;
constexpr std::string_view kPngMagic = "\x89PNG\r\n\x1a\n";
constexpr std::string_view kPngIhdr = "IHDR";
constexpr std::string_view kPngIend = "IEND";
constexpr std::size_t kPngIhdrLength = 13;
constexpr std::size_t kPngHeaderBytes = 8 + 4 + 4 + kPngIhdrLength;  // signature, length, type, data
constexpr std::string_view kRiff = "RIFF";
constexpr std::string_view kWebp = "WEBP";
constexpr std::string_view kVp8 = "VP8";
constexpr std::size_t kRiffHeaderBytes = 8;  // "RIFF" + little-endian size
constexpr std::size_t kWebpMinBytes = 16;    // RIFF header, "WEBP", first chunk tag
constexpr std::string_view kDataUrlMarker = ";base64,";
constexpr const char* kBase64Ignore = " \t\r\n";

std::uint32_t BigEndian32(std::string_view s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

std::uint32_t LittleEndian32(std::string_view s, std::size_t at) {
  return std::uint32_t(std::uint8_t(s[at])) | (std::uint32_t(std::uint8_t(s[at + 1])) << 8) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 16) | (std::uint32_t(std::uint8_t(s[at + 3])) << 24);
}

std::string_view Tail(std::string_view s) {
  return s.size() > kTrailerWindow ? s.substr(s.size() - kTrailerWindow) : s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool LooksLikePdf(std::string_view b) {
  if (!b.starts_with(kPdfMagic) || b.size() < kPdfMagic.size() + 3) return false;
  // "%PDF-1.7", "%PDF-2.0"
  const std::size_t v = kPdfMagic.size();
  if (!IsDigit(b[v]) || b[v + 1] != '.' || !IsDigit(b[v + 2])) return false;
  return Tail(b).find(kPdfEof) != std::string_view::npos;
}

bool LooksLikePng(std::string_view b) {
  if (!b.starts_with(kPngMagic) || b.size() < kPngHeaderBytes) return false;
  if (BigEndian32(b, 8) != kPngIhdrLength || b.substr(12, 4) != kPngIhdr) return false;
  const std::uint32_t width = BigEndian32(b, 16);
  const std::uint32_t height = BigEndian32(b, 20);
  if (width == 0 || height == 0) return false;
  return Tail(b).find(kPngIend) != std::string_view::npos;
}

bool LooksLikeJpeg(std::string_view b) {
  if (b.size() < 4) return false;
  if (std::uint8_t(b[0]) != 0xFF || std::uint8_t(b[1]) != 0xD8 || std::uint8_t(b[2]) != 0xFF) return false;
  // The first segment is an APPn, a quantisation table, a frame header or a comment.
  const std::uint8_t marker = std::uint8_t(b[3]);
  const bool known_marker = (marker >= 0xE0 && marker <= 0xEF) || marker == 0xDB || marker == 0xFE ||
                            (marker >= 0xC0 && marker <= 0xC3) || marker == 0xC4;
  if (!known_marker) return false;
  constexpr std::string_view kEoi = "\xFF\xD9";
  return Tail(b).find(kEoi) != std::string_view::npos;
}

bool LooksLikeWebp(std::string_view b) {
  if (b.size() < kWebpMinBytes || !b.starts_with(kRiff) || b.substr(8, 4) != kWebp) return false;
  if (b.substr(12, 3) != kVp8) return false;
  const std::uint64_t riff_size = LittleEndian32(b, 4);
  return riff_size + kRiffHeaderBytes <= b.size();
}

std::string MiB(std::size_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; }

Error TooLarge(const std::string& field, std::size_t max_bytes) {
  Error e;
  e.code = ErrorCode::kTooLarge;
  e.type = "file_too_large";
  e.detail = field + ": the file is larger than " + MiB(max_bytes) + ".";
  e.fields.push_back({field, "larger than " + MiB(max_bytes)});
  return e;
}

// The stored form of an image: one JPEG from the shared pipeline. Its
// refusals become field errors, as the rest of the checks here are.
Result<std::string> Reencode(std::string_view bytes, int width, const std::string& field) {
  images::RenditionSpec spec;
  spec.widths = {width};
  spec.webp = false;
  auto processed = images::ProcessImageInPool(bytes, spec);
  if (!processed.ok()) {
    const Error& refused = processed.error();
    if (refused.code != ErrorCode::kUnprocessable) return refused;  // busy pool, no libvips
    Error e = Error::Field(field, refused.detail);
    e.type = refused.type;
    e.detail = field + ": " + refused.detail;
    return e;
  }
  return std::move(processed->renditions.front().bytes);
}

}  // namespace

std::string_view ContentTypeOf(FileKind kind) {
  switch (kind) {
    case FileKind::kPdf:
      return "application/pdf";
    case FileKind::kJpeg:
      return "image/jpeg";
    case FileKind::kPng:
      return "image/png";
    case FileKind::kWebp:
      return "image/webp";
  }
  return "application/octet-stream";
}

bool IsImage(FileKind kind) { return kind != FileKind::kPdf; }

std::optional<FileKind> SniffFile(std::string_view bytes) {
  if (bytes.size() < kMinUploadBytes) return std::nullopt;
  if (LooksLikePdf(bytes)) return FileKind::kPdf;
  if (LooksLikePng(bytes)) return FileKind::kPng;
  if (LooksLikeJpeg(bytes)) return FileKind::kJpeg;
  if (LooksLikeWebp(bytes)) return FileKind::kWebp;
  return std::nullopt;
}

Result<CheckedFile> CheckUpload(std::string bytes, std::optional<std::string_view> declared_type,
                                std::size_t max_bytes, AllowedFiles allowed, int image_width,
                                const std::string& field) {
  if (bytes.empty()) return Error::Field(field, "the file is empty");
  if (bytes.size() > max_bytes) {
    return TooLarge(field, max_bytes);
  }
  const auto kind = SniffFile(bytes);
  const bool allowed_kind = kind && (allowed == AllowedFiles::kPdfOrImage || IsImage(*kind));
  if (!allowed_kind) {
    const char* wanted = allowed == AllowedFiles::kPdfOrImage ? "a PDF or a JPEG, PNG or WebP image"
                                                              : "a JPEG, PNG or WebP image";
    Error e = Error::Field(field, std::string("the file is not ") + wanted);
    e.type = "unsupported_file";
    return e;
  }
  if (declared_type) {
    // Parameters such as "; charset=binary" do not change the type.
    std::string declared(declared_type->substr(0, declared_type->find(';')));
    declared.erase(std::remove(declared.begin(), declared.end(), ' '), declared.end());
    std::transform(declared.begin(), declared.end(), declared.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool jpeg_alias = declared == "image/jpg" && *kind == FileKind::kJpeg;
    if (!declared.empty() && declared != ContentTypeOf(*kind) && !jpeg_alias) {
      Error e = Error::Field(
          field, "declared as " + declared + " but the content is " + std::string(ContentTypeOf(*kind)));
      e.type = "unsupported_file";
      return e;
    }
  }
  CheckedFile out;
  out.kind = *kind;
  if (IsImage(*kind)) {
    TRY_ASSIGN(bytes, Reencode(bytes, image_width, field));
    out.kind = FileKind::kJpeg;
  }
  out.sha256 = ids::Sha256Hex(bytes);
  out.bytes = std::move(bytes);
  return out;
}

Result<std::string> DecodeBase64(std::string_view text, std::size_t max_decoded, const std::string& field) {
  if (text.starts_with("data:")) {
    const std::size_t marker = text.find(kDataUrlMarker);
    if (marker == std::string_view::npos) return Error::Field(field, "a data: URL must be base64-encoded");
    text.remove_prefix(marker + kDataUrlMarker.size());
  }
  // Four characters carry three bytes; refuse before allocating for a huge body.
  if (text.size() / 4 * 3 > max_decoded + 3 + text.size() / 64) {
    return TooLarge(field, max_decoded);
  }
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t out_len = 0;
  const char* end = nullptr;
  const int rc =
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        kBase64Ignore, &out_len, &end, sodium_base64_VARIANT_ORIGINAL);
  if (rc != 0 || end != text.data() + text.size()) return Error::Field(field, "not valid base64");
  out.resize(out_len);
  if (out.size() > max_decoded) {
    return TooLarge(field, max_decoded);
  }
  return out;
}

}  // namespace nongsan::quality
