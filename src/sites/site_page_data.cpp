#include "sites/site_page_data.hpp"

#include "http/request.hpp"
#include "places/places.hpp"
#include "web/format.hpp"

namespace nongsan::sites {
namespace {

using nlohmann::json;

// Photo widths the catalogue stores (catalog::kPhotoWidths): the hero fills
// a phone at 2x, product cards take a third of that.
constexpr int kHeroWidth = 1080;
constexpr int kHeroSmallWidth = 480;
constexpr int kCardWidth = 480;
constexpr int kCardSmallWidth = 160;
// The description in meta tags and JSON-LD.
constexpr std::size_t kSummaryBytes = 300;
constexpr std::size_t kMaxStoryParagraphs = 30;

std::vector<std::string> Paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size() && out.size() < kMaxStoryParagraphs) {
    const std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) out.push_back(std::move(line));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

// Cut at a character boundary (never inside a UTF-8 sequence).
std::string Summary(const std::string& text) {
  if (text.size() <= kSummaryBytes) return text;
  std::size_t cut = kSummaryBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::string Description(const PublicSite& site) {
  if (!site.settings.tagline.empty()) return site.settings.tagline;
  if (!site.settings.story.empty()) return Summary(site.settings.story);
  if (!site.shop.description.empty()) return Summary(site.shop.description);
  return site.shop.name;
}

std::string FullAddress(const SiteShop& shop) { return places::JoinAddress(shop.address_line, shop.place); }

// The picture shared on Zalo/Facebook: the hero, else the first product photo.
std::string ShareImage(const PublicSite& site, const SiteAddress& address, const CatalogPort& catalog) {
  if (!site.settings.hero_photo_key.empty()) {
    return address.asset_base + catalog.PhotoPath(site.settings.hero_photo_key, kHeroWidth, "jpg");
  }
  for (const auto& p : site.products) {
    if (!p.photo_key.empty()) return address.asset_base + catalog.PhotoPath(p.photo_key, kHeroWidth, "jpg");
  }
  return "";
}

json ProductCards(const PublicSite& site, const SiteAddress& address, const CatalogPort& catalog) {
  json cards = json::array();
  for (const auto& p : site.products) {
    json card = {{"id", p.id},
                 {"name", p.name},
                 {"price", web::Price(p.price_vnd)},
                 {"unit", p.unit},
                 {"in_stock", p.in_stock},
                 // Buying happens on the marketplace: its product page (with
                 // the cart form) from a shop's domain, its cart otherwise.
                 {"url", address.marketplace_url + p.path},
                 {"image", false}};
    if (!p.photo_key.empty()) {
      card["image"] = {{"src", catalog.PhotoPath(p.photo_key, kCardWidth, "jpg")},
                       {"srcset", catalog.PhotoPath(p.photo_key, kCardSmallWidth, "webp") + " " +
                                      std::to_string(kCardSmallWidth) + "w, " +
                                      catalog.PhotoPath(p.photo_key, kCardWidth, "webp") + " " +
                                      std::to_string(kCardWidth) + "w"}};
    }
    cards.push_back(std::move(card));
  }
  return cards;
}

}  // namespace

std::string GoogleMapsUrl(const std::string& address) {
  return "https://www.google.com/maps/search/?api=1&query=" + http::UrlEncode(address);
}

std::string OpenStreetMapUrl(const std::string& address) {
  return "https://www.openstreetmap.org/search?query=" + http::UrlEncode(address);
}

json SitePageData(const PublicSite& site, const SiteAddress& address, const CatalogPort& catalog) {
  const SiteShop& shop = site.shop;
  const SiteSettings& s = site.settings;
  json paragraphs = json::array();
  for (auto& line : Paragraphs(s.story.empty() ? shop.description : s.story))
    paragraphs.push_back(std::move(line));
  json certificates = json::array();
  json trademarks = json::array();
  for (const auto& c : site.certificates) {
    json row = {{"label", c.label},
                {"number", c.number},
                {"issuer", c.issuer},
                {"expires_on", c.expires_on},
                {"url", c.url}};
    (c.kind == "trademark" ? trademarks : certificates).push_back(std::move(row));
  }
  const std::string full_address = FullAddress(shop);
  json hero = false;
  if (!s.hero_photo_key.empty()) {
    hero = {{"src", catalog.PhotoPath(s.hero_photo_key, kHeroWidth, "jpg")},
            {"srcset", catalog.PhotoPath(s.hero_photo_key, kHeroSmallWidth, "webp") + " " +
                           std::to_string(kHeroSmallWidth) + "w, " +
                           catalog.PhotoPath(s.hero_photo_key, kHeroWidth, "webp") + " " +
                           std::to_string(kHeroWidth) + "w"}};
  }
  const std::string image = ShareImage(site, address, catalog);
  json og = {{"title", shop.name}, {"description", Description(site)}, {"url", address.site_url}};
  if (!image.empty()) og["image"] = image;
  json data = {
      {"title", shop.name},
      {"description", Description(site)},
      {"site_url", address.site_url},
      {"og", std::move(og)},
      {"shop",
       {{"name", shop.name},
        {"tagline", s.tagline},
        {"verified", shop.verified},
        {"paragraphs", std::move(paragraphs)},
        {"address", full_address},
        {"phone", shop.phone},
        {"phone_href", "tel:" + shop.phone},
        {"google_maps", GoogleMapsUrl(full_address)},
        {"openstreetmap", OpenStreetMapUrl(full_address)},
        {"marketplace_url", address.marketplace_url + shop.shop_path}}},
      {"hero", std::move(hero)},
      {"products", ProductCards(site, address, catalog)},
      {"certificates", std::move(certificates)},
      {"trademarks", std::move(trademarks)},
      {"buy_form", !address.custom_domain},
  };
  data["has_story"] = !data["shop"]["paragraphs"].empty();
  data["has_products"] = !data["products"].empty();
  data["has_certificates"] = !data["certificates"].empty();
  data["has_trademarks"] = !data["trademarks"].empty();
  return data;
}

json SiteJsonLd(const PublicSite& site, const SiteAddress& address, const CatalogPort& catalog) {
  const SiteShop& shop = site.shop;
  json business = {{"@type", "LocalBusiness"},
                   {"@id", address.site_url + "#shop"},
                   {"name", shop.name},
                   {"description", Description(site)},
                   {"url", address.site_url},
                   {"address",
                    {{"@type", "PostalAddress"},
                     {"streetAddress", shop.address_line},
                     {"addressLocality", shop.place},
                     {"addressCountry", "VN"}}},
                   {"hasMap", GoogleMapsUrl(FullAddress(shop))}};
  if (!shop.phone.empty()) business["telephone"] = shop.phone;
  if (const std::string image = ShareImage(site, address, catalog); !image.empty()) business["image"] = image;
  json items = json::array();
  int position = 0;
  for (const auto& p : site.products) {
    const std::string url = address.marketplace_url + p.path;
    json product = {
        {"@type", "Product"},
        {"name", p.name},
        {"url", url},
        {"offers",
         {{"@type", "Offer"},
          {"price", p.price_vnd},
          {"priceCurrency", "VND"},
          {"availability", p.in_stock ? "https://schema.org/InStock" : "https://schema.org/OutOfStock"},
          {"url", url}}}};
    if (!p.photo_key.empty())
      product["image"] = address.asset_base + catalog.PhotoPath(p.photo_key, kCardWidth, "jpg");
    items.push_back({{"@type", "ListItem"}, {"position", ++position}, {"item", std::move(product)}});
  }
  json list = {{"@type", "ItemList"},
               {"name", "Sản phẩm của " + shop.name},
               {"numberOfItems", position},
               {"itemListElement", std::move(items)}};
  return {{"@context", "https://schema.org"},
          {"@graph", json::array({std::move(business), std::move(list)})}};
}

}  // namespace nongsan::sites
