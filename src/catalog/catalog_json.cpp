#include "catalog/catalog_json.hpp"

#include <algorithm>
#include <map>
#include <shared_mutex>
#include <unordered_map>

#include "catalog/categories.hpp"
#include "catalog/photo_service.hpp"
#include "core/clock.hpp"
#include "core/money.hpp"
#include "http/json_writer.hpp"
#include "places/places.hpp"

namespace nongsan::catalog {
namespace {

nlohmann::json PhotoUrls(const std::string& key, std::string_view ext) {
  nlohmann::json urls = nlohmann::json::object();
  for (int width : kPhotoWidths) urls[std::to_string(width)] = "/photos/" + PhotoFileName(key, width, ext);
  return urls;
}

}  // namespace

nlohmann::json PhotoJson(const Photo& photo) {
  return {{"id", photo.id},
          {"width", photo.width},
          {"height", photo.height},
          {"position", photo.position},
          {"webp", PhotoUrls(photo.key, "webp")},
          {"jpeg", PhotoUrls(photo.key, "jpg")}};
}

nlohmann::json CoverJson(const std::string& key) {
  if (key.empty()) return nullptr;
  return {{"webp", PhotoUrls(key, "webp")}, {"jpeg", PhotoUrls(key, "jpg")}};
}

nlohmann::json CategoryRefJson(const std::string& code) {
  const Category* c = FindCategory(code);
  if (c == nullptr) return {{"code", code}};
  return {{"code", c->code},
          {"name", c->name_vi},
          {"name_en", c->name_en},
          {"parent", c->parent_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(c->parent_code)}};
}

namespace {

// The name of a current unit. Names by code are the same for every
// PlaceService (they come from the shipped files), so one process-wide memo
// saves copying an AdminUnit for every product in every list.
std::string UnitName(const places::PlaceService& places, const std::string& code) {
  static std::shared_mutex mutex;
  static std::unordered_map<std::string, std::string> names;
  {
    std::shared_lock lock(mutex);
    if (auto it = names.find(code); it != names.end()) return it->second;
  }
  auto unit = places.Get(code);
  if (!unit) return "";
  std::unique_lock lock(mutex);
  return names.emplace(code, unit->name).first->second;
}

}  // namespace

nlohmann::json OriginJson(const Product& p, const places::PlaceService& places) {
  if (p.origin_commune.empty()) return nullptr;
  nlohmann::json origin = {{"commune_code", p.origin_commune}, {"province_code", p.origin_province}};
  if (std::string name = UnitName(places, p.origin_commune); !name.empty()) origin["commune_name"] = name;
  if (std::string name = UnitName(places, p.origin_province); !name.empty()) origin["province_name"] = name;
  return origin;
}

nlohmann::json CertificationJson(const CertificationBadge& badge) {
  return {{"kind", badge.kind},
          {"ocop_stars", badge.ocop_stars ? nlohmann::json(*badge.ocop_stars) : nlohmann::json(nullptr)},
          {"number", badge.number},
          {"issuer", badge.issuer},
          {"expires_on", badge.expires_on},
          {"verify_url", badge.verify_url}};
}

nlohmann::json CertificationsJson(const std::vector<CertificationBadge>& badges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& b : badges) out.push_back(CertificationJson(b));
  return out;
}

