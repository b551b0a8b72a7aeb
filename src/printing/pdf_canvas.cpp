#include "printing/pdf_canvas.hpp"

#include <cairo-pdf.h>

namespace nongsan::printing {
namespace {

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

PdfCanvas::PdfCanvas(double width, double height, const std::string& title) {
  surface_ = cairo_pdf_surface_create_for_stream(&AppendBytes, &bytes_, width, height);
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "nongsan");
  cr_ = cairo_create(surface_);
  // Metrics unhinted: a PDF is printed at any resolution, so the layout
  // measured here must be the layout drawn.
  pango_ = pango_cairo_create_context(cr_);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(pango_, options);
  cairo_font_options_destroy(options);
  pango_cairo_context_set_resolution(pango_, 72.0);
}

PdfCanvas::~PdfCanvas() {
  if (pango_) g_object_unref(pango_);
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

LayoutPtr PdfCanvas::Layout(const char* font, double size, double width) const {
  LayoutPtr layout(pango_layout_new(pango_), &g_object_unref);
  SetFont(layout.get(), font, size);
  if (width > 0) {
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  }
  return layout;
}

Result<std::string> PdfCanvas::Finish() {
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);
  const cairo_status_t status = cairo_surface_status(surface_);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Error::Internal(std::string("PDF drawing failed: ") + cairo_status_to_string(status));
  }
  return std::move(bytes_);
}

void SetFont(PangoLayout* layout, const char* font, double size) {
  PangoFontDescription* description = pango_font_description_from_string(font);
  pango_font_description_set_absolute_size(description, size * PANGO_SCALE);
  pango_layout_set_font_description(layout, description);
  pango_font_description_free(description);
}

double LayoutHeight(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return static_cast<double>(logical.height) / PANGO_SCALE;
}

}  // namespace nongsan::printing
