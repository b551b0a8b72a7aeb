// What the sites module needs from the modules that own shops, products and
// certificates. Sites never reads their tables: it asks through these narrow
// interfaces, implemented over the real services in service_adapters.cpp and
// wired by the app (as trace/ports.hpp does).
//
// Thread-safety: implementations must be safe to call from any thread; they
// open their own transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"

namespace nongsan::sites {

struct SiteShop {
  std::int64_t id = 0;
  std::string name;
  bool cooperative = false;
  bool verified = false;
  std::string description;
  std::string address_line;
  std::string place;          // "Phường Đức Xuân, Tỉnh Thái Nguyên"; "" if unknown
  std::string province_code;  // "" if unknown
  std::string phone;
  std::string shop_path;  // the marketplace's page, "/cua-hang/che-duc-xuan-7"
};

// How a person relates to a shop, for the site's settings and its domain.
struct ShopRelation {
  bool visible = false;         // may know the shop exists (public, or related)
  bool manages = false;         // owner, staff, or acting for it (coop manager, assisting officer)
  bool official = false;        // a commune officer of its commune or the admin of its province
  bool province_admin = false;  // the admin of its province
};

class ShopPort {
 public:
  virtual ~ShopPort() = default;
  // The shop as the marketplace's shop page shows it to `viewer`: kNotFound
  // exactly where that page is a 404 (unknown, or suspended for outsiders).
  virtual Result<SiteShop> View(const Principal* viewer, std::int64_t seller_id) = 0;
  virtual ShopRelation RelationOf(const Principal* principal, std::int64_t seller_id) = 0;
};

struct SiteProduct {
  std::int64_t id = 0;
  std::string name;
  std::int64_t price_vnd = 0;
  std::string unit;
  std::string photo_key;  // catalogue storage key of the cover, "" if none
  std::string path;       // the product page, "/san-pham/che-42"
  bool in_stock = false;
};

enum class Members { kExclude, kInclude };

// A photo of one of the shop's products, offered as the site's hero.
struct ShopPhoto {
  std::int64_t id = 0;
  std::string key;           // catalogue storage key
  std::string product_name;  // for the picker's text alternative
};

class CatalogPort {
 public:
  virtual ~CatalogPort() = default;
  // The shop's public products, newest first, at most `limit`; a
  // cooperative's include its members' (as its marketplace page does).
  virtual Result<std::vector<SiteProduct>> PublicProducts(std::int64_t seller_id, Members members,
                                                          int limit) = 0;
  // The photos of the shop's products, as `principal` (who manages the
  // shop) sees them; at most `limit`.
  virtual Result<std::vector<ShopPhoto>> ShopPhotos(const Principal& principal, std::int64_t seller_id,
                                                    std::size_t limit) = 0;
  // "/photos/<file>" of a stored photo at one of the catalogue's widths.
  virtual std::string PhotoPath(const std::string& key, int width, const std::string& ext) const = 0;
};

struct SiteCertificate {
  std::string kind;   // "ocop", "vietgap", "trademark", …
  std::string label;  // "OCOP 4★", "VietGAP"
  std::string number;
  std::string issuer;
  std::string expires_on;  // "YYYY-MM-DD", "" when it does not expire
  std::string url;         // its public verification page
};

class CertificatePort {
 public:
  virtual ~CertificatePort() = default;
  // The shop's verified certificates valid today, trademarks left out.
  virtual Result<std::vector<SiteCertificate>> ShopCertificates(std::int64_t seller_id) = 0;
  // The shop's registered trademarks: granted, verified and valid today.
  virtual Result<std::vector<SiteCertificate>> Trademarks(std::int64_t seller_id) = 0;
};

}  // namespace nongsan::sites
