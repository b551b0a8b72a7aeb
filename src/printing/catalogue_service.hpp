// A shop's product catalogue as PDF: what it holds, for whom, and a cache.
//
// Rules kept here:
//  * anyone may fetch the catalogue of a public shop (it is promotional
//    material, made to be shared); a suspended or unknown shop is kNotFound
//    except to its managers and officials;
//  * it lists every product on sale (active, the shop public), newest first;
//    a cooperative's own products come first, then each active member's
//    under the member's name; at most kMaxCatalogueProducts in all (the
//    newest; the rest is left out);
//  * certificates are the shop's verified ones valid today; OCOP stars are
//    each product's best valid rating today;
//  * a rendered catalogue is kept by (shop, language, fingerprint of
//    everything it shows, its photos by their storage keys), so a shop's
//    shared link costs one rendering per change, not one per reader, and a
//    cached one reads no photo file.
//
// Thread-safety: the cache is guarded by a mutex; safe to share.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "printing/catalogue_pdf.hpp"
#include "printing/ports.hpp"

namespace nongsan::printing {

// A product's photo in the catalogue fills a 40 mm frame. No photo is decoded
// while a catalogue is drawn (200 decodes on the image pool were most of a
// 3.6 s catalogue): the stored 480 px JPEG prints as it is (about 300 dpi)
// when it weighs at most kMaxCataloguePhotoBytes, else the stored 160 px one
// (about 100 dpi). 200 photos then stay under 8 MB, the catalogue under 10 MB.
inline constexpr std::size_t kMaxCataloguePhotoBytes = 40 * 1024;

// Which stored JPEG a product's frame prints: `large` (480 px) within the
// budget, else `small` (160 px) when there is one, else `large`.
const std::string& CataloguePhoto(const std::string& large, const std::string& small);

// A catalogue of more products is a book, not a brochure.
inline constexpr std::size_t kMaxCatalogueProducts = 1000;
// Rendered catalogues kept (each a few MB at most).
inline constexpr std::size_t kCatalogueCacheEntries = 16;

class CatalogueService {
 public:
  CatalogueService(const Clock& clock, std::string base_url, ShopPort& shops, ProductPort& products,
                   CertificatePort& certificates)
      : clock_(clock),
        base_url_(std::move(base_url)),
        shops_(shops),
        products_(products),
        certificates_(certificates) {}

  Result<std::string> CataloguePdf(const Principal* principal, std::int64_t seller_id, CatalogueLang lang);
  // What the catalogue would show (tests and the PDF share it).
  Result<CatalogueContent> Content(const Principal* principal, std::int64_t seller_id, CatalogueLang lang);

 private:
  // A product's stored photo: where it prints (group, product) and its key.
  struct PhotoRef {
    std::size_t group = 0;
    std::size_t product = 0;
    std::string key;
  };
  // The content without its photos, and where each photo goes: stored
  // photos never change under their key, so the keys stand for them in the
  // cache key and a cached catalogue reads no photo file.
  Result<CatalogueContent> Gather(const Principal* principal, std::int64_t seller_id, CatalogueLang lang,
                                  std::vector<PhotoRef>& photos);
  void AddPhotos(CatalogueContent& content, const std::vector<PhotoRef>& photos);
  // The cached PDF of this key, or nullopt.
  std::optional<std::string> Cached(const std::string& key);
  void Keep(const std::string& key, const std::string& pdf);

  const Clock& clock_;
  std::string base_url_;
  ShopPort& shops_;
  ProductPort& products_;
  CertificatePort& certificates_;
  std::mutex mutex_;
  std::list<std::pair<std::string, std::string>> lru_;
  std::unordered_map<std::string, std::list<std::pair<std::string, std::string>>::iterator> index_;
};

}  // namespace nongsan::printing
