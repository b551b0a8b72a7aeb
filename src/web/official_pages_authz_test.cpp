// Authorization rows of the officials' pages (/can-bo/chung-nhan,
// /can-bo/cua-hang): the commune officer of shop_a's commune and the province
// admin act; the officer of another commune gets what the API gives them (404:
// the shop is not theirs to know); everyone else 403 or 404 as the quality
// and sellers services decide. Rows check that the state changed only for
// those allowed, and that the queue shows nothing outside an officer's area.
#include <atomic>
#include <stdexcept>

#include "core/clock.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "sellers/seller_service.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using namespace pages;
using A = Actor;

// anon buyer owner staff other coop offIn offOut admin
// The officials' list pages: officers of any area see their own list.
constexpr Expect kOfficialsList{kSeeOther, 403, 403, 403, 403, 403, 200, 200, 200};
// A decision on shop_a or its certificate: as the API answers (404 to those
// who may not know of it), a redirect back to the list for those who may.
constexpr Expect kDecide{kSeeOther, 404, 403, 403, 404, 403, kSeeOther, 404, kSeeOther};
constexpr Expect kDecideRefused{kSeeOther, 404, 403, 403, 404, 403, 422, 404, 422};
constexpr Expect kHistory{kSeeOther, 404, 403, 403, 404, 403, 200, 404, 200};

Principal As(AuthzWorld& w, Actor a) { return w.world.PrincipalOf(w.UserId(a)); }

quality::QualityModule& Quality(AuthzWorld& w) { return *Services(w).quality; }

std::string Unique() {
  static std::atomic<int> next{0};
  return std::to_string(next.fetch_add(1)) + "-W";
}

quality::Certificate PendingCertificate(AuthzWorld& w) {
  const std::int64_t today = Quality(w).certificates.Today();
  quality::CertificateInput input;
  input.kind = "vietgap";
  input.number = "VietGAP-WEB-" + Unique();
  input.issuer = "Trung tâm Kiểm nghiệm Thái Nguyên";
  input.issued_on = timefmt::IsoDate(today - 30);
  input.expires_on = timefmt::IsoDate(today + 300);
  input.product_ids = {MakeAuthzProduct(w, w.shop_a)};
  input.evidence = {{quality::testing::SamplePng(), "image/png"}};
  const Principal owner = As(w, A::kOwner);
  auto submitted = Quality(w).certificates.Submit(&owner, w.shop_a, std::move(input));
  if (!submitted.ok()) throw std::runtime_error("submit certificate: " + submitted.error().detail);
  return submitted->certificate;
}

// The table's world is shared by every module's rows, and the queue shows the
// oldest pending certificates first: earlier rows' leftovers are rejected so
// that the row's own certificate is on the queue's page.
void EmptyTheQueue(AuthzWorld& w) {
  const Principal admin = As(w, A::kProvinceAdmin);
  for (;;) {
    auto pending = Quality(w).certificates.PendingForOfficer(&admin, quality::kMaxPageSize);
    if (!pending.ok()) throw std::runtime_error("pending certificates: " + pending.error().detail);
    if (pending->empty()) return;
    for (const auto& c : *pending) {
      auto done = Quality(w).certificates.Reject(&admin, c.id, "Hồ sơ cũ của bảng kiểm thử phân quyền");
      if (!done.ok()) throw std::runtime_error("reject certificate: " + done.error().detail);
    }
  }
}

quality::CertStatus StatusOf(AuthzWorld& w, std::int64_t certificate_id) {
  const Principal officer = As(w, A::kOfficerIn);
  auto found = Quality(w).certificates.Get(&officer, certificate_id);
  if (!found.ok()) throw std::runtime_error("certificate: " + found.error().detail);
  return found->stored_status;
}

sellers::SellerStatus ShopStatus(AuthzWorld& w, std::int64_t shop) {
  auto found = Services(w).sellers->Get(shop);
  if (!found.ok()) throw std::runtime_error("shop: " + found.error().detail);
  return found->status;
}

