#include "sites/service_adapters.hpp"

#include "catalog/catalog_service.hpp"
#include "catalog/certification_source.hpp"
#include "catalog/photo_service.hpp"
#include "places/places.hpp"
#include "quality/quality_service.hpp"
#include "sellers/seller_service.hpp"
#include "web/format.hpp"

namespace nongsan::sites {
namespace {

// Products looked through for a hero photo (pages of the catalogue's maximum).
constexpr int kPhotoScanPage = 100;
constexpr int kMaxPhotoScanPages = 10;

}  // namespace

Result<SiteShop> SellerSitePort::View(const Principal* viewer, std::int64_t seller_id) {
  TRY_ASSIGN(sellers::Access access, sellers_.View(viewer, seller_id));
  const sellers::Seller& s = access.seller;
  const bool coop = s.type == sellers::SellerType::kCooperative;
  SiteShop shop;
  shop.id = s.id;
  shop.name = s.name;
  shop.cooperative = coop;
  shop.verified = s.status == sellers::SellerStatus::kVerified;
  shop.description = s.description;
  shop.address_line = s.address_line;
  shop.place = places_.FullName(s.commune_code);
  shop.province_code = s.province_code;
  shop.phone = s.phone;
  shop.shop_path = coop ? web::CoopPath(s.name, s.id) : web::ShopPath(s.name, s.id);
  return shop;
}

ShopRelation SellerSitePort::RelationOf(const Principal* principal, std::int64_t seller_id) {
  ShopRelation relation;
  auto access = sellers_.AccessFor(principal, seller_id);
  if (!access.ok()) return relation;  // unknown, or hidden from this person
  relation.visible = true;
  if (principal == nullptr) return relation;
  const sellers::Seller& s = access->seller;
  relation.manages = sellers_.CanManage(principal, seller_id);
  relation.province_admin = principal->Has(Role::kProvinceAdmin, s.province_code);
  relation.official = relation.province_admin || sellers_.OfficerCovers(*principal, s.commune_code);
  return relation;
}

Result<std::vector<SiteProduct>> CatalogSitePort::PublicProducts(std::int64_t seller_id, Members members,
                                                                 int limit) {
  catalog::SellerListOptions options;
  options.limit = limit;
  options.include_members = members == Members::kInclude;
  std::vector<SiteProduct> out;
  auto page = catalog_.ListForSeller(nullptr, seller_id, options);
  // A suspended shop lists nothing publicly; its own people still see its
  // site, without products, as on its marketplace page.
  if (!page.ok() && page.error().code == ErrorCode::kNotFound) return out;
  if (!page.ok()) return std::move(page).error();
  for (const auto& p : page->items) {
    if (!p.IsPublic()) continue;
    out.push_back(
        {p.id, p.name, p.price_vnd, p.unit, p.cover_photo, web::ProductPath(p.name, p.id), p.stock > 0});
  }
  return out;
}

Result<std::vector<ShopPhoto>> CatalogSitePort::ShopPhotos(const Principal& principal, std::int64_t seller_id,
                                                           std::size_t limit) {
  std::vector<ShopPhoto> out;
  catalog::SellerListOptions options;
  options.limit = kPhotoScanPage;
  for (int page_no = 0; page_no < kMaxPhotoScanPages; ++page_no) {
    TRY_ASSIGN(catalog::ProductPage page, catalog_.ListForSeller(&principal, seller_id, options));
    for (const auto& listed : page.items) {
      if (listed.seller_id != seller_id || listed.cover_photo.empty()) continue;
      // Listings carry the cover only; the product's own read has them all.
      TRY_ASSIGN(catalog::Product product, catalog_.GetForManage(&principal, listed.id));
      for (const auto& photo : product.photos) {
        out.push_back({photo.id, photo.key, product.name});
        if (out.size() == limit) return out;
      }
    }
    if (!page.next_before_id) break;
    options.before_id = *page.next_before_id;
  }
  return out;
}

std::string CatalogSitePort::PhotoPath(const std::string& key, int width, const std::string& ext) const {
  return "/photos/" + catalog::PhotoFileName(key, width, ext);
}

Result<std::vector<SiteCertificate>> CertificationSitePort::ShopCertificates(std::int64_t seller_id) {
  std::vector<SiteCertificate> out;
  if (source_ == nullptr) return out;
  TRY_ASSIGN(auto badges, source_->SellerBadges(seller_id));
  for (const auto& b : badges) {
    if (b.kind == "trademark") continue;  // Trademarks() lists them
    std::string label = b.label;
    if (b.ocop_stars) label += " " + std::to_string(*b.ocop_stars) + "★";
    out.push_back({b.kind, std::move(label), b.number, b.issuer, b.expires_on,
                   b.verify_path.empty() ? b.verify_url : b.verify_path});
  }
  return out;
}

Result<std::vector<SiteCertificate>> CertificationSitePort::Trademarks(std::int64_t seller_id) {
  std::vector<SiteCertificate> out;
  if (quality_ == nullptr) return out;
  TRY_ASSIGN(auto marks, quality_->GrantedTrademarks(seller_id));
  for (const auto& m : marks) {
    out.push_back({"trademark", std::string(quality::CertKindLabel(m.kind)), m.number, m.issuer,
                   timefmt::IsoDate(m.expires_day), m.verify_url});
  }
  return out;
}

}  // namespace nongsan::sites
