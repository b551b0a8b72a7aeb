// Drawing the symbols printed on packs: a GTIN as its linear barcode (EAN-13,
// EAN-8, UPC-A or ITF-14 for GTIN-14, drawn by zint, human-readable digits
// included) and a URI as a QR code (libqrencode), each as SVG or PNG.
// Pure functions; zint and qrencode are used per call with no shared state,
// so these are thread-safe.
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan::trace {

// Pixels per module in PNG output: a 300-dpi label printer prints an EAN-13
// module of 0.33 mm at about 4 px, and zbar reads 2 px modules reliably.
inline constexpr int kBarcodePngScale = 2;
inline constexpr int kQrPngModulePixels = 8;
// The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4).
inline constexpr int kQrQuietZoneModules = 4;

enum class ImageFormat { kSvg, kPng };

// The barcode of a valid GTIN (8, 12, 13 or 14 digits). kInvalid otherwise.
Result<std::string> GtinBarcode(std::string_view gtin, ImageFormat format);

// A QR code (error correction level M) of `text`.
Result<std::string> QrCode(std::string_view text, ImageFormat format);

// The same symbols drawn onto any cairo surface (the printing module's PDF
// labels and catalogues), in the surface's units, from the same zint and
// qrencode output as the images above.
//
// The GTIN's bars and digits fill the box x, y, width × height (bars
// stretched to the height, digits in `digits_font`, a pango font
// description such as "Noto Sans"); kInvalid for a bad GTIN.
Status DrawGtinBarcode(cairo_t* cr, std::string_view gtin, double x, double y, double width, double height,
                       const char* digits_font);
// A QR code of `text` with its quiet zone as a size × size square at x, y.
Status DrawQrCode(cairo_t* cr, std::string_view text, double x, double y, double size);

}  // namespace nongsan::trace
