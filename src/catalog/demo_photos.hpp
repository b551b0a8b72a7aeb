// Photos for the demo catalogue, drawn on this machine with cairo and pango
// (no downloads): per category, a gradient in its family's colour, a few
// shapes and the category's Vietnamese name, made into the photo pipeline's
// stored renditions like any upload (images/image_pipeline.hpp). Products of
// one category share a drawing; each gets its own stored files, written once
// and copied by the storage (a hard link in a directory), so 1,500 products
// cost about 40 encodes (on half the cores) and next to no disk.
// Not thread-safe with itself (run once, after LoadDemoCatalog).
#pragma once

#include <string>

#include "catalog/catalog_module.hpp"
#include "catalog/categories.hpp"
#include "core/result.hpp"

namespace nongsan::catalog {

// Side of the square drawing; the pipeline never enlarges, so the widest
// rendition is this size too.
inline constexpr int kDemoPhotoSide = 480;

// The drawing of one category as PNG bytes.
Result<std::string> DrawDemoPhoto(const Category& category);
// A plain card with a title, as PNG bytes: the demo certificates' evidence.
Result<std::string> DrawDemoCard(const std::string& title);

// Gives every product without a photo its category's drawing as its cover.
// Returns how many products got one.
Result<std::size_t> AddDemoPhotos(CatalogModule& module);

}  // namespace nongsan::catalog
