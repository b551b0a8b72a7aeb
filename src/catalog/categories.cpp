#include "catalog/categories.hpp"

#include <unordered_map>

#include "core/text.hpp"

namespace nongsan::catalog {
namespace {

struct Seed {
  const char* code;
  const char* parent;
  const char* name_vi;
  const char* name_en;
};

// Parents first; a child's position follows its parent's. Names follow the
// words sellers and buyers in the northern midlands actually use ("chè",
// "lợn", "ngô"), with the southern synonym only where buyers search for it.
constexpr Seed kSeeds[] = {
    {"tea", "", "Chè (trà)", "Tea"},
    {"tea-bud", "tea", "Chè búp, chè móc câu", "Tea buds"},
    {"tea-green", "tea", "Chè xanh", "Green tea"},
    {"tea-shan", "tea", "Chè Shan tuyết", "Shan tuyet tea"},
    {"tea-black", "tea", "Hồng trà", "Black tea"},
    {"tea-oolong", "tea", "Trà ô long", "Oolong tea"},

    {"rice", "", "Gạo và ngũ cốc", "Rice and grains"},
    {"rice-white", "rice", "Gạo tẻ", "White rice"},
    {"rice-sticky", "rice", "Gạo nếp", "Glutinous rice"},
    {"rice-brown", "rice", "Gạo lứt", "Brown rice"},
    {"grain-corn", "rice", "Ngô", "Maize"},
    {"grain-beans", "rice", "Đậu, đỗ, lạc", "Beans, pulses and peanuts"},

    {"vegetables", "", "Rau củ", "Vegetables"},
    {"veg-leafy", "vegetables", "Rau ăn lá", "Leafy greens"},
    {"veg-root", "vegetables", "Củ", "Root vegetables"},
    {"veg-fruiting", "vegetables", "Rau ăn quả", "Fruiting vegetables"},
    {"veg-wild", "vegetables", "Rau rừng", "Wild greens"},

    {"fruit", "", "Trái cây", "Fruit"},
    {"fruit-citrus", "fruit", "Cam, quýt, bưởi", "Citrus"},
    {"fruit-tropical", "fruit", "Na, ổi, nhãn, vải, chuối", "Tropical fruit"},
    {"fruit-temperate", "fruit", "Hồng, mận, đào, lê", "Temperate fruit"},
    {"fruit-dried", "fruit", "Trái cây sấy", "Dried fruit"},

    {"meat-eggs", "", "Thịt và trứng", "Meat and eggs"},
    {"meat-pork", "meat-eggs", "Thịt lợn", "Pork"},
    {"meat-poultry", "meat-eggs", "Gà, vịt, ngan", "Poultry"},
    {"meat-buffalo-beef", "meat-eggs", "Thịt trâu, bò", "Buffalo and beef"},
    {"eggs", "meat-eggs", "Trứng", "Eggs"},

    {"fish", "", "Thủy sản", "Fish and seafood"},
    {"fish-freshwater", "fish", "Cá nước ngọt", "Freshwater fish"},
    {"fish-shellfish", "fish", "Tôm, cua, ốc", "Shrimp, crab and snails"},
    {"fish-dried", "fish", "Cá khô, tôm khô", "Dried fish and shrimp"},

    {"processed", "", "Đặc sản chế biến", "Processed specialities"},
    {"proc-noodles", "processed", "Miến, bún, phở khô", "Dried noodles"},
    {"proc-dried-meat", "processed", "Thịt sấy, gác bếp", "Smoked and dried meat"},
    {"proc-sausage", "processed", "Giò chả, lạp xưởng", "Pork rolls and sausages"},
    {"proc-cakes", "processed", "Bánh truyền thống", "Traditional cakes"},
    {"proc-pickles", "processed", "Dưa, măng muối", "Pickles"},
    {"proc-sauces", "processed", "Tương, nước chấm", "Sauces and condiments"},
    {"proc-drinks", "processed", "Rượu và đồ uống", "Wine and drinks"},

    {"honey", "", "Mật ong", "Honey"},
    {"honey-forest", "honey", "Mật ong rừng", "Wild forest honey"},
    {"honey-farmed", "honey", "Mật ong nuôi", "Farmed honey"},
    {"honey-products", "honey", "Sản phẩm từ ong", "Bee products"},

    {"mushrooms", "", "Nấm và măng", "Mushrooms and bamboo shoots"},
    {"mush-fresh", "mushrooms", "Nấm tươi", "Fresh mushrooms"},
    {"mush-dried", "mushrooms", "Nấm khô, mộc nhĩ", "Dried mushrooms and wood ear"},
    {"bamboo-fresh", "mushrooms", "Măng tươi", "Fresh bamboo shoots"},
    {"bamboo-dried", "mushrooms", "Măng khô", "Dried bamboo shoots"},

    {"herbs", "", "Dược liệu", "Herbs and medicinal plants"},
    {"herb-roots", "herbs", "Củ, rễ dược liệu", "Medicinal roots"},
    {"herb-leaves", "herbs", "Lá, thân dược liệu", "Medicinal leaves and stems"},
    {"herb-spices", "herbs", "Gia vị", "Spices"},

    {"handicrafts", "", "Thủ công mỹ nghệ", "Handicrafts"},
    {"craft-bamboo", "handicrafts", "Mây tre đan", "Bamboo and rattan weaving"},
    {"craft-textiles", "handicrafts", "Thổ cẩm", "Brocade textiles"},
    {"craft-wood", "handicrafts", "Đồ gỗ", "Woodwork"},
    {"craft-pottery", "handicrafts", "Gốm", "Pottery"},

    {"plants", "", "Cây giống và hoa", "Seedlings and flowers"},
    {"plants-seedlings", "plants", "Cây giống", "Seedlings"},
    {"plants-flowers", "plants", "Hoa, cây cảnh", "Flowers and ornamental plants"},
};

std::vector<Category> Build() {
  std::vector<Category> all;
  int position = 0;
  for (const Seed& s : kSeeds) {
    Category c;
    c.code = s.code;
    c.parent_code = s.parent;
    c.name_vi = s.name_vi;
    c.name_en = s.name_en;
    c.slug = text::Slugify(s.name_vi);
    c.position = ++position;
    all.push_back(std::move(c));
  }
  return all;
}

// Folded words joined by one space, so "Chè  búp", "che-bup" and "CHE BUP"
// give the same key.
std::string NameKey(std::string_view s) {
  std::string key;
  for (const auto& word : text::FoldedWords(s)) {
    if (!key.empty()) key += ' ';
    key += word;
  }
  return key;
}

struct Lookup {
  std::unordered_map<std::string, const Category*> by_code;
  std::unordered_map<std::string, const Category*> by_name_key;
  explicit Lookup(const std::vector<Category>& all) {
    for (const Category& c : all) {
      by_code.emplace(c.code, &c);
      by_name_key.emplace(NameKey(c.name_vi), &c);
      by_name_key.emplace(NameKey(c.name_en), &c);
      by_name_key.emplace(NameKey(c.slug), &c);
      // "Na, ổi, nhãn, vải, chuối": each listed item names the category too.
      std::string_view rest = c.name_vi;
      while (rest.find(',') != std::string_view::npos) {
        const std::size_t comma = rest.find(',');
        by_name_key.emplace(NameKey(rest.substr(0, comma)), &c);
        rest.remove_prefix(comma + 1);
      }
      if (rest.size() != c.name_vi.size()) by_name_key.emplace(NameKey(rest), &c);
    }
  }
};

const Lookup& Index() {
  static const Lookup lookup(AllCategories());
  return lookup;
}

std::string SqlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace

const std::vector<Category>& AllCategories() {
  static const std::vector<Category> all = Build();
  return all;
}

const Category* FindCategory(std::string_view code) {
  const auto& by_code = Index().by_code;
  auto it = by_code.find(std::string(code));
  return it == by_code.end() ? nullptr : it->second;
}

const Category* ResolveCategory(std::string_view code_or_name) {
  std::string trimmed = text::Trim(code_or_name);
  if (const Category* c = FindCategory(trimmed)) return c;
  const auto& by_name = Index().by_name_key;
  auto it = by_name.find(NameKey(trimmed));
  return it == by_name.end() ? nullptr : it->second;
}

std::string CategorySeedSql() {
  std::string sql;
  for (const Category& c : AllCategories()) {
    sql += "INSERT INTO catalog_categories (code, parent_code, name_vi, name_en, slug, position) VALUES (" +
           SqlQuote(c.code) + ", " + (c.parent_code.empty() ? std::string("NULL") : SqlQuote(c.parent_code)) +
           ", " + SqlQuote(c.name_vi) + ", " + SqlQuote(c.name_en) + ", " + SqlQuote(c.slug) + ", " +
           std::to_string(c.position) + ");\n";
  }
  return sql;
}

}  // namespace nongsan::catalog
