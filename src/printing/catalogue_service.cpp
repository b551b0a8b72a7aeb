#include "printing/catalogue_service.hpp"

#include <sodium.h>

#include "core/money.hpp"

namespace nongsan::printing {
namespace {

const char* KindName(const ShopInfo& shop, CatalogueLang lang) {
  if (shop.is_cooperative) return lang == CatalogueLang::kEn ? "Cooperative" : "Hợp tác xã";
  return lang == CatalogueLang::kEn ? "Farm producer" : "Cơ sở sản xuất";
}

// A digest of everything the catalogue shows (photos included), and the
// day: the cache key of its PDF.
std::string Fingerprint(const CatalogueContent& c, std::int64_t day, std::string_view photo_keys) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 16);
  auto add = [&state](std::string_view s) {
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>("\x1f"), 1);
  };
  for (std::string_view s :
       {std::string_view(c.shop_name), std::string_view(c.shop_kind), std::string_view(c.story),
        std::string_view(c.address), std::string_view(c.phone), std::string_view(c.cover_jpeg)}) {
    add(s);
  }
  add(std::to_string(day));
  add(photo_keys);
  for (const auto& cert : c.certificates) {
    for (std::string_view s : {std::string_view(cert.kind), std::string_view(cert.number),
                               std::string_view(cert.issuer), std::string_view(cert.expires_on)}) {
      add(s);
    }
    add(std::to_string(cert.ocop_stars.value_or(0)));
  }
  for (const auto& g : c.groups) {
    add(g.title);
    for (const auto& p : g.products) {
      for (std::string_view s :
           {std::string_view(p.name), std::string_view(p.price), std::string_view(p.net_quantity),
            std::string_view(p.page_url), std::string_view(p.jpeg)}) {
        add(s);
      }
      add(p.gtin.value_or("") + "/" + std::to_string(p.ocop_stars.value_or(0)));
    }
  }
  unsigned char digest[16];
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

const std::string& CataloguePhoto(const std::string& large, const std::string& small) {
  return large.size() <= kMaxCataloguePhotoBytes || small.empty() ? large : small;
}

Result<CatalogueContent> CatalogueService::Content(const Principal* principal, std::int64_t seller_id,
                                                   CatalogueLang lang) {
  std::vector<PhotoRef> photos;
  TRY_ASSIGN(CatalogueContent content, Gather(principal, seller_id, lang, photos));
  AddPhotos(content, photos);
  return content;
}

// A photo that cannot be read leaves an empty frame, not a failed catalogue.
void CatalogueService::AddPhotos(CatalogueContent& content, const std::vector<PhotoRef>& photos) {
  for (const auto& ref : photos) {
    auto large = products_.CoverJpeg(ref.key, kCataloguePhotoWidth);
    if (!large.ok()) continue;
    if (content.cover_jpeg.empty()) content.cover_jpeg = *large;  // the cover is larger: the stored 480 px
    std::string small;
    if (large->size() > kMaxCataloguePhotoBytes) {
      if (auto stored = products_.CoverJpeg(ref.key, kCatalogueSmallPhotoWidth); stored.ok())
        small = std::move(*stored);
    }
    content.groups.at(ref.group).products.at(ref.product).jpeg = CataloguePhoto(*large, small);
  }
}

Result<CatalogueContent> CatalogueService::Gather(const Principal* principal, std::int64_t seller_id,
                                                  CatalogueLang lang, std::vector<PhotoRef>& photos) {
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  const bool insider =
      shop && principal != nullptr &&
      (shops_.CanManage(principal, seller_id) || shops_.OfficerCovers(*principal, shop->commune_code));
  if (!shop || (!shop->is_public && !insider)) return Error::NotFound("shop");

  CatalogueContent c;
  c.lang = lang;
  c.shop_name = shop->name;
  c.shop_kind = KindName(*shop, lang);
  c.story = shop->story;
  c.address = shop->address;
  c.phone = shop->phone;
  TRY_ASSIGN(auto certificates, certificates_.ShopCertificates(seller_id));
  for (const auto& cert : certificates) {
    c.certificates.push_back(
        {cert.kind, cert.ocop_stars, cert.number, cert.issuer, timefmt::DisplayIsoDays(cert.expires_day)});
  }

  std::vector<std::pair<std::string, std::vector<ProductInfo>>> groups;
  TRY_ASSIGN(auto own, products_.OnSale(seller_id));
  groups.emplace_back(shop->name, std::move(own));
  if (shop->is_cooperative) {
    TRY_ASSIGN(auto members, shops_.Members(seller_id));
    for (const auto& member : members) {
      TRY_ASSIGN(auto products, products_.OnSale(member.id));
      groups.emplace_back(member.name, std::move(products));
    }
  }
  std::vector<std::int64_t> ids;
  for (const auto& [title, products] : groups) {
    for (const auto& p : products) ids.push_back(p.id);
  }
  TRY_ASSIGN(auto stars, certificates_.OcopStarsToday(ids));

  std::size_t total = 0;
  for (auto& [title, products] : groups) {
    CatalogueGroup group{title, {}};
    for (const auto& p : products) {
      if (total == kMaxCatalogueProducts) break;
      ++total;
      CatalogueProduct out;
      out.name = p.name;
      out.price = money::FormatVnd(p.price_vnd) + " / " + p.unit;
      out.net_quantity = p.label.net_quantity.value_or("");
      if (auto it = stars.find(p.id); it != stars.end()) out.ocop_stars = it->second;
      out.gtin = p.gtin;
      out.page_url = base_url_ + p.page_path;
      // The group is kept (it has this product), at index c.groups.size().
      if (!p.cover_photo.empty()) photos.push_back({c.groups.size(), group.products.size(), p.cover_photo});
      group.products.push_back(std::move(out));
    }
    if (!group.products.empty()) c.groups.push_back(std::move(group));
  }
  return c;
}

Result<std::string> CatalogueService::CataloguePdf(const Principal* principal, std::int64_t seller_id,
                                                   CatalogueLang lang) {
  std::vector<PhotoRef> photos;
  TRY_ASSIGN(CatalogueContent content, Gather(principal, seller_id, lang, photos));
  std::string photo_keys;
  for (const auto& ref : photos) photo_keys += ref.key + "/";
  // Today's date matters too: certificates lapse at midnight.
  const std::string key = std::to_string(seller_id) + (lang == CatalogueLang::kEn ? "/en/" : "/vi/") +
                          Fingerprint(content, timefmt::LocalDay(clock_.NowMs()), photo_keys);
  if (auto pdf = Cached(key)) return std::move(*pdf);
  AddPhotos(content, photos);
  TRY_ASSIGN(std::string pdf, RenderCatalogue(content));
  Keep(key, pdf);
  return pdf;
}

std::optional<std::string> CatalogueService::Cached(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void CatalogueService::Keep(const std::string& key, const std::string& pdf) {
  std::lock_guard lock(mutex_);
  if (index_.count(key)) return;
  lru_.emplace_front(key, pdf);
  index_.emplace(key, lru_.begin());
  if (lru_.size() > kCatalogueCacheEntries) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

}  // namespace nongsan::printing
