#include "catalog/label_data.hpp"

#include "catalog/categories.hpp"
#include "core/text.hpp"

namespace nongsan::catalog {

const std::vector<LabelTextField>& LabelTextFields() {
  static const std::vector<LabelTextField> fields = {
      {"brand", kMaxBrandChars, &LabelData::brand, &LabelPatch::brand},
      {"net_quantity", kMaxNetQuantityChars, &LabelData::net_quantity, &LabelPatch::net_quantity},
      {"ingredients", kMaxIngredientsChars, &LabelData::ingredients, &LabelPatch::ingredients},
      {"usage_instructions", kMaxUsageChars, &LabelData::usage_instructions, &LabelPatch::usage_instructions},
      {"storage_instructions", kMaxStorageChars, &LabelData::storage_instructions,
       &LabelPatch::storage_instructions},
      {"warnings", kMaxWarningsChars, &LabelData::warnings, &LabelPatch::warnings},
  };
  return fields;
}

bool IsLabelField(std::string_view name) {
  if (name == kShelfLifeField) return true;
  for (const auto& f : LabelTextFields()) {
    if (name == f.name) return true;
  }
  return false;
}

void ApplyLabelPatch(LabelData& label, const LabelPatch& patch) {
  for (const auto& f : LabelTextFields()) {
    if (patch.*f.patch) label.*f.value = *(patch.*f.patch);
  }
  if (patch.shelf_life_days) label.shelf_life_days = *patch.shelf_life_days;
}

std::optional<std::string> LabelTextProblem(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    // C0 controls, DEL, and C1 controls (U+0080..U+009F, encoded C2 80..C2 9F).
    const bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) return "must not contain control characters (one line of plain text)";
    if (c == '<' && i + 1 < s.size()) {
      const char next = s[i + 1];
      const bool tag = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '/' ||
                       next == '!' || next == '?';
      if (tag) return "must be plain text, not HTML";
    }
  }
  return std::nullopt;
}

void ValidateLabel(LabelData& label, std::vector<FieldError>& errors) {
  for (const auto& f : LabelTextFields()) {
    std::optional<std::string>& value = label.*f.value;
    if (!value) continue;
    if (!text::IsValidUtf8(*value)) {
      errors.push_back({f.name, "is not valid UTF-8"});
      continue;
    }
    *value = text::ToNfc(text::Trim(*value));
    if (value->empty()) {
      value.reset();
      continue;
    }
    if (auto problem = LabelTextProblem(*value)) {
      errors.push_back({f.name, *problem});
    } else if (text::CodePointCount(*value) > f.max_chars) {
      errors.push_back({f.name, "is longer than " + std::to_string(f.max_chars) + " characters"});
    }
  }
  if (label.shelf_life_days && (*label.shelf_life_days < 1 || *label.shelf_life_days > kMaxShelfLifeDays)) {
    errors.push_back(
        {kShelfLifeField, "must be a whole number of days from 1 to " + std::to_string(kMaxShelfLifeDays)});
  }
}

LabelClass LabelClassOf(std::string_view category_code) {
  const Category* c = FindCategory(category_code);
  if (c == nullptr) return LabelClass::kPackagedFood;
  const std::string& code = c->code;
  const std::string& top = c->parent_code.empty() ? c->code : c->parent_code;
  // Dried produce keeps for months but is still food with a use-by date.
  if (code == "fruit-dried" || code == "fish-dried" || code == "mush-dried" || code == "bamboo-dried") {
    return LabelClass::kPackagedFood;
  }
  if (top == "processed" || code == "honey-products") return LabelClass::kProcessedFood;
  if (top == "vegetables" || top == "fruit" || top == "meat-eggs" || top == "fish" || code == "mush-fresh" ||
      code == "bamboo-fresh") {
    return LabelClass::kFreshFood;
  }
  if (top == "herbs") return LabelClass::kHerbal;
  if (top == "handicrafts" || top == "plants") return LabelClass::kNonFood;
  return LabelClass::kPackagedFood;  // tea, rice and grains, honey, dried mushrooms
}

const char* LabelClassName(LabelClass c) {
  switch (c) {
    case LabelClass::kFreshFood:
      return "fresh_food";
    case LabelClass::kPackagedFood:
      return "packaged_food";
    case LabelClass::kProcessedFood:
      return "processed_food";
    case LabelClass::kHerbal:
      return "herbal";
    case LabelClass::kNonFood:
      return "non_food";
  }
  return "packaged_food";
}

LabelRule LabelRuleFor(LabelClass c) {
  switch (c) {
    case LabelClass::kFreshFood:
      return {.net_quantity = true, .expiry = true, .storage_instructions = true};
    case LabelClass::kPackagedFood:
      return {.net_quantity = true, .expiry = true};
    case LabelClass::kProcessedFood:
      return {.net_quantity = true, .expiry = true, .ingredients = true, .storage_instructions = true};
    case LabelClass::kHerbal:
      return {.net_quantity = true, .expiry = true, .usage_instructions = true};
    case LabelClass::kNonFood:
      return {};
  }
  return {};
}

std::vector<std::string> MissingLabelFields(const LabelFacts& facts) {
  std::vector<std::string> missing;
  if (!facts.has_name) missing.push_back("name");
  if (!facts.has_responsible_name) missing.push_back("shop.name");
  if (!facts.has_responsible_address) missing.push_back("shop.address");
  if (!facts.has_origin) missing.push_back("origin");
  const LabelRule rule = LabelRuleFor(LabelClassOf(facts.category_code));
  const LabelData& l = facts.label;
  if (rule.net_quantity && !l.net_quantity) missing.push_back("net_quantity");
  if (rule.expiry && !facts.has_expiry_date && !l.shelf_life_days)
    missing.push_back("expiry_or_shelf_life_days");
  if (rule.ingredients && !l.ingredients) missing.push_back("ingredients");
  if (rule.usage_instructions && !l.usage_instructions) missing.push_back("usage_instructions");
  if (rule.storage_instructions && !l.storage_instructions) missing.push_back("storage_instructions");
  return missing;
}

}  // namespace nongsan::catalog
