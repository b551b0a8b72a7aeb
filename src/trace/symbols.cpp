#include "trace/symbols.hpp"

#include <pango/pangocairo.h>
#include <qrencode.h>
#include <zint.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "catalog/gtin.hpp"
#include "core/text.hpp"
#include "images/qr_svg.hpp"

namespace nongsan::trace {
namespace {

using ZintSymbol = std::unique_ptr<zint_symbol, decltype(&ZBarcode_Delete)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

std::string Num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(v));
  return buf;
}

cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Result<std::string> SurfacePng(cairo_surface_t* surface) {
  std::string png;
  if (cairo_surface_write_to_png_stream(surface, &AppendPng, &png) != CAIRO_STATUS_SUCCESS) {
    return Error::Internal("PNG encoding failed");
  }
  return png;
}

// The symbology zint draws a GTIN of this length with.
int SymbologyFor(std::string_view gtin) {
  switch (gtin.size()) {
    case 8:
    case 13:
      return BARCODE_EANX;
    case 12:
      return BARCODE_UPCA;
    default:
      return BARCODE_ITF14;
  }
}

std::string BarcodeSvg(const zint_vector& v) {
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(v.width) + "\" height=\"" +
                    Num(v.height) + "\" viewBox=\"0 0 " + Num(v.width) + " " + Num(v.height) + "\">";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (const zint_vector_rect* r = v.rectangles; r != nullptr; r = r->next) {
    svg += "M" + Num(r->x) + "," + Num(r->y) + "h" + Num(r->width) + "v" + Num(r->height) + "h-" +
           Num(r->width) + "z";
  }
  svg += "\"/>";
  for (const zint_vector_string* s = v.strings; s != nullptr; s = s->next) {
    const char* anchor = s->halign == 1 ? "start" : s->halign == 2 ? "end" : "middle";
    svg += "<text x=\"" + Num(s->x) + "\" y=\"" + Num(s->y) +
           "\" font-family=\"OCR-B, Helvetica, sans-serif\" " + "font-size=\"" + Num(s->fsize) +
           "\" text-anchor=\"" + anchor + "\" fill=\"#000\">" +
           text::HtmlEscape(std::string_view(reinterpret_cast<const char*>(s->text), s->length)) + "</text>";
  }
  svg += "</svg>\n";
  return svg;
}

Result<std::string> BitmapPng(const zint_symbol& symbol) {
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, symbol.bitmap_width, symbol.bitmap_height),
                  &cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Error::Internal("image allocation failed");
  cairo_surface_flush(surface.get());
  unsigned char* pixels = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < symbol.bitmap_height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(pixels + y * stride);
    for (int x = 0; x < symbol.bitmap_width; ++x) {
      const unsigned char* rgb = symbol.bitmap + 3 * (y * symbol.bitmap_width + x);
      row[x] = (std::uint32_t{rgb[0]} << 16) | (std::uint32_t{rgb[1]} << 8) | rgb[2];
    }
  }
  cairo_surface_mark_dirty(surface.get());
  return SurfacePng(surface.get());
}

using QrPtr = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

Result<QrPtr> EncodeQr(std::string_view text) {
  const std::string input(text);
  QrPtr qr(QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) return Error::Internal("QR encoding failed");
  return qr;
}

// Fills the dark modules of `qr` (and nothing else) on `cr` with its quiet
// zone at x, y, `module` units per module.
void FillQrModules(cairo_t* cr, const QRcode& qr, double x, double y, double module) {
  for (int row = 0; row < qr.width; ++row) {
    for (int col = 0; col < qr.width; ++col) {
      if (qr.data[row * qr.width + col] & 1) {
        cairo_rectangle(cr, x + (col + kQrQuietZoneModules) * module,
                        y + (row + kQrQuietZoneModules) * module, module, module);
      }
    }
  }
  cairo_fill(cr);
}

}  // namespace

