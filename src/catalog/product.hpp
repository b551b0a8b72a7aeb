// Products as the catalogue stores them, their statuses and units, the input a
// seller sends, and the validation every write path (API, import, demo)
// shares, so a product is held to the same rules however it arrives.
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/label_data.hpp"
#include "core/result.hpp"

namespace nongsan::catalog {

// Limits on what a seller may enter. A price or quantity outside them is far
// more likely a typo (an extra zero, grams typed as kilograms) than a sale.
inline constexpr std::size_t kMaxNameChars = 200;
inline constexpr std::size_t kMinNameChars = 2;
inline constexpr std::size_t kMaxDescriptionChars = 5000;
inline constexpr std::size_t kMaxSkuBytes = 64;
inline constexpr std::int64_t kMinPriceVnd = 1;
inline constexpr std::int64_t kMaxPriceVnd = 1'000'000'000;  // one billion đồng per unit
inline constexpr std::int64_t kMaxStock = 10'000'000;
inline constexpr std::int64_t kMinWeightGrams = 1;
inline constexpr std::int64_t kMaxWeightGrams = 1'000'000;  // one tonne per unit

enum class ProductStatus { kDraft, kActive, kHidden, kSuspended };

const char* StatusName(ProductStatus s);
std::optional<ProductStatus> ParseStatus(std::string_view s);

// The units sellers sell by; a unit written without tone marks ("hop") is
// accepted when it names exactly one of them.
const std::vector<std::string>& AllUnits();
// The canonical unit for input, or an error naming the choices (also when the
// tone-less spelling is ambiguous, e.g. "bo" for bó or bộ).
Result<std::string> NormalizeUnit(std::string_view input);

struct Photo {
  std::int64_t id = 0;
  std::string key;  // storage key; file names are key-<width>.<ext>
  int width = 0;    // of the source after orientation
  int height = 0;
  int position = 0;
};

struct Product {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string sku;
  std::string name;
  std::string slug;
  std::string description;
  std::string category_code;
  std::string unit;
  std::int64_t price_vnd = 0;
  std::int64_t stock = 0;
  std::int64_t weight_grams = 0;
  ProductStatus status = ProductStatus::kDraft;
  std::string suspended_reason;
  std::optional<std::string> gtin;
  std::string origin_commune;   // current commune code, "" if unknown
  std::string origin_province;  // derived from the commune
  bool seller_visible = true;   // false while the shop is suspended or unlisted
  std::string cover_photo;      // storage key of the first photo, "" if none
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::vector<Photo> photos;
  LabelData label;  // what its printed label carries (label_data.hpp)

  // Shown to the public: active and the shop visible.
  bool IsPublic() const { return status == ProductStatus::kActive && seller_visible; }
};

// What a seller sends to create a product. Fields not given keep their
// defaults (draft, zero stock, the shop's commune as origin).
struct ProductInput {
  std::string sku;
  std::string name;
  std::string description;
  std::string category;  // code or name, see ResolveCategory
  std::string unit;
  std::int64_t price_vnd = 0;
  std::int64_t stock = 0;
  std::int64_t weight_grams = 0;
  std::optional<ProductStatus> status;
  std::optional<std::string> gtin;
  std::optional<std::string> origin_commune;
  LabelData label;
};

// A partial update; only the fields present change.
struct ProductPatch {
  std::optional<std::string> sku;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<std::string> unit;
  std::optional<std::int64_t> price_vnd;
  std::optional<std::int64_t> stock;
  std::optional<std::int64_t> weight_grams;
  std::optional<ProductStatus> status;
  std::optional<std::optional<std::string>> gtin;  // set to nullopt-inside to clear
  std::optional<std::string> origin_commune;
  LabelPatch label;
};

// Checks and normalises the text fields of a product in place (NFC, trimmed,
// unit and category canonical); appends one FieldError per problem. Commune
// validity is checked by the service, which knows the places.
void ValidateFields(Product& p, std::vector<FieldError>& errors);

// Validation for a SKU alone: 1..kMaxSkuBytes of letters, digits, '-', '_',
// '.', '/'; nullopt when fine.
std::optional<std::string> SkuProblem(std::string_view sku);

}  // namespace nongsan::catalog
