#include "printing/label_pdf.hpp"

#include <algorithm>

#include "trace/symbols.hpp"

namespace nongsan::printing {
namespace {

// Space between a label's edge and what it prints (printers' registration
// drifts about a millimetre on label stock).
constexpr double kPaddingMm = 1.5;
constexpr double kGapMm = 1.0;
// The QR's share of the label's width at most (the text needs the rest): a
// lot's Digital Link is a version 4–5 symbol, 0.28 mm a module at 50 mm.
constexpr double kQrWidthShare = 0.25;
// The EAN-13's height: a share of the label's, within what scanners read and
// what leaves room for text. Its width: nominal size at most, and never so
// narrow that a module drops below ~0.25 mm (zbar at 300 dpi).
constexpr double kBarcodeHeightShare = 0.22;
constexpr double kMinBarcodeHeightMm = 9.0;
constexpr double kMaxBarcodeHeightMm = 18.0;
constexpr double kNominalEan13WidthMm = 37.29;

std::string Escape(std::string_view s) {
  char* escaped = g_markup_escape_text(s.data(), static_cast<gssize>(s.size()));
  std::string out(escaped);
  g_free(escaped);
  return out;
}

// Where a label's parts go, in points from the label's corner.
struct Box {
  double x = 0, y = 0, w = 0, h = 0;
};
struct Placement {
  Box text;
  std::optional<Box> barcode;
  std::optional<Box> qr;
};

Placement Place(const LabelContent& content, const LabelSize& size) {
  const double pad = Mm(kPaddingMm);
  const double width = Mm(size.width_mm);
  const double height = Mm(size.height_mm);
  Placement p;
  double left_width = width - 2 * pad;
  if (content.qr_uri) {
    const double q = std::min(height - 2 * pad, width * kQrWidthShare);
    p.qr = Box{width - pad - q, pad, q, q};
    left_width -= q + Mm(kGapMm);
  }
  double text_height = height - 2 * pad;
  if (content.gtin) {
    const double bh = std::clamp(Mm(size.height_mm * kBarcodeHeightShare), Mm(kMinBarcodeHeightMm),
                                 Mm(kMaxBarcodeHeightMm));
    const double bw = std::min(left_width, Mm(kNominalEan13WidthMm));
    p.barcode = Box{pad, height - pad - bh, bw, bh};
    text_height -= bh + Mm(kGapMm) / 2;
  }
  p.text = Box{pad, pad, left_width, text_height};
  return p;
}

std::string Markup(const LabelContent& content, const std::vector<bool>& keep) {
  std::string markup = "<span size=\"larger\" weight=\"bold\">" + Escape(content.name) + "</span>";
  bool previous_kept = false;
  for (std::size_t i = 0; i < content.lines.size(); ++i) {
    if (!keep[i]) {
      previous_kept = false;
      continue;
    }
    const LabelLine& line = content.lines[i];
    markup += line.joins_previous && previous_kept ? "  ·  " : "\n";
    previous_kept = true;
    if (!line.caption.empty()) markup += "<b>" + Escape(line.caption) + "</b> ";
    markup += Escape(line.text);
  }
  return markup;
}

// Sets the layout's text at the largest size from the label's maximum down
// to kMinFontPt that fits the box; false when even the smallest does not.
bool FitText(PangoLayout* layout, const std::string& markup, const LabelSize& size, const Box& box) {
  pango_layout_set_markup(layout, markup.c_str(), -1);
  pango_layout_set_width(layout, static_cast<int>(box.w * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  for (double pt = size.max_font_pt; pt >= kMinFontPt - 1e-9; pt -= kFontStepPt) {
    SetFont(layout, kLabelFont, pt);
    PangoRectangle logical;
    pango_layout_get_extents(layout, nullptr, &logical);
    const double w = static_cast<double>(logical.width) / PANGO_SCALE;
    const double h = static_cast<double>(logical.height) / PANGO_SCALE;
    if (h <= box.h && w <= box.w + 0.5) return true;
  }
  return false;
}

// The field to shorten when the text does not fit: the first line (longest
// first) whose removal alone lets the rest fit, else the longest.
std::string FieldTooLong(PangoLayout* layout, const LabelContent& content, const LabelSize& size,
                         const Box& box) {
  std::vector<std::size_t> order(content.lines.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return content.lines[a].text.size() > content.lines[b].text.size();
  });
  for (std::size_t candidate : order) {
    std::vector<bool> keep(content.lines.size(), true);
    keep[candidate] = false;
    if (FitText(layout, Markup(content, keep), size, box)) return content.lines[candidate].field;
  }
  if (order.empty() || content.name.size() > content.lines[order.front()].text.size()) return "name";
  return content.lines[order.front()].field;
}

Status DrawLabel(cairo_t* cr, PangoLayout* text, const LabelContent& content, const Placement& placement,
                 double x, double y) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, x + placement.text.x, y + placement.text.y);
  pango_cairo_show_layout(cr, text);
  if (placement.barcode) {
    const Box& b = *placement.barcode;
    TRY(trace::DrawGtinBarcode(cr, *content.gtin, x + b.x, y + b.y, b.w, b.h, "Noto Sans"));
  }
  if (placement.qr) {
    const Box& q = *placement.qr;
    TRY(trace::DrawQrCode(cr, *content.qr_uri, x + q.x, y + q.y, q.w));
  }
  return Ok{};
}

}  // namespace

