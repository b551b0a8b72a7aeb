#include "printing/service_adapters.hpp"

#include <algorithm>

#include "catalog/catalog_service.hpp"
#include "catalog/photo_service.hpp"
#include "catalog/photo_storage.hpp"
#include "places/places.hpp"
#include "quality/quality_service.hpp"
#include "sellers/seller_service.hpp"
#include "trace/trace_json.hpp"
#include "trace/trace_service.hpp"
#include "web/format.hpp"

namespace nongsan::printing {
namespace {

// "Xã Tân Cương, Tỉnh Thái Nguyên" for a commune code; "" when unknown.
std::string PlaceName(const places::PlaceService& places, const std::string& commune_code) {
  if (commune_code.empty()) return "";
  std::string out;
  if (auto unit = places.Get(commune_code)) out = unit->name;
  if (auto province = places.ProvinceOf(commune_code)) {
    if (auto unit = places.Get(*province)) out += (out.empty() ? "" : ", ") + unit->name;
  }
  return out;
}

ShopInfo InfoOf(const sellers::Seller& seller, const places::PlaceService& places) {
  std::string address = places::JoinAddress(seller.address_line, PlaceName(places, seller.commune_code));
  return ShopInfo{seller.id,
                  seller.name,
                  address,
                  seller.commune_code,
                  seller.status != sellers::SellerStatus::kSuspended,
                  seller.description,
                  seller.phone,
                  seller.type == sellers::SellerType::kCooperative,
                  seller.updated_at};
}

ProductInfo InfoOf(const catalog::Product& p, const places::PlaceService& places) {
  ProductInfo info;
  info.id = p.id;
  info.seller_id = p.seller_id;
  info.name = p.name;
  info.category_code = p.category_code;
  info.gtin = p.gtin;
  info.origin = PlaceName(places, p.origin_commune);
  info.label = p.label;
  info.is_public = p.IsPublic();
  info.price_vnd = p.price_vnd;
  info.unit = p.unit;
  info.cover_photo = p.cover_photo;
  info.page_path = web::ProductPath(p.name, p.id);
  info.updated_at = p.updated_at;
  return info;
}

}  // namespace

Result<std::optional<ShopInfo>> SellerShopPort::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<ShopInfo>{};
    return std::move(seller).error();
  }
  return std::optional<ShopInfo>{InfoOf(*seller, places_)};
}

Result<std::vector<ShopInfo>> SellerShopPort::Members(std::int64_t coop_id) {
  TRY_ASSIGN(auto members, sellers_.ListMembers(coop_id));
  std::vector<ShopInfo> out;
  for (const auto& m : members) out.push_back(InfoOf(m.member, places_));
  return out;
}

bool SellerShopPort::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

bool SellerShopPort::OfficerCovers(const Principal& principal, const std::string& commune_code) {
  return sellers_.OfficerCovers(principal, commune_code);
}

Result<std::optional<ProductInfo>> CatalogProductPort::Find(std::int64_t product_id) {
  TRY_ASSIGN(auto products, catalog_.FindMany({product_id}));
  if (products.empty()) return std::optional<ProductInfo>{};
  return std::optional<ProductInfo>{InfoOf(products.front(), places_)};
}

Result<std::vector<ProductInfo>> CatalogProductPort::OnSale(std::int64_t seller_id) {
  std::vector<ProductInfo> out;
  catalog::SellerListOptions options;
  options.limit = catalog::kMaxPageSize;
  // As the public sees the shop: no principal.
  while (true) {
    TRY_ASSIGN(catalog::ProductPage page, catalog_.ListForSeller(nullptr, seller_id, options));
    for (const auto& p : page.items) out.push_back(InfoOf(p, places_));
    if (!page.next_before_id) break;
    options.before_id = *page.next_before_id;
  }
  return out;
}

Result<std::string> CatalogProductPort::CoverJpeg(const std::string& cover_key, int width) {
  static_assert(kCataloguePhotoWidth == catalog::kPhotoWidths[1] &&
                    kCatalogueSmallPhotoWidth == catalog::kPhotoWidths[0],
                "the catalogue reads renditions the photo pipeline stores");
  return photos_.Get(catalog::PhotoFileName(cover_key, width, "jpg"));
}

namespace {

LotInfo InfoOf(const trace::Lot& lot, const std::string& base_url) {
  return LotInfo{lot.id,           lot.product_id,  lot.code,
                 lot.produced_day, lot.expires_day, trace::LotUri(lot, base_url)};
}

}  // namespace

Result<std::optional<LotInfo>> TraceLotPort::Find(std::int64_t lot_id) {
  TRY_ASSIGN(auto lot, trace_.FindLot(lot_id));
  if (!lot) return std::optional<LotInfo>{};
  return std::optional<LotInfo>{InfoOf(*lot, base_url_)};
}

Result<std::vector<LotInfo>> TraceLotPort::ListForProduct(const Principal* principal,
                                                          std::int64_t product_id) {
  TRY_ASSIGN(auto lots, trace_.ListLots(principal, product_id));
  std::vector<LotInfo> out;
  for (const auto& lot : lots) out.push_back(InfoOf(lot, base_url_));
  return out;
}

Result<std::map<std::int64_t, int>> QualityCertificatePort::OcopStarsToday(
    const std::vector<std::int64_t>& product_ids) {
  TRY_ASSIGN(auto by_product, quality_.Certifications(product_ids));
  std::map<std::int64_t, int> out;
  for (const auto& [product_id, badges] : by_product) {
    for (const auto& b : badges) {
      if (b.kind == quality::CertKind::kOcop && b.ocop_stars)
        out[product_id] = std::max(out[product_id], *b.ocop_stars);
    }
  }
  return out;
}

Result<std::vector<CertificateLine>> QualityCertificatePort::ShopCertificates(std::int64_t seller_id) {
  TRY_ASSIGN(auto badges, quality_.ShopCertifications(seller_id));
  std::vector<CertificateLine> out;
  for (const auto& b : badges) {
    out.push_back(
        {std::string(quality::CertKindLabel(b.kind)), b.ocop_stars, b.number, b.issuer, b.expires_day});
  }
  return out;
}

Result<std::vector<std::string>> QualityCertificatePort::TrademarkNumbers(std::int64_t seller_id) {
  TRY_ASSIGN(auto marks, quality_.GrantedTrademarks(seller_id));
  std::vector<std::string> out;
  for (const auto& m : marks) out.push_back(m.number);
  return out;
}

Result<std::optional<int>> QualityCertificatePort::OcopStars(std::int64_t product_id, std::int64_t day) {
  TRY_ASSIGN(auto badges, quality_.CertificationsOn(product_id, day));
  std::optional<int> stars;
  for (const auto& b : badges) {
    if (b.kind == quality::CertKind::kOcop && b.ocop_stars)
      stars = std::max(stars.value_or(0), *b.ocop_stars);
  }
  return stars;
}

}  // namespace nongsan::printing
