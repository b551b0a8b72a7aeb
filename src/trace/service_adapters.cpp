#include "trace/service_adapters.hpp"

#include "catalog/catalog_service.hpp"
#include "catalog/photo_service.hpp"
#include "orders/notifications.hpp"
#include "places/places.hpp"
#include "quality/quality_service.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::trace {

// The photo width the provenance page shows (a phone screen).
inline constexpr int kProvenancePhotoWidth = 480;

Result<std::optional<ShopRef>> SellerShopPort::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<ShopRef>{};
    return std::move(seller).error();
  }
  return std::optional<ShopRef>{ShopRef{seller->id, seller->name, seller->address_line, seller->commune_code,
                                        seller->province_code,
                                        seller->status != sellers::SellerStatus::kSuspended}};
}

bool SellerShopPort::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

bool SellerShopPort::OfficerCovers(const Principal& principal, const std::string& commune_code) {
  return sellers_.OfficerCovers(principal, commune_code);
}

Result<std::optional<ProductRef>> CatalogProductPort::Find(std::int64_t product_id) {
  TRY_ASSIGN(auto products, catalog_.FindMany({product_id}));
  if (products.empty()) return std::optional<ProductRef>{};
  const catalog::Product& p = products.front();
  ProductRef ref{p.id, p.seller_id, p.name, p.gtin, p.origin_commune, "", p.IsPublic()};
  if (!p.cover_photo.empty()) {
    ref.photo_url = "/photos/" + catalog::PhotoFileName(p.cover_photo, kProvenancePhotoWidth, "jpg");
  }
  return std::optional<ProductRef>{std::move(ref)};
}

Status CatalogProductPort::SetGtin(const Principal& principal, std::int64_t product_id,
                                   const std::string& gtin) {
  catalog::ProductPatch patch;
  patch.gtin = std::optional<std::string>(gtin);
  TRY(catalog_.Update(&principal, product_id, patch));
  return Ok{};
}

Result<std::vector<CertificateRef>> QualityCertificatePort::ValidOn(std::int64_t product_id,
                                                                    std::int64_t day) {
  TRY_ASSIGN(auto badges, quality_.CertificationsOn(product_id, day));
  std::vector<CertificateRef> out;
  for (const auto& b : badges) {
    out.push_back({std::string(quality::CertKindName(b.kind)), b.ocop_stars, b.number, b.issuer,
                   b.expires_day, b.verify_url});
  }
  return out;
}

std::string PlacesAreaPort::UnitName(const std::string& code) const {
  auto unit = places_.Get(code);
  return unit ? unit->name : std::string();
}

std::optional<std::string> PlacesAreaPort::ProvinceOf(const std::string& commune_code) const {
  return places_.ProvinceOf(commune_code);
}

bool PlacesAreaPort::IsCommune(const std::string& code) const { return places_.IsCommune(code); }

Status OrdersBuyerNotifier::NotifyRecall(db::Connection& c, const std::vector<BuyerNotice>& notices) {
  std::vector<orders::OrderNotice> out;
  out.reserve(notices.size());
  for (const auto& n : notices) out.push_back({n.order_id, n.buyer_id, "lot_recalled", n.message, n.at});
  return notifications_.QueueNotices(c, out);
}

}  // namespace nongsan::trace