const std::vector<LabelSize>& LabelSizes() {
  // A4 stock per size (docs/printing.md): the grid of the label size itself,
  // centred on the sheet.
  static const std::vector<LabelSize> sizes = {
      {"50x30", 50, 30, 8.0, 4, 9, 5.0, 13.5},
      {"70x50", 70, 50, 9.0, 3, 5, 0.0, 23.5},
      {"100x70", 100, 70, 11.0, 2, 4, 5.0, 8.5},
  };
  return sizes;
}

const LabelSize* FindLabelSize(std::string_view name) {
  for (const auto& size : LabelSizes()) {
    if (name == size.name) return &size;
  }
  return nullptr;
}

std::optional<Sheet> ParseSheet(std::string_view name) {
  if (name == "single") return Sheet::kSingle;
  if (name == "a4") return Sheet::kA4;
  return std::nullopt;
}

Result<std::string> RenderLabels(const LabelContent& content, const LabelSize& size, Sheet sheet,
                                 int copies) {
  const bool a4 = sheet == Sheet::kA4;
  const double page_w = a4 ? Mm(kA4WidthMm) : Mm(size.width_mm);
  const double page_h = a4 ? Mm(kA4HeightMm) : Mm(size.height_mm);
  PdfCanvas canvas(page_w, page_h, content.name);
  LayoutPtr layout = canvas.Layout(kLabelFont, size.max_font_pt, 0);
  cairo_t* cr = canvas.cr();

  const Placement placement = Place(content, size);
  if (!FitText(layout.get(), Markup(content, std::vector<bool>(content.lines.size(), true)), size,
               placement.text)) {
    const std::string field = FieldTooLong(layout.get(), content, size, placement.text);
    Error error = Error::Unprocessable(
        "label_text_too_long", "The label's text does not fit a " + std::string(size.name) + " mm label at " +
                                   "the smallest legible size (6 pt); shorten " + field +
                                   " or choose a larger size.");
    error.fields.push_back({field, "is too long for a " + std::string(size.name) + " mm label at 6 pt"});
    return error;
  }

  if (!a4) {
    for (int i = 0; i < copies; ++i) {
      TRY(DrawLabel(cr, layout.get(), content, placement, 0, 0));
      canvas.NextPage();
    }
  } else {
    const int per_sheet = size.per_sheet();
    for (int i = 0; i < copies; ++i) {
      const int slot = i % per_sheet;
      const double x = Mm(size.a4_left_mm + (slot % size.a4_columns) * size.width_mm);
      const double y = Mm(size.a4_top_mm + (slot / size.a4_columns) * size.height_mm);
      TRY(DrawLabel(cr, layout.get(), content, placement, x, y));
      if (slot == per_sheet - 1 || i == copies - 1) canvas.NextPage();
    }
  }
  return canvas.Finish();
}

}  // namespace nongsan::printing
