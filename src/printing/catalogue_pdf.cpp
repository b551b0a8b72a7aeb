#include "printing/catalogue_pdf.hpp"

#include <algorithm>
#include <cstring>

#include "printing/label_pdf.hpp"
#include "printing/pdf_canvas.hpp"
#include "trace/symbols.hpp"

namespace nongsan::printing {
namespace {

constexpr double kMarginMm = 15.0;
constexpr double kFooterMm = 10.0;
constexpr double kCellGapMm = 6.0;
constexpr double kPhotoMm = 40.0;
constexpr double kQrMm = 20.0;
constexpr double kBarcodeWidthMm = 37.29;  // EAN-13 at its nominal size
constexpr double kBarcodeHeightMm = 16.0;
constexpr double kCoverPhotoHeightMm = 110.0;
constexpr const char* kFont = "Noto Sans, Noto Sans Symbols2";
constexpr const char* kBoldFont = "Noto Sans, Noto Sans Symbols2 Bold";

struct Words {
  const char* contents;
  const char* certificates;
  const char* no_certificates;
  const char* products;
  const char* page;
  const char* net_quantity;
  const char* number;
  const char* issued_by;
  const char* valid_until;
  const char* phone;
};

const Words& WordsFor(CatalogueLang lang) {
  static const Words vi = {"Mục lục",   "Chứng nhận", "Chưa có chứng nhận nào được xác minh.",
                           "Sản phẩm",  "Trang",      "Định lượng",
                           "Số",        "cấp bởi",    "hiệu lực đến",
                           "Điện thoại"};
  static const Words en = {"Contents", "Certificates", "No verified certificates yet.",
                           "Products", "Page",         "Net quantity",
                           "No.",      "issued by",    "valid until",
                           "Phone"};
  return lang == CatalogueLang::kEn ? en : vi;
}

std::string Stars(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "\u2605";
  return out;
}

// Text at x, y (top-left) in a layout of its own; returns its height.
double Text(PdfCanvas& canvas, const std::string& text, const char* font, double size, double x, double y,
            double width, int max_lines = 0) {
  LayoutPtr layout = canvas.Layout(font, size, width);
  if (max_lines > 0) {
    pango_layout_set_height(layout.get(), -max_lines);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  }
  pango_layout_set_text(layout.get(), text.c_str(), -1);
  cairo_move_to(canvas.cr(), x, y);
  pango_cairo_show_layout(canvas.cr(), layout.get());
  return LayoutHeight(layout.get());
}

void FreeBytes(void* data) { delete static_cast<std::string*>(data); }

// Draws the JPEG scaled to fit the box (centred); cairo embeds its bytes as
// they are. False when the bytes are not a JPEG.
bool DrawJpeg(cairo_t* cr, const std::string& jpeg, double x, double y, double w, double h) {
  const auto size = JpegSize(jpeg);
  if (!size) return false;
  const auto [pw, ph] = *size;
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
  auto* copy = new std::string(jpeg);
  cairo_surface_set_mime_data(image, CAIRO_MIME_TYPE_JPEG,
                              reinterpret_cast<const unsigned char*>(copy->data()), copy->size(), &FreeBytes,
                              copy);
  const double scale = std::min(w / pw, h / ph);
  cairo_save(cr);
  cairo_translate(cr, x + (w - pw * scale) / 2, y + (h - ph * scale) / 2);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, image, 0, 0);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(image);
  return true;
}

class CatalogueDrawing {
 public:
  explicit CatalogueDrawing(const CatalogueContent& content)
      : c_(content),
        words_(WordsFor(content.lang)),
        canvas_(Mm(kA4WidthMm), Mm(kA4HeightMm), content.shop_name),
        width_(Mm(kA4WidthMm - 2 * kMarginMm)) {
    // Pages: the cover, contents and certificates, then each group's pages.
    int page = 3;
    for (const auto& group : c_.groups) {
      first_page_.push_back(page);
      page += std::max<int>(
          1, (static_cast<int>(group.products.size()) + kProductsPerPage - 1) / kProductsPerPage);
    }
    pages_ = page - 1;
  }

