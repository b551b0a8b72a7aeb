#include "catalog/demo_photos.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "catalog/change_log.hpp"
#include "core/ids.hpp"

namespace nongsan::catalog {
namespace {

// Bytes of entropy in a photo key, as PhotoService makes them.
constexpr std::size_t kDemoPhotoKeyBytes = 12;
// Products given photos per write transaction.
constexpr std::size_t kPhotosPerTransaction = 500;
// How long a drawing waits when the decode pool is full before trying again.
constexpr std::chrono::milliseconds kPoolFullWait{20};

struct Rgb {
  double r, g, b;
};

// One colour per top-level category, picked for produce: tea green, rice
// straw, fruit orange, honey amber, … A family added later falls back to one
// of kFallbackColours by its code's hash.
constexpr std::array<std::pair<std::string_view, Rgb>, 12> kFamilyColours = {{
    {"tea", {0.20, 0.49, 0.24}},
    {"rice", {0.80, 0.63, 0.25}},
    {"vegetables", {0.36, 0.62, 0.20}},
    {"fruit", {0.91, 0.45, 0.16}},
    {"meat-eggs", {0.65, 0.20, 0.17}},
    {"fish", {0.18, 0.45, 0.62}},
    {"processed", {0.62, 0.32, 0.18}},
    {"honey", {0.85, 0.56, 0.05}},
    {"mushrooms", {0.50, 0.40, 0.28}},
    {"herbs", {0.33, 0.45, 0.30}},
    {"handicrafts", {0.55, 0.38, 0.24}},
    {"plants", {0.28, 0.58, 0.36}},
}};
constexpr std::array<Rgb, 6> kFallbackColours = {{{0.18, 0.45, 0.55},
                                                  {0.52, 0.33, 0.55},
                                                  {0.70, 0.42, 0.20},
                                                  {0.25, 0.52, 0.40},
                                                  {0.60, 0.50, 0.15},
                                                  {0.40, 0.40, 0.62}}};

std::uint32_t Fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

Rgb FamilyColour(const Category& category) {
  const std::string& family = category.parent_code.empty() ? category.code : category.parent_code;
  for (const auto& [code, colour] : kFamilyColours) {
    if (family == code) return colour;
  }
  return kFallbackColours[Fnv1a(family) % kFallbackColours.size()];
}

cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Round, leaf-like shapes in lighter tints, placed by the category's hash so
// each category looks different and the same on every machine.
void DrawShapes(cairo_t* cr, const Rgb& colour, std::uint32_t seed) {
  for (int i = 0; i < 7; ++i) {
    seed = seed * 1103515245u + 12345u;
    const double x = (seed >> 8) % kDemoPhotoSide;
    seed = seed * 1103515245u + 12345u;
    const double y = (seed >> 8) % (kDemoPhotoSide * 2 / 3);
    const double radius = kDemoPhotoSide / 14 + (seed >> 4) % (kDemoPhotoSide / 6);
    const double tint = 0.25 + 0.1 * (i % 3);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, (seed % 628) / 100.0);
    cairo_scale(cr, 1.0, 0.62);
    cairo_arc(cr, 0, 0, radius, 0, 2 * M_PI);
    cairo_restore(cr);
    cairo_set_source_rgba(cr, colour.r + (1 - colour.r) * tint, colour.g + (1 - colour.g) * tint,
                          colour.b + (1 - colour.b) * tint, 0.55);
    cairo_fill(cr);
  }
}

void DrawName(cairo_t* cr, const std::string& name) {
  constexpr double kBandTop = kDemoPhotoSide * 0.68;
  cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
  cairo_rectangle(cr, 0, kBandTop, kDemoPhotoSide, kDemoPhotoSide - kBandTop);
  cairo_fill(cr);
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(cr),
                                                                 &g_object_unref);
  std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> font(
      pango_font_description_from_string(
          ("DejaVu Sans Bold " + std::to_string(kDemoPhotoSide / 16) + "px").c_str()),
      &pango_font_description_free);
  pango_layout_set_font_description(layout.get(), font.get());
  constexpr int kMargin = kDemoPhotoSide / 12;
  pango_layout_set_width(layout.get(), (kDemoPhotoSide - 2 * kMargin) * PANGO_SCALE);
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD);
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_text(layout.get(), name.c_str(), -1);
  int width = 0;
  int height = 0;
  pango_layout_get_pixel_size(layout.get(), &width, &height);
  cairo_set_source_rgb(cr, 0.13, 0.18, 0.13);
  cairo_move_to(cr, kMargin, kBandTop + (kDemoPhotoSide - kBandTop - height) / 2);
  pango_cairo_show_layout(cr, layout.get());
}

struct Pending {
  std::int64_t product_id = 0;
  std::string category;
};

}  // namespace