nlohmann::json ProductJson(const Product& p, const places::PlaceService& places, bool manager,
                           const std::vector<CertificationBadge>* certifications) {
  nlohmann::json photos = nlohmann::json::array();
  for (const auto& photo : p.photos) photos.push_back(PhotoJson(photo));
  nlohmann::json out = {{"id", p.id},
                        {"seller_id", p.seller_id},
                        {"sku", p.sku},
                        {"name", p.name},
                        {"slug", p.slug},
                        {"description", p.description},
                        {"category", CategoryRefJson(p.category_code)},
                        {"unit", p.unit},
                        {"price_vnd", p.price_vnd},
                        {"price_display", money::FormatVnd(p.price_vnd)},
                        {"stock", p.stock},
                        {"weight_grams", p.weight_grams},
                        {"status", StatusName(p.status)},
                        {"gtin", p.gtin ? nlohmann::json(*p.gtin) : nlohmann::json(nullptr)},
                        {"origin", OriginJson(p, places)},
                        {"photos", std::move(photos)},
                        {"cover", CoverJson(p.cover_photo)},
                        {"created_at", timefmt::Rfc3339(p.created_at)},
                        {"updated_at", timefmt::Rfc3339(p.updated_at)}};
  for (const auto& f : LabelTextFields()) {
    const auto& value = p.label.*f.value;
    out[f.name] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  }
  out[kShelfLifeField] =
      p.label.shelf_life_days ? nlohmann::json(*p.label.shelf_life_days) : nlohmann::json(nullptr);
  if (manager) {
    out["suspended_reason"] =
        p.suspended_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.suspended_reason);
    out["shop_visible"] = p.seller_visible;
  }
  if (certifications) out["certifications"] = CertificationsJson(*certifications);
  return out;
}

namespace {

// The photo widths as nlohmann orders them: as text ("1080" < "160").
const std::vector<std::string>& WidthKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (int width : kPhotoWidths) out.push_back(std::to_string(width));
    std::sort(out.begin(), out.end());
    return out;
  }();
  return keys;
}

void WritePhotoUrls(http::JsonWriter& w, const std::string& key, std::string_view ext) {
  w.BeginObject();
  for (const std::string& width : WidthKeys()) {
    w.Key(width).String("/photos/" + PhotoFileName(key, std::stoi(width), ext));
  }
  w.EndObject();
}

void WriteCover(http::JsonWriter& w, const std::string& key) {
  if (key.empty()) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("jpeg");
  WritePhotoUrls(w, key, "jpg");
  w.Key("webp");
  WritePhotoUrls(w, key, "webp");
  w.EndObject();
}

void WriteCategoryRef(http::JsonWriter& w, const std::string& code) {
  const Category* c = FindCategory(code);
  w.BeginObject();
  if (c == nullptr) {
    w.Key("code").String(code);
  } else {
    w.Key("code").String(c->code).Key("name").String(c->name_vi).Key("name_en").String(c->name_en);
    w.Key("parent");
    if (c->parent_code.empty()) {
      w.Null();
    } else {
      w.String(c->parent_code);
    }
  }
  w.EndObject();
}

// OriginJson's object (keys in its order), or null.
void WriteOrigin(http::JsonWriter& w, const Product& p, const places::PlaceService& places) {
  if (p.origin_commune.empty()) {
    w.Null();
    return;
  }
  w.BeginObject().Key("commune_code").String(p.origin_commune);
  if (std::string name = UnitName(places, p.origin_commune); !name.empty())
    w.Key("commune_name").String(name);
  w.Key("province_code").String(p.origin_province);
  if (std::string name = UnitName(places, p.origin_province); !name.empty())
    w.Key("province_name").String(name);
  w.EndObject();
}

void WriteOptionalText(http::JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  w.Key(key);
  if (value) {
    w.String(*value);
  } else {
    w.Null();
  }
}

}  // namespace

