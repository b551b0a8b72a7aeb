// A PDF being drawn: cairo's PDF surface writing into memory, its context,
// and pango layouts set up for print (unhinted metrics at 72 units per inch,
// so what is measured is what is drawn). Shared by labels and catalogues.
// One per document; not thread-safe (nothing needs it to be).
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "core/result.hpp"

namespace nongsan::printing {

inline constexpr double kPointsPerMm = 72.0 / 25.4;
inline double Mm(double mm) { return mm * kPointsPerMm; }

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

class PdfCanvas {
 public:
  // Pages of width × height points; `title` goes into the document's metadata.
  PdfCanvas(double width, double height, const std::string& title);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  cairo_t* cr() { return cr_; }
  // A layout in `font` (a pango description: "Noto Sans Bold 11") of `size`
  // points, wrapping at `width` points (0: no wrapping).
  LayoutPtr Layout(const char* font, double size, double width) const;
  // Ends the page being drawn.
  void NextPage() { cairo_show_page(cr_); }
  // The finished document.
  Result<std::string> Finish();

 private:
  std::string bytes_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* pango_ = nullptr;
};

// Sets the font and size of a layout (the description's family and weight,
// an absolute size in points).
void SetFont(PangoLayout* layout, const char* font, double size);
// The layout's logical height in points.
double LayoutHeight(PangoLayout* layout);

}  // namespace nongsan::printing
