// What the printing module needs from the modules that own shops, products,
// lots and certificates. Printing never reads their tables: it asks through
// these narrow interfaces, implemented over the real services in
// service_adapters.cpp and wired by the app.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/label_data.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"

namespace nongsan::printing {

// The widths of the stored JPEGs a catalogue draws (two of catalog::kPhotoWidths):
// 480 px over the 40 mm frame of a product's photo is about 300 dpi, 160 px
// about 100 dpi (see CataloguePhoto).
inline constexpr int kCataloguePhotoWidth = 480;
inline constexpr int kCatalogueSmallPhotoWidth = 160;

// The organisation responsible for the goods, as its label names it.
struct ShopInfo {
  std::int64_t id = 0;
  std::string name;
  std::string address;       // "số nhà, thôn" + commune + province, "" when nothing is known
  std::string commune_code;  // for the officials who cover it
  bool is_public = false;
  std::string story;  // the shop's own description
  std::string phone;
  bool is_cooperative = false;
  std::int64_t updated_at = 0;
};

class ShopPort {
 public:
  virtual ~ShopPort() = default;
  virtual Result<std::optional<ShopInfo>> Find(std::int64_t seller_id) = 0;
  // Owner, staff, the managing cooperative or an officer acting for the shop.
  virtual bool CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  // A commune officer of the commune, or the admin of its province.
  virtual bool OfficerCovers(const Principal& principal, const std::string& commune_code) = 0;
  // The active member shops of a cooperative (none for other shops).
  virtual Result<std::vector<ShopInfo>> Members(std::int64_t coop_id) = 0;
};

struct ProductInfo {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string name;
  std::string category_code;
  std::optional<std::string> gtin;
  std::string origin;  // "Xã Tân Cương, Tỉnh Thái Nguyên", "" when unknown
  catalog::LabelData label;
  bool is_public = false;
  std::int64_t price_vnd = 0;
  std::string unit;
  std::string cover_photo;  // storage key, "" without a photo
  std::string page_path;    // the public product page, "/san-pham/che-tan-cuong-12"
  std::int64_t updated_at = 0;
};

class ProductPort {
 public:
  virtual ~ProductPort() = default;
  // The product whatever its state (deleted ones are unknown).
  virtual Result<std::optional<ProductInfo>> Find(std::int64_t product_id) = 0;
  // Every product of the shop on sale (active, the shop public), newest first.
  virtual Result<std::vector<ProductInfo>> OnSale(std::int64_t seller_id) = 0;
  // The cover photo as the photo pipeline stored it: a JPEG `width` pixels
  // wide (kCataloguePhotoWidth or kCatalogueSmallPhotoWidth).
  virtual Result<std::string> CoverJpeg(const std::string& cover_key, int width) = 0;
};

// A production lot as its label prints it.
struct LotInfo {
  std::int64_t id = 0;
  std::int64_t product_id = 0;
  std::string code;
  std::int64_t produced_day = 0;  // days since 1970-01-01
  std::optional<std::int64_t> expires_day;
  std::string uri;  // what the pack's QR carries: the lot's Digital Link or trace page
};

class LotPort {
 public:
  virtual ~LotPort() = default;
  virtual Result<std::optional<LotInfo>> Find(std::int64_t lot_id) = 0;
  // The product's lots as `principal` may see them (for the print page),
  // newest first.
  virtual Result<std::vector<LotInfo>> ListForProduct(const Principal* principal,
                                                      std::int64_t product_id) = 0;
};

// A verified certificate as a catalogue lists it.
struct CertificateLine {
  std::string kind;  // "OCOP", "VietGAP", … as people read it
  std::optional<int> ocop_stars;
  std::string number;
  std::string issuer;
  std::int64_t expires_day = 0;
};

class CertificatePort {
 public:
  virtual ~CertificatePort() = default;
  // The OCOP stars of a verified OCOP certificate of the product valid on
  // `day`, or nullopt.
  virtual Result<std::optional<int>> OcopStars(std::int64_t product_id, std::int64_t day) = 0;
  // The best OCOP rating valid today of each product that has one.
  virtual Result<std::map<std::int64_t, int>> OcopStarsToday(
      const std::vector<std::int64_t>& product_ids) = 0;
  // The shop's verified certificates valid today, OCOP first.
  virtual Result<std::vector<CertificateLine>> ShopCertificates(std::int64_t seller_id) = 0;
  // The certificate numbers of the shop's registered trademarks (granted,
  // verified, valid today), newest grant first.
  virtual Result<std::vector<std::string>> TrademarkNumbers(std::int64_t seller_id) = 0;
};

}  // namespace nongsan::printing
