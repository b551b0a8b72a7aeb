// Drawing product labels as vector PDF: cairo's PDF surface, text laid out by
// pango in Noto Sans (fontconfig finds Debian's fonts-noto-core; cairo embeds
// the subsets it uses), the EAN-13 and QR drawn by trace's symbol helpers.
//
// A label is a text block (name, then one paragraph per label field) on the
// left and, when there is a lot, its QR on the right; the EAN-13 sits under
// the text when the product has a GTIN. The text starts at the size's largest
// font and shrinks in kFontStepPt steps down to kMinFontPt; what still does
// not fit is refused (422) naming the field to shorten.
//
// Pure functions over their input; each call has its own surfaces, so they
// are thread-safe (pango's default font map is per thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "printing/pdf_canvas.hpp"

namespace nongsan::printing {

// The smallest text a label prints (legible on a pack; the minimum).
inline constexpr double kMinFontPt = 6.0;
inline constexpr double kFontStepPt = 0.5;
// Labels one request may print: 500 is about 14 A4 sheets of the smallest
// size, a day's packing for a cooperative; more is a batch job, not a request.
inline constexpr int kMaxCopies = 500;
inline constexpr double kA4WidthMm = 210.0;
inline constexpr double kA4HeightMm = 297.0;
// The font the labels print in, with a fallback that has the OCOP star.
inline constexpr const char* kLabelFont = "Noto Sans, Noto Sans Symbols2";

// A label size and the A4 label stock it prints on (docs/printing.md).
struct LabelSize {
  const char* name;  // as the API names it: "50x30"
  double width_mm;
  double height_mm;
  double max_font_pt;  // the text's starting size
  // A4 stock: columns × rows of labels, the sheet's margins to the first label.
  int a4_columns;
  int a4_rows;
  double a4_left_mm;
  double a4_top_mm;
  int per_sheet() const { return a4_columns * a4_rows; }
};
const std::vector<LabelSize>& LabelSizes();
const LabelSize* FindLabelSize(std::string_view name);

enum class Sheet { kSingle, kA4 };
std::optional<Sheet> ParseSheet(std::string_view name);

// One paragraph of the label's text; `field` names it in a 422 when the
// label cannot hold it.
struct LabelLine {
  std::string field;
  std::string caption;  // bold lead-in, "Thành phần:"; "" for none
  std::string text;
  // Short facts share a paragraph ("Định lượng: 500 g · HSD: …"): on a
  // small label a paragraph break costs most of a line.
  bool joins_previous = false;
};

// Everything a label shows, already worded (the service decides what).
struct LabelContent {
  std::string name;
  std::vector<LabelLine> lines;
  std::optional<std::string> gtin;    // drawn as its barcode
  std::optional<std::string> qr_uri;  // drawn as a QR code
  std::optional<int> ocop_stars;
};

// The PDF: one label per page (kSingle, page = the label) or the labels laid
// out on A4 sheets of the size's stock, `copies` labels in all.
// kUnprocessable "label_text_too_long" naming the field when the text does
// not fit at kMinFontPt.
Result<std::string> RenderLabels(const LabelContent& content, const LabelSize& size, Sheet sheet, int copies);

}  // namespace nongsan::printing