std::string ProductJsonText(const Product& p, const places::PlaceService& places, bool manager,
                            const std::vector<CertificationBadge>* certifications) {
  std::string out;
  out.reserve(1024);
  http::JsonWriter w(out);
  const LabelData& label = p.label;
  w.BeginObject();
  WriteOptionalText(w, "brand", label.brand);
  w.Key("category");
  WriteCategoryRef(w, p.category_code);
  if (certifications) {
    w.Key("certifications").BeginArray();
    for (const auto& b : *certifications) {
      w.BeginObject().Key("expires_on").String(b.expires_on).Key("issuer").String(b.issuer);
      w.Key("kind").String(b.kind).Key("number").String(b.number).Key("ocop_stars");
      if (b.ocop_stars) {
        w.Int(*b.ocop_stars);
      } else {
        w.Null();
      }
      w.Key("verify_url").String(b.verify_url).EndObject();
    }
    w.EndArray();
  }
  w.Key("cover");
  WriteCover(w, p.cover_photo);
  w.Key("created_at").String(timefmt::Rfc3339(p.created_at));
  w.Key("description").String(p.description);
  w.Key("gtin");
  if (p.gtin) {
    w.String(*p.gtin);
  } else {
    w.Null();
  }
  w.Key("id").Int(p.id);
  WriteOptionalText(w, "ingredients", label.ingredients);
  w.Key("name").String(p.name);
  WriteOptionalText(w, "net_quantity", label.net_quantity);
  w.Key("origin");
  WriteOrigin(w, p, places);
  w.Key("photos").BeginArray();
  for (const auto& photo : p.photos) {
    w.BeginObject().Key("height").Int(photo.height).Key("id").Int(photo.id).Key("jpeg");
    WritePhotoUrls(w, photo.key, "jpg");
    w.Key("position").Int(photo.position).Key("webp");
    WritePhotoUrls(w, photo.key, "webp");
    w.Key("width").Int(photo.width).EndObject();
  }
  w.EndArray();
  w.Key("price_display").String(money::FormatVnd(p.price_vnd));
  w.Key("price_vnd").Int(p.price_vnd);
  w.Key("seller_id").Int(p.seller_id);
  w.Key(kShelfLifeField);
  if (label.shelf_life_days) {
    w.Int(*label.shelf_life_days);
  } else {
    w.Null();
  }
  if (manager) w.Key("shop_visible").Bool(p.seller_visible);
  w.Key("sku").String(p.sku);
  w.Key("slug").String(p.slug);
  w.Key("status").String(StatusName(p.status));
  w.Key("stock").Int(p.stock);
  WriteOptionalText(w, "storage_instructions", label.storage_instructions);
  if (manager) {
    w.Key("suspended_reason");
    if (p.suspended_reason.empty()) {
      w.Null();
    } else {
      w.String(p.suspended_reason);
    }
  }
  w.Key("unit").String(p.unit);
  w.Key("updated_at").String(timefmt::Rfc3339(p.updated_at));
  WriteOptionalText(w, "usage_instructions", label.usage_instructions);
  WriteOptionalText(w, "warnings", label.warnings);
  w.Key("weight_grams").Int(p.weight_grams);
  w.EndObject();
  return out;
}

void WriteProductSummaryMembers(http::JsonWriter& w, const Product& p, const places::PlaceService& places) {
  w.Key("id").Int(p.id).Key("seller_id").Int(p.seller_id).Key("name").String(p.name);
  w.Key("slug").String(p.slug).Key("category").String(p.category_code).Key("unit").String(p.unit);
  w.Key("price_vnd").Int(p.price_vnd).Key("price_display").String(money::FormatVnd(p.price_vnd));
  w.Key("in_stock").Bool(p.stock > 0).Key("weight_grams").Int(p.weight_grams);
  w.Key("status").String(StatusName(p.status));
  w.Key("origin");
  WriteOrigin(w, p, places);
  w.Key("cover");
  WriteCover(w, p.cover_photo);
}

std::string ProductListJson(const std::vector<Product>& items, std::optional<std::int64_t> next_before_id,
                            const places::PlaceService& places) {
  std::string out;
  http::JsonWriter w(out);
  w.BeginObject().Key("items").BeginArray();
  for (const auto& p : items) {
    w.BeginObject();
    WriteProductSummaryMembers(w, p, places);
    w.EndObject();
  }
  w.EndArray().Key("next_cursor");
  if (next_before_id) {
    w.String(std::to_string(*next_before_id));
  } else {
    w.Null();
  }
  w.EndObject();
  return out;
}

nlohmann::json CategoriesJson() {
  nlohmann::json items = nlohmann::json::array();
  std::map<std::string, std::size_t> top_index;
  for (const Category& c : AllCategories()) {
    nlohmann::json node = {{"code", c.code}, {"name", c.name_vi}, {"name_en", c.name_en}, {"slug", c.slug}};
    if (c.parent_code.empty()) {
      node["children"] = nlohmann::json::array();
      top_index[c.code] = items.size();
      items.push_back(std::move(node));
    } else {
      items[top_index.at(c.parent_code)]["children"].push_back(std::move(node));
    }
  }
  return {{"items", std::move(items)}};
}