bool Decides(const AuthzWorld& w, bool forged) {
  return Genuine(w, forged) && In(w.actor, {A::kOfficerIn, A::kProvinceAdmin});
}

const Where kDecideWhere{kSignIn, nullptr,    nullptr, nullptr,   nullptr,
                         nullptr, "/can-bo/", nullptr, "/can-bo/"};

AuthzRequest CertDecision(AuthzWorld& w, bool forged, std::string reason, quality::CertStatus to) {
  const quality::Certificate pending = PendingCertificate(w);
  AuthzRequest r;
  r.params["id"] = std::to_string(pending.id);
  r.form = "reason=" + Encode(reason);
  r.csrf_page = "/";
  const bool valid = reason.size() >= quality::kMinReasonChars || to == quality::CertStatus::kVerified;
  r.after = [forged, id = pending.id, to, valid](AuthzWorld& w, const ClientResponse&) {
    const bool changes = Decides(w, forged) && valid;
    EXPECT_EQ(StatusOf(w, id), changes ? to : quality::CertStatus::kPending);
  };
  return r;
}

// shop_a starts pending in every row's world; `suspended` suspends it first.
AuthzRequest ShopDecision(AuthzWorld& w, bool forged, bool suspended, sellers::SellerStatus to) {
  if (suspended) {
    const Principal officer = As(w, A::kOfficerIn);
    auto done = Quality(w).complaints.Suspend(&officer, quality::EnforcementTarget::kShop, w.shop_a,
                                              "Nhãn ghi sai nguồn gốc", std::nullopt);
    if (!done.ok()) throw std::runtime_error("suspend: " + done.error().detail);
  }
  const sellers::SellerStatus from = ShopStatus(w, w.shop_a);
  AuthzRequest r;
  r.params["id"] = std::to_string(w.shop_a);
  r.form = "reason=" + Encode("Đã kiểm tra tại cơ sở");
  r.csrf_page = "/";
  r.after = [forged, from, to](AuthzWorld& w, const ClientResponse&) {
    EXPECT_EQ(ShopStatus(w, w.shop_a), Decides(w, forged) ? to : from);
  };
  return r;
}

// shop_a (pending) sent back with `reason`; it changes only for those who decide.
AuthzRequest ShopSentBack(AuthzWorld& w, bool forged, const std::string& reason) {
  AuthzRequest r;
  r.params["id"] = std::to_string(w.shop_a);
  r.form = "reason=" + Encode(reason);
  r.csrf_page = "/";
  r.after = [forged, valid = !reason.empty()](AuthzWorld& w, const ClientResponse&) {
    auto shop = Services(w).sellers->Get(w.shop_a);
    if (!shop.ok()) throw std::runtime_error("shop: " + shop.error().detail);
    EXPECT_EQ(shop->AwaitingCorrection(), Decides(w, forged) && valid);
  };
  return r;
}

bool ProductSuspended(AuthzWorld& w, std::int64_t product) {
  auto found = Quality(w).products->FindMany({product});
  if (!found.ok() || found->empty()) throw std::runtime_error("no product " + std::to_string(product));
  return found->front().suspended;
}

