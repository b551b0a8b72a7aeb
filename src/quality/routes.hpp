// The quality module's HTTP surface: the JSON API under /api/v1 (certificates,
// badges, the register and its CSV export, reviews, complaints, enforcement,
// reputation, shop notices) and the two public pages meant for consumers —
// the register (/chat-luong) and each certificate's verification page at its
// short code (/c/{code}, with a printable QR code at /c/{code}/qr.svg).
// Handlers only parse, call the services and shape JSON or HTML.
#pragma once

#include <cstddef>

#include "http/router.hpp"
#include "quality/evidence.hpp"
#include "quality/quality_module.hpp"

namespace nongsan::quality {

// A certificate submitted with its evidence inline (base64 in JSON): room for
// two files at the size limit; more files go through the upload endpoint.
inline constexpr std::size_t kSubmitMaxBody = 2 * (kMaxEvidenceBytes * 4 / 3 + 4) + 64 * 1024;
// One raw evidence upload.
inline constexpr std::size_t kEvidenceUploadMaxBody = kMaxEvidenceBytes;
// A review with its photos inline (base64 in JSON).
inline constexpr std::size_t kReviewMaxBody =
    kMaxReviewPhotos * (kMaxReviewPhotoBytes * 4 / 3 + 4) + 64 * 1024;
// Other JSON bodies (decisions, replies, complaints).
inline constexpr std::size_t kSmallMaxBody = 16 * 1024;

void AddRoutes(http::Router& router, QualityModule& quality);

}  // namespace nongsan::quality