namespace {

Result<std::string> DrawCard(const std::string& title, const Rgb& colour, std::uint32_t seed) {
  using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, kDemoPhotoSide, kDemoPhotoSide),
                  &cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Error::Internal("image allocation failed");
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), &cairo_destroy);
  std::unique_ptr<cairo_pattern_t, decltype(&cairo_pattern_destroy)> gradient(
      cairo_pattern_create_linear(0, 0, kDemoPhotoSide, kDemoPhotoSide), &cairo_pattern_destroy);
  cairo_pattern_add_color_stop_rgb(gradient.get(), 0, colour.r + (1 - colour.r) * 0.45,
                                   colour.g + (1 - colour.g) * 0.45, colour.b + (1 - colour.b) * 0.45);
  cairo_pattern_add_color_stop_rgb(gradient.get(), 1, colour.r * 0.8, colour.g * 0.8, colour.b * 0.8);
  cairo_set_source(cr.get(), gradient.get());
  cairo_paint(cr.get());
  DrawShapes(cr.get(), colour, seed);
  DrawName(cr.get(), title);
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), &AppendPng, &png) != CAIRO_STATUS_SUCCESS) {
    return Error::Internal("PNG encoding failed");
  }
  return png;
}

}  // namespace

Result<std::string> DrawDemoPhoto(const Category& category) {
  return DrawCard(category.name_vi, FamilyColour(category), Fnv1a(category.code));
}

Result<std::string> DrawDemoCard(const std::string& title) {
  // Certificates are paper: a pale sheet with the title.
  return DrawCard(title, Rgb{0.75, 0.72, 0.60}, Fnv1a(title));
}

namespace {

// Every category's drawing through the photo pipeline, on as many threads as
// the decode pool takes at once (half the cores), so a first start on a
// bigger machine is quicker; a full pool is waited for, not an error.
Result<std::map<std::string, ProcessedPhoto>> DrawAll(
    const std::map<std::string, std::vector<std::int64_t>>& by_category) {
  std::vector<std::string> codes;
  for (const auto& entry : by_category) codes.push_back(entry.first);
  std::vector<std::optional<Result<ProcessedPhoto>>> done(codes.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < codes.size(); i = next++) {
      auto png = DrawDemoPhoto(*FindCategory(codes[i]));
      if (!png.ok()) {
        done[i] = std::move(png).error();
        continue;
      }
      for (;;) {
        auto processed = ProcessPhoto(*png);
        if (processed.ok() || processed.error().code != ErrorCode::kRateLimited) {
          done[i] = std::move(processed);
          break;
        }
        std::this_thread::sleep_for(kPoolFullWait);
      }
    }
  };
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::map<std::string, ProcessedPhoto> out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (!done[i]->ok()) return std::move(*done[i]).error();
    out.emplace(codes[i], std::move(*done[i]).value());
  }
  return out;
}

}  // namespace

Result<std::size_t> AddDemoPhotos(CatalogModule& m) {
  TRY_ASSIGN(db::Rows rows, m.db.Read([](db::Connection& c) {
    return c.Query(
        "SELECT id, category_code FROM catalog_products WHERE cover_photo = '' AND deleted_at IS NULL "
        "ORDER BY category_code, id");
  }));
  std::map<std::string, std::vector<std::int64_t>> by_category;
  for (const db::Row& r : rows) {
    if (FindCategory(r.Text(1)) != nullptr) by_category[r.Text(1)].push_back(r.Int(0));
  }
  TRY_ASSIGN(auto drawings, DrawAll(by_category));

  std::size_t given = 0;
  for (const auto& category : by_category) {
    // Named, not a structured binding: clang 14 (the fuzz build) cannot
    // capture a binding in the lambda below.
    const std::vector<std::int64_t>& products = category.second;
    const ProcessedPhoto& processed = drawings.at(category.first);
    // The first product's files are written; the others' are copies of them.
    std::string first_key;
    for (std::size_t start = 0; start < products.size(); start += kPhotosPerTransaction) {
      const std::size_t end = std::min(products.size(), start + kPhotosPerTransaction);
      std::vector<std::string> keys;
      for (std::size_t i = start; i < end; ++i) {
        const std::string key = ids::RandomToken(kDemoPhotoKeyBytes);
        for (const auto& r : processed.renditions) {
          const std::string name = PhotoFileName(key, r.width, r.ext);
          TRY(first_key.empty() ? m.photo_storage->Put(name, r.bytes)
                                : m.photo_storage->Copy(PhotoFileName(first_key, r.width, r.ext), name));
        }
        if (first_key.empty()) first_key = key;
        keys.push_back(key);
      }
      const std::int64_t now = m.clock.NowMs();
      TRY(m.db.Write([&](db::Connection& c) -> Status {
        for (std::size_t i = start; i < end; ++i) {
          const std::string& key = keys[i - start];
          TRY(c.Exec(
              "INSERT INTO catalog_photos (product_id, storage_key, position, width, height, created_at) "
              "VALUES (?, ?, 1, ?, ?, ?)",
              {products[i], key, std::int64_t{processed.width}, std::int64_t{processed.height}, now}));
          TRY(c.Exec("UPDATE catalog_products SET cover_photo = ?, updated_at = ? WHERE id = ?",
                     {key, now, products[i]}));
        }
        return LogProductChanges(c, {products.begin() + start, products.begin() + end}, now);
      }));
      given += end - start;
    }
  }
  m.catalog.NotifyChanged();
  return given;
}

}  // namespace nongsan::catalog