Result<std::string> GtinBarcode(std::string_view gtin, ImageFormat format) {
  if (auto problem = catalog::gtin::Problem(gtin)) return Error::Field("gtin", *problem);
  ZintSymbol symbol(ZBarcode_Create(), &ZBarcode_Delete);
  if (!symbol) return Error::Internal("barcode allocation failed");
  symbol->symbology = SymbologyFor(gtin);
  symbol->show_hrt = 1;
  symbol->scale = format == ImageFormat::kPng ? static_cast<float>(kBarcodePngScale) : 1.0f;
  // zint adds the check digit itself (already validated above).
  const std::string data(gtin.substr(0, gtin.size() - 1));
  const auto* source = reinterpret_cast<const unsigned char*>(data.data());
  const int length = static_cast<int>(data.size());
  if (format == ImageFormat::kSvg) {
    if (ZBarcode_Encode_and_Buffer_Vector(symbol.get(), source, length, 0) >= ZINT_ERROR) {
      return Error::Internal(std::string("barcode drawing failed: ") + symbol->errtxt);
    }
    return BarcodeSvg(*symbol->vector);
  }
  if (ZBarcode_Encode_and_Buffer(symbol.get(), source, length, 0) >= ZINT_ERROR) {
    return Error::Internal(std::string("barcode drawing failed: ") + symbol->errtxt);
  }
  return BitmapPng(*symbol);
}

Result<std::string> QrCode(std::string_view text, ImageFormat format) {
  if (format == ImageFormat::kSvg) return images::QrSvg(text);
  TRY_ASSIGN(QrPtr qr, EncodeQr(text));
  const int width = qr->width;
  const int size = width + 2 * kQrQuietZoneModules;
  const int px = size * kQrPngModulePixels;
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, px, px), &cairo_surface_destroy);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), &cairo_destroy);
  cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  FillQrModules(cr.get(), *qr, 0, 0, kQrPngModulePixels);
  cairo_surface_flush(surface.get());
  return SurfacePng(surface.get());
}

Status DrawQrCode(cairo_t* cr, std::string_view text, double x, double y, double size) {
  TRY_ASSIGN(QrPtr qr, EncodeQr(text));
  const double module = size / (qr->width + 2 * kQrQuietZoneModules);
  cairo_save(cr);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  FillQrModules(cr, *qr, x, y, module);
  cairo_restore(cr);
  return Ok{};
}

Status DrawGtinBarcode(cairo_t* cr, std::string_view gtin, double x, double y, double width, double height,
                       const char* digits_font) {
  if (auto problem = catalog::gtin::Problem(gtin)) return Error::Field("gtin", *problem);
  ZintSymbol symbol(ZBarcode_Create(), &ZBarcode_Delete);
  if (!symbol) return Error::Internal("barcode allocation failed");
  symbol->symbology = SymbologyFor(gtin);
  symbol->show_hrt = 1;
  const std::string data(gtin.substr(0, gtin.size() - 1));
  if (ZBarcode_Encode_and_Buffer_Vector(symbol.get(), reinterpret_cast<const unsigned char*>(data.data()),
                                        static_cast<int>(data.size()), 0) >= ZINT_ERROR) {
    return Error::Internal(std::string("barcode drawing failed: ") + symbol->errtxt);
  }
  const zint_vector& v = *symbol->vector;
  // zint's own proportions, stretched to the box: the bars' widths (what a
  // scanner reads) scale with the width, their height with the box.
  const double sx = width / v.width;
  const double sy = height / v.height;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, width, height);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (const zint_vector_rect* r = v.rectangles; r != nullptr; r = r->next) {
    cairo_rectangle(cr, x + r->x * sx, y + r->y * sy, r->width * sx, r->height * sy);
  }
  cairo_fill(cr);
  for (const zint_vector_string* s = v.strings; s != nullptr; s = s->next) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_from_string(digits_font);
    pango_font_description_set_absolute_size(font, s->fsize * std::min(sx, sy) * PANGO_SCALE);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_text(layout, reinterpret_cast<const char*>(s->text), s->length);
    int text_w = 0, text_h = 0;
    pango_layout_get_size(layout, &text_w, &text_h);
    const double tw = static_cast<double>(text_w) / PANGO_SCALE;
    const double th = static_cast<double>(text_h) / PANGO_SCALE;
    // zint's x is the anchor (centre unless halign says start/end); y the baseline.
    double left = x + s->x * sx - (s->halign == 1 ? 0 : s->halign == 2 ? tw : tw / 2);
    cairo_move_to(cr, left, y + s->y * sy - th * 0.8);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(font);
    g_object_unref(layout);
  }
  cairo_restore(cr);
  return Ok{};
}

}  // namespace nongsan::trace
