// A QR code (error correction level M, libqrencode) drawn as SVG: one path of
// unit squares on a white ground with the quiet zone ISO/IEC 18004 asks for,
// scaled by whoever shows it. Shared by every module that prints a QR code
// (trace's pack labels, quality's certificate pages, payments' VietQR).
// Pure function; qrencode is used per call with no shared state, so this is
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan::images {

// The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4).
inline constexpr int kQrQuietZoneModules = 4;

Result<std::string> QrSvg(std::string_view text);

}  // namespace nongsan::images
