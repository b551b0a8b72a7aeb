// What a product's label must carry beyond its name and price (Decree
// 43/2017/NĐ-CP as amended by 111/2021/NĐ-CP): brand, net quantity,
// ingredients, usage and storage instructions, warnings and shelf life. The
// responsible organisation and its address come from the shop, production
// date and expiry from a lot (src/trace); they are not product data.
//
// Also the one place that says which of these a category's label must have
// (LabelRuleFor): the printing module refuses a label that lacks one, so a
// label never breaks the decree. Pure values and functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::catalog {

// Limits on label text, in characters: what fits a 100×70 mm label at the
// 6 pt minimum with room to spare. Longer text is an essay, not a label.
inline constexpr std::size_t kMaxBrandChars = 100;
inline constexpr std::size_t kMaxNetQuantityChars = 50;
inline constexpr std::size_t kMaxIngredientsChars = 1000;
inline constexpr std::size_t kMaxUsageChars = 600;
inline constexpr std::size_t kMaxStorageChars = 300;
inline constexpr std::size_t kMaxWarningsChars = 300;
// Ten years: longer than any food keeps; a bigger number is a typo.
inline constexpr std::int64_t kMaxShelfLifeDays = 3650;

// Every field is optional (null = not given); empty text is stored as null.
struct LabelData {
  std::optional<std::string> brand;
  std::optional<std::string> net_quantity;  // as printed: "500 g", "1 lít", "10 quả"
  std::optional<std::string> ingredients;
  std::optional<std::string> usage_instructions;
  std::optional<std::string> storage_instructions;
  std::optional<std::string> warnings;
  std::optional<std::int64_t> shelf_life_days;

  bool operator==(const LabelData&) const = default;
};

// A partial update of the label: a present outer optional changes the field,
// an empty inner one clears it.
struct LabelPatch {
  std::optional<std::optional<std::string>> brand;
  std::optional<std::optional<std::string>> net_quantity;
  std::optional<std::optional<std::string>> ingredients;
  std::optional<std::optional<std::string>> usage_instructions;
  std::optional<std::optional<std::string>> storage_instructions;
  std::optional<std::optional<std::string>> warnings;
  std::optional<std::optional<std::int64_t>> shelf_life_days;
};

// The text fields by their API/CSV name, with their limits, so JSON, forms,
// CSV and the store walk one list.
struct LabelTextField {
  const char* name;
  std::size_t max_chars;
  std::optional<std::string> LabelData::*value;
  std::optional<std::optional<std::string>> LabelPatch::*patch;
};
const std::vector<LabelTextField>& LabelTextFields();
inline constexpr const char* kShelfLifeField = "shelf_life_days";

bool IsLabelField(std::string_view name);

void ApplyLabelPatch(LabelData& label, const LabelPatch& patch);

// Checks and normalises label fields in place (NFC, trimmed, "" → null);
// one FieldError per bad field: not UTF-8, too long, a control character,
// HTML markup, a shelf life outside 1..kMaxShelfLifeDays.
void ValidateLabel(LabelData& label, std::vector<FieldError>& errors);

// Why a label text is refused, or nullopt: control characters and markup
// ("<b", "</", "<!", "<?") never belong on a printed label.
std::optional<std::string> LabelTextProblem(std::string_view text);

// ---- the mandatory fields per category

// Label classes of the taxonomy: which decree rules apply.
enum class LabelClass {
  kFreshFood,      // vegetables, fruit, meat, eggs, fish, fresh mushrooms: perishable
  kPackagedFood,   // rice, grains, tea, honey, dried produce: keeps, but has a use-by
  kProcessedFood,  // cooked, cured, fermented or mixed: ingredients must be listed
  kHerbal,         // medicinal plants and spices: how to use them, and warnings
  kNonFood,        // handicrafts, seedlings, flowers: name, maker and origin suffice
};
LabelClass LabelClassOf(std::string_view category_code);
const char* LabelClassName(LabelClass c);

// What a label of a class must show besides product name, the responsible
// organisation and its address, and the origin (always required).
struct LabelRule {
  bool net_quantity = false;
  bool expiry = false;  // an expiry date from the lot, or the shelf life without one
  bool ingredients = false;
  bool storage_instructions = false;
  bool usage_instructions = false;
};
LabelRule LabelRuleFor(LabelClass c);

// What a label is about to print, for the mandatory-field check.
struct LabelFacts {
  std::string category_code;
  bool has_name = false;
  bool has_responsible_name = false;
  bool has_responsible_address = false;
  bool has_origin = false;
  bool has_expiry_date = false;  // from the lot
  LabelData label;
};
// The names of the mandatory fields that are missing, in label order
// ("net_quantity", "expiry_or_shelf_life_days", "ingredients", …); empty
// when the label may be printed.
std::vector<std::string> MissingLabelFields(const LabelFacts& facts);

}  // namespace nongsan::catalog
