// The two-level product taxonomy for Vietnamese farm produce (tea; rice and
// grains; vegetables; fruit; …), with Vietnamese names and English
// translations. The table is compiled in and seeded into catalog_categories by
// the catalog's first migration, so every server agrees on it; codes are
// stable identifiers used in URLs (`?category=tea`), imports and the index.
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nongsan::catalog {

struct Category {
  std::string code;         // "tea-bud"
  std::string parent_code;  // "" for a top-level category
  std::string name_vi;      // "Chè búp"
  std::string name_en;      // "Tea buds"
  std::string slug;         // Vietnamese slug for page URLs: "che-bup"
  int position = 0;         // display order
};

// Every category, parents before their children, in display order.
const std::vector<Category>& AllCategories();

// The category with this code, or nullptr.
const Category* FindCategory(std::string_view code);

// Resolves what an officer may type in an import file: a code ("tea-bud"), or
// a Vietnamese or English name with or without tone marks ("Chè búp, chè móc
// câu", "Tea buds"), or one item of a listing name ("Chè búp", "ổi" for
// "Na, ổi, nhãn, vải, chuối"). nullptr when nothing matches.
const Category* ResolveCategory(std::string_view code_or_name);

// SQL that inserts the taxonomy (used by the migration).
std::string CategorySeedSql();

}  // namespace nongsan::catalog
