#include "app/demo_data.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "accounts/account_service.hpp"
#include "catalog/catalog_module.hpp"
#include "catalog/demo_photos.hpp"
#include "core/clock.hpp"
#include "quality/quality_module.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::app {
namespace {

// Validity the demo certificates claim, in days around today: inside what
// each programme allows (OCOP 36 months, VietGAP 24), so no warning shows.
constexpr std::int64_t kIssuedDaysAgo = 120;
constexpr std::int64_t kOcopDaysLeft = 900;
constexpr std::int64_t kVietGapDaysLeft = 540;

enum class DemoKind { kOcop, kVietGap };

// Submits a certificate for up to kDemoProductsPerCertificate of the shop's
// products; verified by the officer unless it is left for the queue.
Result<int> Certify(Services& s, const Principal& officer, const sellers::Seller& shop, DemoKind kind,
                    std::size_t index, bool verify) {
  catalog::SellerListOptions options;
  options.limit = static_cast<int>(kDemoProductsPerCertificate);
  TRY_ASSIGN(catalog::ProductPage page, s.catalog->catalog.ListForSeller(nullptr, shop.id, options));
  if (page.items.empty()) return 0;
  TRY_ASSIGN(Principal owner, s.accounts->PrincipalFor(shop.owner_user_id));
  const std::int64_t today = s.quality->certificates.Today();
  char number[48];
  quality::CertificateInput input;
  if (kind == DemoKind::kOcop) {
    std::snprintf(number, sizeof number, "OCOP-TN-DEMO-%03zu", index);
    input.kind = "ocop";
    input.ocop_stars = 3 + static_cast<std::int64_t>(index % 3);
    input.ocop_group = "food";
    input.issuer = "UBND tỉnh Thái Nguyên";
    input.expires_on = timefmt::IsoDate(today + kOcopDaysLeft);
  } else {
    std::snprintf(number, sizeof number, "VietGAP-TN-DEMO-%03zu", index);
    input.kind = "vietgap";
    input.issuer = "Trung tâm Chứng nhận VietGAP (demo)";
    input.expires_on = timefmt::IsoDate(today + kVietGapDaysLeft);
  }
  input.number = number;
  input.issued_on = timefmt::IsoDate(today - kIssuedDaysAgo);
  for (const auto& product : page.items) input.product_ids.push_back(product.id);
  TRY_ASSIGN(std::string evidence, catalog::DrawDemoCard("Giấy chứng nhận " + input.number));
  input.evidence.push_back({std::move(evidence), std::string("image/png")});
  TRY_ASSIGN(quality::SubmitResult submitted,
             s.quality->certificates.Submit(&owner, shop.id, std::move(input)));
  if (verify) TRY(s.quality->certificates.Verify(&officer, submitted.certificate.id));
  return 1;
}

}  // namespace

Status LoadDemoExtras(Services& s) {
  const auto started = std::chrono::steady_clock::now();
  TRY_ASSIGN(std::size_t photos, catalog::AddDemoPhotos(*s.catalog));
  const auto photos_done = std::chrono::steady_clock::now();

  TRY_ASSIGN(accounts::User officer_user,
             s.accounts->CreateOrGrantFromCli(kDemoOfficerPhone, "Cán bộ Sở Nông nghiệp (demo)",
                                              std::string(kDemoOfficerPassword),
                                              {{Role::kProvinceAdmin, std::string(kDemoProvince)}}));
  TRY_ASSIGN(Principal officer, s.accounts->PrincipalFor(officer_user.id));
  TRY_ASSIGN(std::vector<sellers::Seller> shops, s.sellers->ListForOfficer(officer, "", ""));
  int certificates = 0;
  for (std::size_t i = 0; i < shops.size(); ++i) {
    // Slot 0: OCOP, 1: VietGAP, both verified; 2: VietGAP waiting in the
    // officials' queue (only a few, so the queue has something to show).
    const std::size_t slot = i % kDemoCertifiedEvery;
    const bool queued = slot == 2 && i < kDemoCertifiedEvery * kDemoPendingCertificates;
    if (slot > 1 && !queued) continue;
    TRY_ASSIGN(int made,
               Certify(s, officer, shops[i], slot == 0 ? DemoKind::kOcop : DemoKind::kVietGap, i, !queued));
    certificates += made;
  }
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  spdlog::info("demo extras: {} photos in {} ms, {} certificates in {} ms", photos,
               duration_cast<milliseconds>(photos_done - started).count(), certificates,
               duration_cast<milliseconds>(std::chrono::steady_clock::now() - photos_done).count());
  return Ok{};
}

}  // namespace nongsan::app
