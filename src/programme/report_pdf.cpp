#include "programme/report_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <map>

namespace nongsan::programme {
namespace {

using nlohmann::json;

constexpr double kPageWidth = 842;  // A4 landscape, points
constexpr double kPageHeight = 595;
constexpr double kMargin = 40;
constexpr double kRowHeight = 18;
constexpr int kCommunesPerPage = 24;

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string Grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

// Draws text at (x, y) (its top left) in the font given ("Sans Bold 20").
void Text(cairo_t* cr, double x, double y, const std::string& text, const char* font) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* desc = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, desc);
  pango_layout_set_text(layout, text.c_str(), -1);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  pango_font_description_free(desc);
  g_object_unref(layout);
}

std::int64_t Value(const json& metrics, Metric m) {
  const json& v = metrics[std::string(MetricName(m))]["value"];
  return v.is_number() ? v.get<std::int64_t>() : 0;
}

// One metric's months as bars in the box (x, y, w, h).
void Chart(cairo_t* cr, double x, double y, double w, double h, const std::string& title,
           const std::vector<std::pair<std::string, std::int64_t>>& points) {
  Text(cr, x, y, title, "Sans Bold 11");
  const double top = y + 20;
  const double base = y + h - 16;
  std::int64_t highest = 1;
  for (const auto& [_, v] : points) highest = std::max(highest, v);
  const double slot = points.empty() ? w : w / double(points.size());
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_move_to(cr, x, base);
  cairo_line_to(cr, x + w, base);
  cairo_stroke(cr);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double bh = (base - top - 12) * double(points[i].second) / double(highest);
    cairo_set_source_rgb(cr, 0.106, 0.431, 0.227);
    cairo_rectangle(cr, x + slot * double(i) + slot * 0.15, base - bh, slot * 0.7, bh);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    if (points[i].second > 0)
      Text(cr, x + slot * double(i) + slot * 0.15, base - bh - 12, Grouped(points[i].second), "Sans 7");
    const std::string& label = points[i].first;
    Text(cr, x + slot * double(i) + slot * 0.15, base + 2,
         label.size() == 7 ? label.substr(5, 2) + "/" + label.substr(2, 2) : label, "Sans 7");
  }
}

std::vector<std::pair<std::string, std::int64_t>> Series(const json& communes, Metric m) {
  std::map<std::string, std::int64_t> by_period;
  for (const auto& c : communes) {
    for (const auto& point : c["series"])
      by_period[point["period"].get<std::string>()] +=
          point["values"].value(std::string(MetricName(m)), std::int64_t{0});
  }
  return {by_period.begin(), by_period.end()};
}

void SummaryPage(cairo_t* cr, const Report& report) {
  cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
  Text(cr, kMargin, kMargin, report.programme.name, "Sans Bold 20");
  const std::string scope = report.whole_province ? report.province_name : "Các xã của cán bộ";
  Text(cr, kMargin, kMargin + 32, scope + " · từ " + report.from + " đến " + report.to, "Sans 11");
  double y = kMargin + 64;
  for (Metric m : ReportMetrics()) {
    std::int64_t sum = 0;
    for (const auto& c : report.communes) sum += Value(c["metrics"], m);
    Text(cr, kMargin, y, std::string(MetricLabel(m)), "Sans 11");
    Text(cr, kMargin + 220, y, Grouped(sum), "Sans Bold 11");
    y += kRowHeight;
  }
  const double chart_x = kMargin + 340;
  const double chart_w = kPageWidth - chart_x - kMargin;
  Chart(cr, chart_x, kMargin + 64, chart_w, 150, "Đơn hàng theo tháng",
        Series(report.communes, Metric::kOrders));
  Chart(cr, chart_x, kMargin + 234, chart_w, 150, "Doanh số (đồng) theo tháng",
        Series(report.communes, Metric::kGmvVnd));
  Chart(cr, chart_x, kMargin + 404, chart_w, 130, "Lượt người tập huấn theo tháng",
        Series(report.communes, Metric::kTrainingAttendances));
}

// The communes, fewest orders first, kCommunesPerPage a page.
void CommunePages(cairo_t* cr, const Report& report) {
  std::vector<const json*> communes;
  for (const auto& c : report.communes) communes.push_back(&c);
  std::stable_sort(communes.begin(), communes.end(), [](const json* a, const json* b) {
    return Value((*a)["metrics"], Metric::kOrders) < Value((*b)["metrics"], Metric::kOrders);
  });
  const auto metrics = ReportMetrics();
  const double col = (kPageWidth - 2 * kMargin - 200) / double(metrics.size());
  for (std::size_t start = 0; start < communes.size(); start += kCommunesPerPage) {
    cairo_show_page(cr);
    Text(cr, kMargin, kMargin, "Các xã (ít đơn hàng nhất trước)", "Sans Bold 14");
    double y = kMargin + 30;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      Text(cr, kMargin + 200 + col * double(i), y, std::string(MetricLabel(metrics[i])), "Sans Bold 7");
    }
    y += kRowHeight + 6;
    for (std::size_t r = start; r < std::min(communes.size(), start + kCommunesPerPage); ++r) {
      const json& c = *communes[r];
      Text(cr, kMargin, y, c["name"].get<std::string>(), "Sans 9");
      for (std::size_t i = 0; i < metrics.size(); ++i) {
        Text(cr, kMargin + 200 + col * double(i), y, Grouped(Value(c["metrics"], metrics[i])), "Sans 9");
      }
      y += kRowHeight;
    }
  }
}

}  // namespace

Result<std::string> WriteReportPdf(const Report& report) {
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &bytes, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, report.programme.name.c_str());
  cairo_t* cr = cairo_create(surface);
  SummaryPage(cr, report);
  CommunePages(cr, report);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return Error::Internal(std::string("report pdf: ") + cairo_status_to_string(status));
  return bytes;
}

}  // namespace nongsan::programme
