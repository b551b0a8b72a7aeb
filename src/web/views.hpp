// Internal to src/web: view models the page templates share (product cards,
// photos, categories, units) built from the domain services' values. Pure
// functions over their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "catalog/product.hpp"
#include "web/i18n.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::web::detail {

// Photo widths the catalogue stores (catalog::kPhotoWidths) that pages use.
inline constexpr int kCardPhotoWidth = 480;
inline constexpr int kThumbPhotoWidth = 160;
inline constexpr int kLargePhotoWidth = 1080;

// "/photos/<key>-<width>.webp".
std::string PhotoUrl(const std::string& key, int width);
// {src, srcset, width, height} for a square card image of a storage key, or
// false when there is no photo.
nlohmann::json CardPhoto(const std::string& key);
// Name of a category in the language, or "" for an unknown code.
std::string CategoryName(std::string_view code, Lang lang);
// "Xã Tân Cương, Tỉnh Thái Nguyên" (or "" when unknown).
std::string PlaceName(const places::PlaceService& places, const std::string& code);
// The short card of a product in lists and search results.
nlohmann::json ProductCard(const catalog::Product& product, const places::PlaceService& places);

}  // namespace nongsan::web::detail
