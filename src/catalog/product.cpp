#include "catalog/product.hpp"

#include "catalog/categories.hpp"
#include "catalog/gtin.hpp"
#include "core/text.hpp"

namespace nongsan::catalog {

const char* StatusName(ProductStatus s) {
  switch (s) {
    case ProductStatus::kDraft:
      return "draft";
    case ProductStatus::kActive:
      return "active";
    case ProductStatus::kHidden:
      return "hidden";
    case ProductStatus::kSuspended:
      return "suspended";
  }
  return "draft";
}

std::optional<ProductStatus> ParseStatus(std::string_view s) {
  if (s == "draft") return ProductStatus::kDraft;
  if (s == "active") return ProductStatus::kActive;
  if (s == "hidden") return ProductStatus::kHidden;
  if (s == "suspended") return ProductStatus::kSuspended;
  return std::nullopt;
}

const std::vector<std::string>& AllUnits() {
  static const std::vector<std::string> units = {
      "kg",  "g",     "tạ",  "lít", "ml",  "hộp",   "chai", "lọ",  "hũ",  "gói",  "túi",  "bao", "bó",
      "quả", "buồng", "nải", "con", "cái", "chiếc", "bộ",   "đôi", "cây", "chậu", "khay", "vỉ"};
  return units;
}

Result<std::string> NormalizeUnit(std::string_view input) {
  const std::string wanted = text::ToNfc(text::Trim(input));
  for (const auto& unit : AllUnits()) {
    if (unit == wanted) return unit;
  }
  const std::string folded = text::FoldVietnamese(wanted);
  std::vector<std::string> matches;
  for (const auto& unit : AllUnits()) {
    if (text::FoldVietnamese(unit) == folded) matches.push_back(unit);
  }
  if (matches.size() == 1) return matches.front();
  std::string choices;
  for (const auto& unit : matches.empty() ? AllUnits() : matches) {
    if (!choices.empty()) choices += ", ";
    choices += unit;
  }
  return Error::Field("unit", matches.empty() ? "unknown unit; use one of: " + choices
                                              : "ambiguous without tone marks; write one of: " + choices);
}

std::optional<std::string> SkuProblem(std::string_view sku) {
  if (sku.empty()) return "is required";
  if (sku.size() > kMaxSkuBytes) return "is longer than " + std::to_string(kMaxSkuBytes) + " characters";
  for (char c : sku) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '/';
    if (!ok) return "may contain only letters, digits and - _ . /";
  }
  return std::nullopt;
}

void ValidateFields(Product& p, std::vector<FieldError>& errors) {
  auto clean = [&](std::string& s, const char* field) {
    if (!text::IsValidUtf8(s)) {
      errors.push_back({field, "is not valid UTF-8"});
      return false;
    }
    s = text::ToNfc(text::Trim(s));
    return true;
  };
  p.sku = text::Trim(p.sku);
  if (auto problem = SkuProblem(p.sku)) errors.push_back({"sku", *problem});

  if (clean(p.name, "name")) {
    const std::size_t n = text::CodePointCount(p.name);
    if (n < kMinNameChars || n > kMaxNameChars) {
      errors.push_back({"name", "must be " + std::to_string(kMinNameChars) + " to " +
                                    std::to_string(kMaxNameChars) + " characters"});
    }
    bool has_control = false;
    for (unsigned char c : p.name) has_control = has_control || c < 0x20;
    if (has_control) errors.push_back({"name", "must be one line of text"});
    p.slug = text::Slugify(p.name);
  }
  if (clean(p.description, "description") && text::CodePointCount(p.description) > kMaxDescriptionChars) {
    errors.push_back(
        {"description", "is longer than " + std::to_string(kMaxDescriptionChars) + " characters"});
  }
  if (const Category* category = ResolveCategory(p.category_code)) {
    p.category_code = category->code;
  } else {
    errors.push_back({"category", "unknown category; see GET /api/v1/categories"});
  }
  if (auto unit = NormalizeUnit(p.unit); unit.ok()) {
    p.unit = *unit;
  } else {
    errors.push_back(unit.error().fields.front());
  }
  if (p.price_vnd < kMinPriceVnd || p.price_vnd > kMaxPriceVnd) {
    errors.push_back({"price_vnd", "must be a whole number of đồng from " + std::to_string(kMinPriceVnd) +
                                       " to " + std::to_string(kMaxPriceVnd)});
  }
  if (p.stock < 0 || p.stock > kMaxStock) {
    errors.push_back({"stock", "must be from 0 to " + std::to_string(kMaxStock)});
  }
  if (p.weight_grams < kMinWeightGrams || p.weight_grams > kMaxWeightGrams) {
    errors.push_back({"weight_grams", "must be from " + std::to_string(kMinWeightGrams) + " to " +
                                          std::to_string(kMaxWeightGrams) + " grams"});
  }
  if (p.gtin) {
    *p.gtin = text::Trim(*p.gtin);
    if (p.gtin->empty()) {
      p.gtin.reset();
    } else if (auto problem = gtin::Problem(*p.gtin)) {
      errors.push_back({"gtin", *problem});
    }
  }
  ValidateLabel(p.label, errors);
}

}  // namespace nongsan::catalog
