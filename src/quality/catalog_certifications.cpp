#include "quality/catalog_certifications.hpp"

#include <algorithm>
#include <atomic>

#include "catalog/catalog_json.hpp"
#include "core/clock.hpp"
#include "quality/quality_service.hpp"

namespace nongsan::quality {
namespace {

constexpr CertKind kAllKinds[] = {CertKind::kOcop,      CertKind::kVietGap,   CertKind::kOrganic,
                                  CertKind::kGlobalGap, CertKind::kTrademark, CertKind::kOther};

catalog::CertificationBadge ToCatalogBadge(const Badge& b) {
  catalog::CertificationBadge out;
  out.kind = std::string(CertKindName(b.kind));
  out.label = std::string(CertKindLabel(b.kind));
  out.ocop_stars = b.ocop_stars;
  out.number = b.number;
  out.issuer = b.issuer;
  out.expires_on = timefmt::IsoDate(b.expires_day);
  out.verify_url = b.verify_url;
  // QualityService::VerifyUrl is the base URL + "/c/" + code.
  if (auto at = b.verify_url.rfind("/c/"); at != std::string::npos) out.verify_path = b.verify_url.substr(at);
  return out;
}

// Coverage versions are unique across every source in the process.
std::atomic<std::uint64_t> next_coverage_version{1};

}  // namespace

Result<std::shared_ptr<const catalog::CertificationCoverage>> CatalogCertificationSource::Coverage() {
  TRY_ASSIGN(std::shared_ptr<const CertifiedProducts> snapshot, quality_.ValidToday());
  std::lock_guard lock(mu_);
  if (last_ && snapshot == from_) return last_;
  auto coverage = std::make_shared<catalog::CertificationCoverage>();
  // Bit i of CertifiedProducts::Coverage::kinds is CertKind i; the same bits here.
  for (CertKind kind : kAllKinds) {
    const auto bit = static_cast<std::size_t>(kind);
    if (coverage->kinds.size() <= bit) coverage->kinds.resize(bit + 1);
    coverage->kinds[bit] = std::string(CertKindName(kind));
  }
  static_assert(std::size(kAllKinds) <= catalog::kMaxCertificationKinds);
  coverage->by_product.reserve(snapshot->by_product.size());
  for (const auto& [product_id, c] : snapshot->by_product) {
    coverage->by_product[product_id] = {static_cast<std::uint16_t>(c.kinds & 0x0FFFu),
                                        static_cast<std::uint8_t>(std::clamp(c.ocop_stars, 0, 255))};
  }
  from_ = snapshot;
  if (last_ && last_->kinds == coverage->kinds && last_->by_product == coverage->by_product) return last_;
  coverage->version = next_coverage_version.fetch_add(1);
  last_ = coverage;
  return last_;
}

Result<std::map<std::int64_t, std::vector<catalog::CertificationBadge>>>
CatalogCertificationSource::ProductBadges(const std::vector<std::int64_t>& product_ids) {
  TRY_ASSIGN(auto badges, quality_.Certifications(product_ids));
  std::map<std::int64_t, std::vector<catalog::CertificationBadge>> out;
  for (const auto& [id, list] : badges) {
    auto& dst = out[id];
    for (const auto& b : list) dst.push_back(ToCatalogBadge(b));
  }
  return out;
}

Result<std::vector<catalog::CertificationBadge>> CatalogCertificationSource::SellerBadges(
    std::int64_t seller_id) {
  TRY_ASSIGN(auto badges, quality_.ShopCertifications(seller_id));
  std::vector<catalog::CertificationBadge> out;
  for (const auto& b : badges) out.push_back(ToCatalogBadge(b));
  return out;
}

Status ShopCertificationFacts::AddTo(std::int64_t seller_id, nlohmann::json& body) {
  TRY_ASSIGN(auto badges, source_.SellerBadges(seller_id));
  body["certifications"] = catalog::CertificationsJson(badges);
  return Ok{};
}

}  // namespace nongsan::quality