nlohmann::json AdminUnitJson(const places::AdminUnit& unit) {
  return {
      {"code", unit.code},
      {"name", unit.name},
      {"short_name", unit.short_name},
      {"type", unit.type},
      {"level", unit.level},
      {"parent_code", unit.parent_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(unit.parent_code)},
      {"province_code", unit.province_code},
      {"scheme", unit.scheme == places::Scheme::kCurrent ? "2025" : "pre2025"}};
}

std::string SearchPageJson(const SearchPage& page, const places::PlaceService& places) {
  std::string out;
  out.reserve(8192);
  http::JsonWriter w(out);
  w.BeginObject().Key("items").BeginArray();
  std::unordered_map<std::int64_t, int> score_of;
  for (const auto& hit : page.response.hits) score_of[hit.product_id] = hit.score;
  for (const auto& p : page.products) {
    w.BeginObject();
    WriteProductSummaryMembers(w, p, places);
    w.Key("score").Int(score_of[p.id]);
    if (const auto& coverage = page.certifications) {
      int stars = 0;
      w.Key("certified").BeginArray();
      if (auto it = coverage->by_product.find(p.id); it != coverage->by_product.end()) {
        for (std::size_t bit = 0; bit < coverage->kinds.size() && bit < kMaxCertificationKinds; ++bit) {
          if (it->second.kinds & (1u << bit)) w.String(coverage->kinds[bit]);
        }
        stars = it->second.ocop_stars;
      }
      w.EndArray().Key("ocop_stars");
      if (stars > 0) {
        w.Int(stars);
      } else {
        w.Null();
      }
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("next_cursor");
  if (page.response.next) {
    w.String(EncodeCursor(*page.response.next));
  } else {
    w.Null();
  }
  w.Key("total").Int(static_cast<std::int64_t>(page.response.total));
  w.Key("words").BeginArray();
  for (const auto& word : page.response.words) w.String(word);
  w.EndArray();

  // Category facets as a tree: each top-level category with its total and
  // the leaf counts under it, most first.
  std::unordered_map<std::string, std::uint32_t> leaf_counts;
  for (const auto& f : page.response.categories) leaf_counts[f.code] = f.count;
  struct Top {
    const Category* category;
    std::uint32_t total;
    std::vector<const Category*> children;
  };
  std::vector<Top> tops;
  for (const Category& top : AllCategories()) {
    if (!top.parent_code.empty()) continue;
    Top t{&top, 0, {}};
    if (auto it = leaf_counts.find(top.code); it != leaf_counts.end()) t.total = it->second;
    for (const Category& child : AllCategories()) {
      if (child.parent_code != top.code) continue;
      if (auto it = leaf_counts.find(child.code); it != leaf_counts.end()) {
        t.total += it->second;
        t.children.push_back(&child);
      }
    }
    if (t.total > 0) tops.push_back(std::move(t));
  }
  std::stable_sort(tops.begin(), tops.end(), [](const Top& a, const Top& b) { return a.total > b.total; });
  w.Key("facets").BeginObject().Key("categories").BeginArray();
  for (const Top& t : tops) {
    w.BeginObject().Key("code").String(t.category->code).Key("name").String(t.category->name_vi);
    w.Key("count").Int(t.total).Key("children").BeginArray();
    for (const Category* child : t.children) {
      w.BeginObject().Key("code").String(child->code).Key("name").String(child->name_vi);
      w.Key("count").Int(leaf_counts[child->code]).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().Key("provinces").BeginArray();
  for (const auto& f : page.response.provinces) {
    w.BeginObject().Key("code").String(f.code).Key("count").Int(f.count);
    if (std::string name = UnitName(places, f.code); !name.empty()) w.Key("name").String(name);
    w.EndObject();
  }
  w.EndArray();
  if (page.certifications) {
    // The quality module's facet shape: {"certified": {kind: n}, "ocop_min": {"3": n, "4": n, "5": n}}.
    w.Key("certified").BeginObject();
    for (const auto& f : page.response.certified) w.Key(f.code).Int(f.count);
    w.EndObject().Key("ocop_min").BeginObject();
    for (const auto& f : page.response.ocop_min) w.Key(f.code).Int(f.count);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return out;
}

}  // namespace nongsan::catalog
