// Server-side rendering cost of the storefront's heaviest pages, without the
// database: the product page (six photos, a long description, JSON-LD, Open
// Graph) and a search page of twenty cards, rendered through the real
// templates and translations in web/. The budget (issue 6) is a median of at
// most 2 ms for the product page; run with --benchmark_repetitions=10
// --benchmark_report_aggregates_only=true to read the median.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "core/source_dir.hpp"
#include "web/renderer.hpp"

namespace {

using nongsan::web::Renderer;

const Renderer& TheRenderer() {
  static std::unique_ptr<Renderer> renderer = [] {
    nongsan::web::RendererOptions options;
    options.web_dir = std::string(nongsan::core::SourceDir()) + "/web";
    options.base_url = "https://nongsan.vn";
    options.csrf_token = [](const nongsan::http::Request&) { return std::string(64, 'a'); };
    auto loaded = Renderer::Load(options);
    if (!loaded.ok()) std::abort();
    return std::move(loaded).value();
  }();
  return *renderer;
}

nongsan::http::Request PageRequest(const std::string& path) {
  nongsan::http::Request request;
  request.method = "GET";
  request.path = path;
  request.target = path;
  nongsan::Principal principal;
  principal.user_id = 7;
  principal.full_name = "Trần Văn Nam";
  request.principal = principal;
  return request;
}

nlohmann::json Card(int i) {
  return {{"id", i},
          {"url", "/san-pham/che-bup-tan-cuong-" + std::to_string(i)},
          {"name", "Chè búp Tân Cương loại đặc biệt " + std::to_string(i)},
          {"price", "250.000\u00a0₫"},
          {"unit", "kg"},
          {"in_stock", true},
          {"origin", "Xã Tân Cương"},
          {"photo",
           {{"src", "/photos/abc" + std::to_string(i) + "-480.webp"},
            {"srcset", "/photos/abc-160.webp 160w, /photos/abc-480.webp 480w"},
            {"width", 480},
            {"height", 480}}}};
}

nlohmann::json ProductData() {
  nlohmann::json photos = nlohmann::json::array();
  for (int i = 0; i < 6; ++i) {
    photos.push_back({{"src", "/photos/p" + std::to_string(i) + "-480.webp"},
                      {"srcset", "/photos/p-480.webp 480w, /photos/p-1080.webp 1080w"},
                      {"width", 480},
                      {"height", 360},
                      {"lazy", i > 0}});
  }
  nlohmann::json paragraphs = nlohmann::json::array();
  for (int i = 0; i < 8; ++i) {
    paragraphs.push_back(
        "Chè được hái tay vào sáng sớm, sao suốt bằng chảo gang theo cách truyền thống "
        "của vùng chè Tân Cương, cho nước xanh, vị chát dịu, hậu ngọt sâu.");
  }
  nlohmann::json jsonld = {{"@context", "https://schema.org"},
                           {"@type", "Product"},
                           {"name", "Chè búp Tân Cương loại đặc biệt"},
                           {"description", paragraphs[0]},
                           {"sku", "TC-001"},
                           {"offers", {{"@type", "Offer"}, {"price", 250000}, {"priceCurrency", "VND"}}}};
  return {{"title", "Chè búp Tân Cương loại đặc biệt"},
          {"description", paragraphs[0]},
          {"canonical", "/san-pham/che-bup-tan-cuong-loai-dac-biet-42"},
          {"jsonld", jsonld},
          {"og",
           {{"type", "product"},
            {"title", "Chè búp Tân Cương"},
            {"description", "Chè"},
            {"url", "https://nongsan.vn/san-pham/che-42"},
            {"image", "https://nongsan.vn/photos/p0-1080.webp"}}},
          {"product",
           {{"id", 42},
            {"name", "Chè búp Tân Cương loại đặc biệt"},
            {"price", "250.000\u00a0₫"},
            {"unit", "kg"},
            {"stock", 20},
            {"in_stock", true},
            {"stock_text", "Còn 20 kg"},
            {"max_quantity", 20},
            {"photos", photos},
            {"has_photos", true},
            {"paragraphs", paragraphs},
            {"origin", "Xã Tân Cương, Tỉnh Thái Nguyên"},
            {"gtin", "8930000000012"},
            {"sku", "TC-001"},
            {"weight", "1000 g"}}},
          {"shop",
           {{"name", "HTX Chè Tân Cương"}, {"url", "/hop-tac-xa/htx-che-tan-cuong-3"}, {"verified", true}}},
          {"category", {{"name", "Chè búp"}, {"url", "/danh-muc/che-bup"}}},
          {"top_category", {{"name", "Chè"}, {"url", "/danh-muc/che"}}},
          {"share_url", "https://nongsan.vn/san-pham/che-42"},
          {"share_sms", "sms:?&body=Ch%C3%A8"}};
}

void BM_RenderProductPage(benchmark::State& state) {
  const Renderer& renderer = TheRenderer();
  const auto request = PageRequest("/san-pham/che-bup-tan-cuong-loai-dac-biet-42");
  const nlohmann::json data = ProductData();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto response = renderer.Render(request, "product", data);
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderProductPage)->Unit(benchmark::kMicrosecond);

void BM_RenderSearchPage(benchmark::State& state) {
  const Renderer& renderer = TheRenderer();
  const auto request = PageRequest("/tim-kiem");
  nlohmann::json results = nlohmann::json::array();
  for (int i = 0; i < 20; ++i) results.push_back(Card(i));
  const nlohmann::json data = {{"query", "che"},
                               {"heading", "Kết quả"},
                               {"results", results},
                               {"has_results", true},
                               {"count_text", "20 sản phẩm"}};
  for (auto _ : state) {
    auto response = renderer.Render(request, "search", data);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_RenderSearchPage)->Unit(benchmark::kMicrosecond);

}  // namespace
