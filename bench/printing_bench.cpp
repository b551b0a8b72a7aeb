// Server-side drawing cost of the printing module (issue 15), without the
// database: a single 70×50 label with its EAN-13 and QR, an A4 sheet of 24
// 50×30 labels (a handicraft's short label, EAN-13 and QR each), and a catalogue of 200 products each with
// its own photo (a 480 px JPEG of noise at the photo pipeline's quality: noise compresses worst, so the size
// is an upper bound for real photos). Budgets: label ≤ 50 ms, sheet ≤ 200 ms, catalogue ≤ 3 s and ≤ 10 MB
// (the `pdf_bytes` counter). Run:
//   build/nongsan_bench --benchmark_filter='Label|Sheet|Catalogue' \
//     --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>
#include <vips/vips8>

#include "catalog/photo_service.hpp"
#include "core/money.hpp"
#include "printing/catalogue_pdf.hpp"
#include "printing/catalogue_service.hpp"
#include "printing/label_pdf.hpp"

namespace {

using namespace nongsan::printing;

constexpr int kCatalogueProducts = 200;

LabelContent Label() {
  LabelContent c;
  c.name = "Chè búp Tân Cương đặc biệt";
  c.lines = {
      {"ocop", "", "OCOP \u2605\u2605\u2605\u2605 (4 sao)"},
      {"brand", "Nhãn hiệu:", "Chè Hoàng Bình"},
      {"net_quantity", "Định lượng:", "200 g", true},  // the short facts share a paragraph,
      {"lot", "Lô:", "CHE-2611", true},                // as LabelService composes them
      {"lot", "NSX:", "20/11/2026", true},
      {"lot", "HSD:", "20/11/2027", true},
      {"storage_instructions", "Bảo quản:", "Nơi khô ráo, thoáng mát"},
      {"origin", "Xuất xứ:", "Xã Tân Cương, Tỉnh Thái Nguyên, Việt Nam"},
      {"shop", "Chịu trách nhiệm:", "HTX Chè Hoàng Bình, Xóm Hồng Thái 2, Xã Tân Cương, Tỉnh Thái Nguyên"}};
  c.gtin = "8935012345677";
  c.qr_uri = "https://nongsan.vn/01/08935012345677/10/CHE-2611?17=271120";
  c.ocop_stars = 4;
  return c;
}

void Label70x50(benchmark::State& state) {
  const LabelContent content = Label();
  const LabelSize* size = FindLabelSize("70x50");
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = RenderLabels(content, *size, Sheet::kSingle, 1);
    if (!pdf.ok()) state.SkipWithError(pdf.error().detail.c_str());
    bytes = pdf.ok() ? pdf->size() : 0;
  }
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(Label70x50)->Unit(benchmark::kMillisecond);

// What fits a 50×30 label with its EAN-13 and QR at 6 pt or more: a
// handicraft's label (name, origin, the responsible organisation).
LabelContent SmallLabel() {
  LabelContent c;
  c.name = "Giỏ mây Tân Đức";
  c.lines = {{"origin", "Xuất xứ:", "Xã Tân Đức, Thái Nguyên, Việt Nam"},
             {"shop", "Chịu trách nhiệm:", "HTX Mây tre Tân Đức, Xã Tân Đức"}};
  c.gtin = "8935012345677";
  c.qr_uri = "https://nongsan.vn/01/08935012345677/10/MAY-2611";
  return c;
}

void SheetOf24(benchmark::State& state) {
  const LabelContent content = SmallLabel();
  const LabelSize* size = FindLabelSize("50x30");
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = RenderLabels(content, *size, Sheet::kA4, 24);
    if (!pdf.ok()) state.SkipWithError(pdf.error().detail.c_str());
    bytes = pdf.ok() ? pdf->size() : 0;
  }
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(SheetOf24)->Unit(benchmark::kMillisecond);

std::string JpegOf(const vips::VImage& image) {
  VipsBlob* blob = image.jpegsave_buffer(vips::VImage::option()->set("Q", nongsan::catalog::kJpegQuality));
  std::size_t n = 0;
  const void* data = vips_blob_get(blob, &n);
  std::string out(static_cast<const char*>(data), n);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

// A photo as the pipeline stores it, at 480 px and at 160 px. Noise is the
// worst case for JPEG (about 76 KB at 480 px, heavier than any real photo).
std::pair<std::string, std::string> NoisePhoto(int seed) {
  vips::VImage noise = vips::VImage::gaussnoise(480, 360, vips::VImage::option()->set("seed", seed));
  vips::VImage rgb = vips::VImage::bandjoin({noise, noise.rot180(), noise.flip(VIPS_DIRECTION_HORIZONTAL)})
                         .cast(VIPS_FORMAT_UCHAR);
  return {JpegOf(rgb), JpegOf(rgb.resize(160.0 / 480.0))};
}

// The small renditions of the catalogue's products, in order.
std::vector<std::string>& SmallPhotos() {
  static std::vector<std::string> small;
  return small;
}

const CatalogueContent& Catalogue() {
  static const CatalogueContent content = [] {
    if (VIPS_INIT("printing_bench") != 0) std::abort();
    CatalogueContent c;
    c.shop_name = "HTX Chè Hoàng Bình";
    c.shop_kind = "Hợp tác xã";
    c.story = "Hợp tác xã của 42 hộ trồng chè trên đồi Tân Cương, hái tay một tôm hai lá, sao chảo gang.";
    c.address = "Xóm Hồng Thái 2, Xã Tân Cương, Tỉnh Thái Nguyên";
    c.phone = "0912345678";
    c.certificates = {
        {"OCOP", 4, "OCOP-TN-2026-17", "UBND tỉnh Thái Nguyên", "31/01/2027"},
        {"VietGAP", std::nullopt, "VG-TN-0042", "Trung tâm Kiểm nghiệm Thái Nguyên", "31/01/2027"}};
    CatalogueGroup group{c.shop_name, {}};
    for (int i = 0; i < kCatalogueProducts; ++i) {
      CatalogueProduct p;
      p.name = "Chè búp Tân Cương loại " + std::to_string(i + 1);
      p.price = nongsan::money::FormatVnd(150'000 + 1'000 * i) + " / hộp";
      p.net_quantity = "200 g";
      if (i % 3 == 0) p.ocop_stars = 4;
      p.gtin = "8935012345677";
      p.page_url = "https://nongsan.vn/san-pham/che-bup-tan-cuong-loai-" + std::to_string(i + 1) + "-" +
                   std::to_string(1000 + i);
      auto [large, small] = NoisePhoto(i + 1);
      p.jpeg =
          std::move(large);  // as stored; the frame's JPEG is chosen in the timed loop, as the service does
      SmallPhotos().push_back(std::move(small));
      group.products.push_back(std::move(p));
    }
    c.cover_jpeg = group.products.front().jpeg;
    c.groups.push_back(std::move(group));
    return c;
  }();
  return content;
}

// Timed: each frame's stored JPEG chosen (CataloguePhoto) and the drawing:
// what a first request for a catalogue costs beyond reading the database.
void CatalogueOf200(benchmark::State& state) {
  const CatalogueContent& stored = Catalogue();
  std::size_t bytes = 0;
  for (auto _ : state) {
    CatalogueContent content = stored;
    for (auto& group : content.groups) {
      for (std::size_t i = 0; i < group.products.size(); ++i) {
        group.products[i].jpeg = CataloguePhoto(group.products[i].jpeg, SmallPhotos().at(i));
      }
    }
    auto pdf = RenderCatalogue(content);
    if (!pdf.ok()) state.SkipWithError(pdf.error().detail.c_str());
    bytes = pdf.ok() ? pdf->size() : 0;
  }
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(CatalogueOf200)->Unit(benchmark::kMillisecond);

}  // namespace