  Result<std::string> Draw() {
    Cover();
    Contents();
    for (std::size_t g = 0; g < c_.groups.size(); ++g) TRY(Group(g));
    return canvas_.Finish();
  }

 private:
  void Footer() {
    const std::string text =
        c_.shop_name + " · " + words_.page + " " + std::to_string(page_) + "/" + std::to_string(pages_);
    cairo_set_source_rgb(canvas_.cr(), 0.3, 0.3, 0.3);
    Text(canvas_, text, kFont, 8, Mm(kMarginMm), Mm(kA4HeightMm - kFooterMm), width_);
    cairo_set_source_rgb(canvas_.cr(), 0, 0, 0);
  }

  void EndPage() {
    if (page_ > 1) Footer();
    canvas_.NextPage();
    ++page_;
  }

  void Cover() {
    double y = Mm(kMarginMm + 10);
    const double x = Mm(kMarginMm);
    y += Text(canvas_, c_.shop_name, kBoldFont, 26, x, y, width_, 3) + Mm(2);
    y += Text(canvas_, c_.shop_kind, kFont, 13, x, y, width_) + Mm(6);
    if (!c_.cover_jpeg.empty() &&
        DrawJpeg(canvas_.cr(), c_.cover_jpeg, x, y, width_, Mm(kCoverPhotoHeightMm))) {
      y += Mm(kCoverPhotoHeightMm + 6);
    }
    if (!c_.story.empty()) y += Text(canvas_, c_.story, kFont, 11, x, y, width_, 14) + Mm(6);
    std::string contact = c_.address;
    if (!c_.phone.empty()) contact += "\n" + std::string(words_.phone) + ": " + c_.phone;
    Text(canvas_, contact, kFont, 10, x, std::max(y, Mm(kA4HeightMm - kMarginMm - 20)), width_);
    EndPage();
  }

  void Contents() {
    const double x = Mm(kMarginMm);
    double y = Mm(kMarginMm);
    y += Text(canvas_, words_.contents, kBoldFont, 18, x, y, width_) + Mm(3);
    auto entry = [&](const std::string& title, int page) {
      Text(canvas_, title, kFont, 11, x, y, width_ - Mm(20), 1);
      LayoutPtr number = canvas_.Layout(kFont, 11, 0);
      pango_layout_set_text(number.get(), std::to_string(page).c_str(), -1);
      int w = 0, h = 0;
      pango_layout_get_size(number.get(), &w, &h);
      cairo_move_to(canvas_.cr(), x + width_ - static_cast<double>(w) / PANGO_SCALE, y);
      pango_cairo_show_layout(canvas_.cr(), number.get());
      y += static_cast<double>(h) / PANGO_SCALE + Mm(1.5);
    };
    entry(words_.certificates, 2);
    for (std::size_t g = 0; g < c_.groups.size(); ++g) entry(c_.groups[g].title, first_page_[g]);

    y += Mm(8);
    y += Text(canvas_, words_.certificates, kBoldFont, 18, x, y, width_) + Mm(3);
    if (c_.certificates.empty()) Text(canvas_, words_.no_certificates, kFont, 11, x, y, width_);
    for (const auto& cert : c_.certificates) {
      std::string line = cert.kind;
      if (cert.ocop_stars) line += " " + Stars(*cert.ocop_stars);
      line += " — " + std::string(words_.number) + " " + cert.number + ", " + words_.issued_by + " " +
              cert.issuer + ", " + words_.valid_until + " " + cert.expires_on;
      y += Text(canvas_, line, kFont, 11, x, y, width_) + Mm(2);
      if (y > Mm(kA4HeightMm - kMarginMm - kFooterMm)) break;  // a page of certificates is plenty
    }
    EndPage();
  }