// A product of shop_a, suspended first when `suspended`.
AuthzRequest ProductDecision(AuthzWorld& w, bool forged, bool suspended) {
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  if (suspended) {
    const Principal officer = As(w, A::kOfficerIn);
    auto done = Quality(w).complaints.Suspend(&officer, quality::EnforcementTarget::kProduct, product,
                                              "Mẫu kiểm nghiệm vượt dư lượng", std::nullopt);
    if (!done.ok()) throw std::runtime_error("suspend: " + done.error().detail);
  }
  AuthzRequest r;
  r.params["id"] = std::to_string(product);
  r.form = "reason=" + Encode("Đã kiểm tra lại mẫu");
  r.csrf_page = "/";
  r.after = [forged, suspended, product](AuthzWorld& w, const ClientResponse&) {
    EXPECT_EQ(ProductSuspended(w, product), Decides(w, forged) ? !suspended : suspended);
  };
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(official_pages) {
  AuthzCaseList rows;
  using quality::CertStatus;
  using sellers::SellerStatus;

  rows.push_back(
      Get("/can-bo/chung-nhan", "a pending certificate of shop_a", kOfficialsList, kSignedInWhere,
          [](AuthzWorld& w) {
            EmptyTheQueue(w);
            const quality::Certificate pending = PendingCertificate(w);
            AuthzRequest r;
            r.after = [number = pending.number](AuthzWorld& w, const ClientResponse& response) {
              if (response.status != 200) return;
              EXPECT_EQ(Contains(response, number), In(w.actor, {A::kOfficerIn, A::kProvinceAdmin}))
                  << "the queue shows only the officer's area";
            };
            return r;
          }));
  AddPost(rows, "/can-bo/chung-nhan/{id}/xac-nhan", "pending", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) { return CertDecision(w, forged, "", CertStatus::kVerified); });
  AddPost(rows, "/can-bo/chung-nhan/{id}/tu-choi", "pending", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) {
            return CertDecision(w, forged, "Số chứng nhận không khớp bản giấy", CertStatus::kRejected);
          });
  rows.push_back(Page("POST", "/can-bo/chung-nhan/{id}/tu-choi", "no reason", kDecideRefused, kDecideWhere,
                      [](AuthzWorld& w) { return CertDecision(w, false, "", CertStatus::kRejected); }));

  rows.push_back(Get("/can-bo/cua-hang", "", kOfficialsList, kSignedInWhere));
  AddPost(rows, "/can-bo/cua-hang/{id}/tam-ngung", "", kDecide, kDecideWhere, [](AuthzWorld& w, bool forged) {
    return ShopDecision(w, forged, false, SellerStatus::kSuspended);
  });
  // A shop never verified returns to pending when reinstated.
  AddPost(rows, "/can-bo/cua-hang/{id}/mo-lai", "suspended shop", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) { return ShopDecision(w, forged, true, SellerStatus::kPending); });
  AddPost(
      rows, "/can-bo/cua-hang/{id}/tu-choi", "pending shop", kDecide, kDecideWhere,
      [](AuthzWorld& w, bool forged) { return ShopSentBack(w, forged, "Địa chỉ không khớp giấy đăng ký"); });
  rows.push_back(Page("POST", "/can-bo/cua-hang/{id}/tu-choi", "no reason", kDecideRefused, kDecideWhere,
                      [](AuthzWorld& w) { return ShopSentBack(w, false, ""); }));
  AddPost(rows, "/can-bo/cua-hang/{id}/xac-minh", "pending shop", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) { return ShopDecision(w, forged, false, SellerStatus::kVerified); });
  const Where product_where{kSignIn,
                            nullptr,
                            nullptr,
                            nullptr,
                            nullptr,
                            nullptr,
                            "/can-bo/cua-hang/",
                            nullptr,
                            "/can-bo/cua-hang/"};
  AddPost(rows, "/can-bo/san-pham/{id}/tam-ngung", "shop_a's product", kDecide, product_where,
          [](AuthzWorld& w, bool forged) { return ProductDecision(w, forged, false); });
  AddPost(rows, "/can-bo/san-pham/{id}/mo-lai", "shop_a's suspended product", kDecide, product_where,
          [](AuthzWorld& w, bool forged) { return ProductDecision(w, forged, true); });
  rows.push_back(Get("/can-bo/cua-hang/{id}/lich-su", "", kHistory, kSignedInWhere, [](AuthzWorld& w) {
    AuthzRequest r;
    r.params["id"] = std::to_string(w.shop_a);
    return r;
  }));
  return rows;
}

}  // namespace nongsan::testing
