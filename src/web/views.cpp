#include "web/views.hpp"

#include "catalog/categories.hpp"
#include "catalog/photo_service.hpp"
#include "places/places.hpp"
#include "web/format.hpp"

namespace nongsan::web::detail {

std::string PhotoUrl(const std::string& key, int width) {
  return "/photos/" + catalog::PhotoFileName(key, width, "webp");
}

nlohmann::json CardPhoto(const std::string& key) {
  if (key.empty()) return false;
  return {{"src", PhotoUrl(key, kCardPhotoWidth)},
          {"srcset", PhotoUrl(key, kThumbPhotoWidth) + " " + std::to_string(kThumbPhotoWidth) + "w, " +
                         PhotoUrl(key, kCardPhotoWidth) + " " + std::to_string(kCardPhotoWidth) + "w"},
          {"width", kCardPhotoWidth},
          {"height", kCardPhotoWidth}};
}

std::string CategoryName(std::string_view code, Lang lang) {
  const catalog::Category* category = catalog::FindCategory(code);
  if (category == nullptr) return "";
  return lang == Lang::kEn ? category->name_en : category->name_vi;
}

std::string PlaceName(const places::PlaceService& places, const std::string& code) {
  if (code.empty()) return "";
  auto unit = places.Get(code);
  return unit ? unit->name : "";
}

nlohmann::json ProductCard(const catalog::Product& product, const places::PlaceService& places) {
  return {{"id", product.id},
          {"url", ProductPath(product.name, product.id)},
          {"name", product.name},
          {"price", Price(product.price_vnd)},
          {"unit", product.unit},
          {"in_stock", product.stock > 0},
          {"origin", PlaceName(places, product.origin_commune)},
          {"photo", CardPhoto(product.cover_photo)}};
}

}  // namespace nongsan::web::detail