  Result<bool> Group(std::size_t g) {
    const CatalogueGroup& group = c_.groups[g];
    const double x0 = Mm(kMarginMm);
    const double top =
        Mm(kMarginMm) + Text(canvas_, group.title, kBoldFont, 16, x0, Mm(kMarginMm), width_, 1) + Mm(4);
    const double cell_w = (width_ - Mm(kCellGapMm)) / kCatalogueColumns;
    const double cell_h = (Mm(kA4HeightMm - kMarginMm - kFooterMm - 4) - top) / kCatalogueRows;
    for (std::size_t i = 0; i < group.products.size(); ++i) {
      const int slot = static_cast<int>(i % kProductsPerPage);
      if (slot == 0 && i > 0) EndPage();
      const double x = x0 + (slot % kCatalogueColumns) * (cell_w + Mm(kCellGapMm));
      const double y = top + (slot / kCatalogueColumns) * cell_h;
      TRY(Product(group.products[i], x, y, cell_w, cell_h - Mm(kCellGapMm)));
    }
    EndPage();
    return true;
  }

  Status Product(const CatalogueProduct& p, double x, double y, double w, double h) {
    cairo_t* cr = canvas_.cr();
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_set_line_width(cr, 0.5);
    cairo_rectangle(cr, x, y, w, h);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    const double pad = Mm(3);
    const double photo = Mm(kPhotoMm);
    if (!p.jpeg.empty()) DrawJpeg(cr, p.jpeg, x + pad, y + pad, photo, photo);
    const double tx = x + pad + photo + Mm(3);
    const double tw = w - (tx - x) - pad;
    double ty = y + pad;
    ty += Text(canvas_, p.name, kBoldFont, 11, tx, ty, tw, 3) + Mm(1.5);
    ty += Text(canvas_, p.price, kBoldFont, 12, tx, ty, tw, 1) + Mm(1);
    if (!p.net_quantity.empty()) {
      ty += Text(canvas_, std::string(words_.net_quantity) + ": " + p.net_quantity, kFont, 9, tx, ty, tw, 2) +
            Mm(1);
    }
    if (p.ocop_stars) Text(canvas_, "OCOP " + Stars(*p.ocop_stars), kFont, 10, tx, ty, tw, 1);
    const double bottom = y + h - pad;
    if (p.gtin) {
      TRY(trace::DrawGtinBarcode(cr, *p.gtin, x + pad, bottom - Mm(kBarcodeHeightMm), Mm(kBarcodeWidthMm),
                                 Mm(kBarcodeHeightMm), "Noto Sans"));
    }
    TRY(trace::DrawQrCode(cr, p.page_url, x + w - pad - Mm(kQrMm), bottom - Mm(kQrMm), Mm(kQrMm)));
    return Ok{};
  }

  const CatalogueContent& c_;
  const Words& words_;
  PdfCanvas canvas_;
  const double width_;
  std::vector<int> first_page_;
  int pages_ = 0;
  int page_ = 1;
};

}  // namespace

std::optional<CatalogueLang> ParseCatalogueLang(std::string_view name) {
  if (name == "vi") return CatalogueLang::kVi;
  if (name == "en") return CatalogueLang::kEn;
  return std::nullopt;
}

std::optional<std::pair<int, int>> JpegSize(std::string_view jpeg) {
  const auto* b = reinterpret_cast<const unsigned char*>(jpeg.data());
  const std::size_t n = jpeg.size();
  if (n < 4 || b[0] != 0xFF || b[1] != 0xD8) return std::nullopt;
  std::size_t i = 2;
  while (i + 9 < n) {
    if (b[i] != 0xFF) return std::nullopt;
    const unsigned char marker = b[i + 1];
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    const std::size_t length = (static_cast<std::size_t>(b[i + 2]) << 8) | b[i + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      const int height = (b[i + 5] << 8) | b[i + 6];
      const int width = (b[i + 7] << 8) | b[i + 8];
      if (width <= 0 || height <= 0) return std::nullopt;
      return std::make_pair(width, height);
    }
    i += 2 + length;
  }
  return std::nullopt;
}

Result<std::string> RenderCatalogue(const CatalogueContent& content) {
  CatalogueDrawing drawing(content);
  return drawing.Draw();
}

}  // namespace nongsan::printing
