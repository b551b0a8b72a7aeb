// The quality module's rows of the authorization table (tests/support/
// authz_table.hpp): certificates and their evidence, the public register and
// verification pages, reviews, complaints and enforcement. Objects are made
// through the services in each row's prepare, on shop_a (the owner's
// household in kCommuneIn with officer help on, kStaff its staff, a member of
// coop_c). Public trust data answers everyone; pending certificates, evidence
// files, hidden reviews and complaints only those with a part in them.
#include <atomic>
#include <stdexcept>

#include "catalog/catalog_module.hpp"
#include "orders/order_service.hpp"
#include "orders/orders_test_support.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing {
namespace {

using nlohmann::json;
using quality::QualityModule;

std::string Id(std::int64_t id) { return std::to_string(id); }

// Distinct per call in this process: certificate numbers, SKUs, idempotency keys.
std::string Unique() {
  static std::atomic<int> n{0};
  return std::to_string(n.fetch_add(1) + 1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.error().detail);
  return std::move(r).value();
}

QualityModule& Quality(AuthzWorld& w) { return *w.app.app().services().quality; }
Principal As(AuthzWorld& w, Actor a) { return w.world.PrincipalOf(w.UserId(a)); }
Principal Spare(AuthzWorld& w) { return w.world.PrincipalOf(w.cast.spare.id); }

AuthzRequest WithId(std::int64_t id, json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = Id(id);
  r.body = std::move(body);
  return r;
}

// An active product of shop_a, made by its owner.
std::int64_t MakeProduct(AuthzWorld& w) { return MakeAuthzProduct(w, w.shop_a); }

// A VietGAP certificate of shop_a covering a new product, valid from a month
// ago for most of a year, with one PDF as evidence; pending.
quality::Certificate SubmitCertificate(AuthzWorld& w, Actor by = Actor::kOwner) {
  const std::int64_t today = Quality(w).certificates.Today();
  quality::CertificateInput input;
  input.kind = "vietgap";
  input.number = "VietGAP-TN-" + Unique();
  input.issuer = "Trung tâm Kiểm nghiệm Thái Nguyên";
  input.issued_on = timefmt::IsoDate(today - 30);
  input.expires_on = timefmt::IsoDate(today + 300);
  input.product_ids = {MakeProduct(w)};
  input.evidence = {{quality::testing::SamplePdf(), "application/pdf"}};
  const Principal p = As(w, by);
  return Must(Quality(w).certificates.Submit(&p, w.shop_a, std::move(input)), "submit certificate")
      .certificate;
}

quality::Certificate VerifiedCertificate(AuthzWorld& w) {
  const quality::Certificate pending = SubmitCertificate(w);
  const Principal officer = As(w, Actor::kOfficerIn);
  return Must(Quality(w).certificates.Verify(&officer, pending.id), "verify certificate");
}

quality::Certificate RevokedCertificate(AuthzWorld& w) {
  const quality::Certificate verified = VerifiedCertificate(w);
  const Principal officer = As(w, Actor::kOfficerIn);
  return Must(Quality(w).certificates.Revoke(&officer, verified.id, "Tổ chức cấp đã huỷ chứng nhận"),
              "revoke certificate");
}

// A trademark of shop_a filed with the IP Office (no grant yet), pending.
quality::Certificate FiledTrademark(AuthzWorld& w) {
  quality::CertificateInput input;
  input.kind = "trademark";
  input.issuer = "Cục Sở hữu trí tuệ";
  input.trademark.application_number = "4-2024-" + std::to_string(10000 + std::stoi(Unique()));
  input.trademark.filing_date = timefmt::IsoDate(Quality(w).certificates.Today() - 400);
  input.trademark.trademark_status = "filed";
  input.product_ids = {MakeProduct(w)};
  const Principal owner = As(w, Actor::kOwner);
  return Must(Quality(w).certificates.Submit(&owner, w.shop_a, std::move(input)), "file trademark")
      .certificate;
}

AuthzRequest OnCode(const quality::Certificate& c) {
  AuthzRequest r;
  r.params["code"] = c.code;
  return r;
}

AuthzRequest OnEvidence(const quality::Certificate& c) {
  AuthzRequest r = WithId(c.id);
  r.params["evidence_id"] = Id(c.evidence.at(0).id);
  return r;
}

struct Delivered {
  std::int64_t order_id = 0;
  std::int64_t product_id = 0;
};

// An order of a new shop_a product placed by `buyer` and moved by the owner
// all the way to delivered.
Delivered DeliveredOrder(AuthzWorld& w, const Principal& buyer) {
  Delivered d;
  d.product_id = MakeProduct(w);
  auto& orders = *w.app.app().services().orders;
  const auto placed = Must(
      orders.Checkout(buyer, "quality-authz-" + Unique(), orders::testing::CheckoutBody({{d.product_id, 1}})),
      "checkout");
  d.order_id = placed.body.at("orders").at(0).at("id").get<std::int64_t>();
  const Principal owner = As(w, Actor::kOwner);
  for (const char* to : {"confirmed", "packed", "shipped", "delivered"}) {
    orders::TransitionInput move;
    move.to = to;
    if (std::string_view(to) == "shipped") move.tracking_code = "VNP" + Unique();
    Must(orders.Transition(owner, d.order_id, move), std::string("order to ") + to);
  }
  return d;
}

// A published review by kBuyer of a product delivered to them.
quality::Review PublishedReview(AuthzWorld& w, bool with_photo = false) {
  const Principal buyer = As(w, Actor::kBuyer);
  const Delivered d = DeliveredOrder(w, buyer);
  quality::ReviewInput input;
  input.order_id = d.order_id;
  input.product_id = d.product_id;
  input.rating = 4;
  input.body = "Chè thơm, nước xanh, đóng gói cẩn thận";
  if (with_photo) input.photos = {{quality::testing::SamplePng(), "image/png"}};
  return Must(Quality(w).reviews.Create(&buyer, std::move(input)), "review");
}

// The review above, reported by the spare account and waiting for an officer.
quality::Review ReportedReview(AuthzWorld& w) {
  const quality::Review review = PublishedReview(w);
  const Principal reporter = Spare(w);
  return Must(Quality(w).reviews.Report(&reporter, review.id, "Đánh giá không đúng sự thật"),
              "report review");
}

quality::Review HiddenReview(AuthzWorld& w) {
  const quality::Review review = ReportedReview(w);
  const Principal officer = As(w, Actor::kOfficerIn);
  return Must(Quality(w).reviews.Moderate(&officer, review.id, quality::ModerationDecision::kHide,
                                          "Ngôn từ xúc phạm người bán"),
              "hide review");
}

// An open complaint about a delivered shop_a order, filed by its buyer.
quality::Complaint FiledComplaint(AuthzWorld& w, const Principal& buyer) {
  const Delivered d = DeliveredOrder(w, buyer);
  quality::ComplaintInput input;
  input.order_id = d.order_id;
  input.product_id = d.product_id;
  input.body = "Chè bị ẩm mốc, có mùi lạ khi mở gói";
  return Must(Quality(w).complaints.File(&buyer, std::move(input)), "complaint");
}

const char* kSuspendReason = "Mẫu kiểm nghiệm vượt dư lượng thuốc BVTV";

}  // namespace

NONGSAN_AUTHZ_CASES(quality) {
  // ---- request builders shared by several rows
  auto pending = [](AuthzWorld& w) { return WithId(SubmitCertificate(w).id); };
  auto verified = [](AuthzWorld& w) { return WithId(VerifiedCertificate(w).id); };
  auto revoked = [](AuthzWorld& w) { return WithId(RevokedCertificate(w).id); };
  auto with_verified = [](AuthzWorld& w) {
    VerifiedCertificate(w);
    return AuthzRequest{};
  };
  auto reason = [](const std::function<std::int64_t(AuthzWorld&)>& object) {
    return [object](AuthzWorld& w) {
      return WithId(object(w), {{"reason", "Số không có trong sổ của tổ chức cấp"}});
    };
  };
  auto by_buyer = [](AuthzWorld& w) { return FiledComplaint(w, As(w, Actor::kBuyer)).id; };
  auto by_spare = [](AuthzWorld& w) { return FiledComplaint(w, Spare(w)).id; };
  auto respond = [](const std::function<std::int64_t(AuthzWorld&)>& complaint) {
    return [complaint](AuthzWorld& w) {
      return WithId(complaint(w), {{"text", "Shop xin lỗi, sẽ đổi hàng mới"}});
    };
  };
  auto suspended_product = [](AuthzWorld& w) {
    const std::int64_t product = MakeProduct(w);
    const Principal officer = As(w, Actor::kOfficerIn);
    Must(Quality(w).complaints.Suspend(&officer, quality::EnforcementTarget::kProduct, product,
                                       kSuspendReason, std::nullopt),
         "suspend product");
    return WithId(product, {{"reason", "Lô hàng mới đạt kiểm nghiệm"}});
  };
  auto suspended_shop = [](AuthzWorld& w) {
    const Principal officer = As(w, Actor::kOfficerIn);
    Must(Quality(w).complaints.Suspend(&officer, quality::EnforcementTarget::kShop, w.shop_a, kSuspendReason,
                                       std::nullopt),
         "suspend shop");
    return WithId(w.shop_a, {{"reason", "Gian hàng đã khắc phục"}});
  };
  const Expect everyone{200, 200, 200, 200, 200, 200, 200, 200, 200};
  // Who may see what is private to shop_a: its managers (owner, staff, the
  // cooperative, the assisting officers) and the officials of its area.
  const Expect shop_and_officials{404, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect shop_and_officials_signed_in{401, 404, 200, 200, 404, 200, 200, 404, 200};
  // An official's decision on shop_a: the shop side may not (403), strangers
  // and officers of other communes learn nothing (404).
  const Expect officials_decide{401, 404, 403, 403, 404, 403, 200, 404, 200};
  // The same where the buyer is a party too (the review's author, the
  // complaint's buyer): they may not either (403).
  const Expect officials_decide_party{401, 403, 403, 403, 404, 403, 200, 404, 200};
  const Expect officers_only{401, 403, 403, 403, 403, 403, 200, 200, 200};

  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      // ---------------------------------------------------------------- certificates
      {"POST", "/api/v1/sellers/{id}/certificates", "", Expect{401, 404, 201, 201, 404, 201, 201, 404, 201},
       [](AuthzWorld& w) {
         const std::int64_t today = Quality(w).certificates.Today();
         return WithId(w.shop_a, {{"kind", "vietgap"},
                                  {"number", "VietGAP-TN-" + Unique()},
                                  {"issuer", "Trung tâm Kiểm nghiệm Thái Nguyên"},
                                  {"issued_on", timefmt::IsoDate(today - 30)},
                                  {"expires_on", timefmt::IsoDate(today + 300)},
                                  {"product_ids", {MakeProduct(w)}}});
       }},
      {"GET", "/api/v1/sellers/{id}/certificates", "a pending and a verified certificate", everyone,
       [](AuthzWorld& w) {
         SubmitCertificate(w);
         VerifiedCertificate(w);
         return WithId(w.shop_a);
       }},
      {"GET", "/api/v1/certificates/{id}", "verified", everyone, verified},
      {"GET", "/api/v1/certificates/{id}", "pending", shop_and_officials, pending},
      {"GET", "/api/v1/certificates/{id}", "revoked", shop_and_officials, revoked},
      {"POST", "/api/v1/certificates/{id}/verify", "pending, submitted by the owner", officials_decide,
       pending},
      {"POST", "/api/v1/certificates/{id}/verify", "pending, typed in by the commune officer",
       Expect{401, 404, 403, 403, 404, 403, 403, 404, 200},
       [](AuthzWorld& w) { return WithId(SubmitCertificate(w, Actor::kOfficerIn).id); }},
      {"POST", "/api/v1/certificates/{id}/reject", "pending", officials_decide,
       reason([](AuthzWorld& w) { return SubmitCertificate(w).id; })},
      {"POST", "/api/v1/certificates/{id}/revoke", "verified", officials_decide,
       reason([](AuthzWorld& w) { return VerifiedCertificate(w).id; })},
      {"POST", "/api/v1/certificates/{id}/trademark", "a filed trademark, granted",
       Expect{401, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         return WithId(FiledTrademark(w).id, {{"trademark_status", "granted"}, {"number", "VB-" + Unique()}});
       }},
      {"POST", "/api/v1/certificates/{id}/evidence", "pending, a PNG scan",
       Expect{401, 404, 201, 201, 404, 201, 201, 404, 201},
       [](AuthzWorld& w) {
         AuthzRequest r = WithId(SubmitCertificate(w).id);
         r.raw_body = quality::testing::SamplePng();
         r.headers["Content-Type"] = "image/png";
         return r;
       }},
      {"GET", "/api/v1/certificates/{id}/evidence/{evidence_id}", "pending", shop_and_officials_signed_in,
       [](AuthzWorld& w) { return OnEvidence(SubmitCertificate(w)); }},
      {"GET", "/api/v1/certificates/{id}/evidence/{evidence_id}", "verified: files stay private",
       shop_and_officials_signed_in, [](AuthzWorld& w) { return OnEvidence(VerifiedCertificate(w)); }},
      {"GET", "/api/v1/quality/pending-certificates", "", officers_only,
       [](AuthzWorld& w) {
         SubmitCertificate(w);
         return AuthzRequest{};
       }},
      {"GET", "/api/v1/products/{id}/certifications", "", everyone,
       [](AuthzWorld& w) { return WithId(VerifiedCertificate(w).product_ids.at(0)); }},
      {"GET", "/api/v1/sellers/{id}/certifications", "", everyone,
       [](AuthzWorld& w) {
         VerifiedCertificate(w);
         return WithId(w.shop_a);
       }},
      {"GET", "/api/v1/sellers/{id}/quality-notices", "", shop_and_officials_signed_in,
       [](AuthzWorld& w) {
         VerifiedCertificate(w);
         return WithId(w.shop_a);
       }},

      // ---------------------------------------------------------------- public register and pages
      {"GET", "/api/v1/quality/register", "", everyone, with_verified},
      {"GET", "/api/v1/quality/register.csv", "", everyone, with_verified},
      {"GET", "/api/v1/quality/verify/{code}", "verified", everyone,
       [](AuthzWorld& w) { return OnCode(VerifiedCertificate(w)); }},
      {"GET", "/api/v1/quality/verify/{code}", "revoked: the public learns it is not valid", everyone,
       [](AuthzWorld& w) { return OnCode(RevokedCertificate(w)); }},
      {"GET", "/c/{code}", "verified", everyone,
       [](AuthzWorld& w) { return OnCode(VerifiedCertificate(w)); }},
      {"GET", "/c/{code}/qr.svg", "verified", everyone,
       [](AuthzWorld& w) { return OnCode(VerifiedCertificate(w)); }},
      {"GET", "/chat-luong", "", everyone, with_verified},

      // ---------------------------------------------------------------- reviews
      // Only the buyer the goods reached may review; the shop side sees the
      // order but may not (403); strangers learn nothing of it (404).
      {"POST", "/api/v1/reviews", "order delivered to the buyer",
       Expect{401, 201, 403, 403, 404, 403, 403, 404, 403},
       [](AuthzWorld& w) {
         const Delivered d = DeliveredOrder(w, As(w, Actor::kBuyer));
         return AuthzRequest{{},
                             {{"order_id", d.order_id},
                              {"product_id", d.product_id},
                              {"rating", 5},
                              {"text", "Chè ngon, giao nhanh"}}};
       }},
      {"GET", "/api/v1/reviews/{id}", "published", everyone,
       [](AuthzWorld& w) { return WithId(PublishedReview(w).id); }},
      {"GET", "/api/v1/reviews/{id}", "hidden by an officer",
       Expect{404, 200, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) { return WithId(HiddenReview(w).id); }},
      // The author is a party to the review but not the shop.
      {"POST", "/api/v1/reviews/{id}/reply", "published, by the buyer",
       Expect{401, 403, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         return WithId(PublishedReview(w).id, {{"text", "Cảm ơn chị đã ủng hộ"}});
       }},
      {"POST", "/api/v1/reviews/{id}/report", "published",
       Expect{401, 202, 202, 202, 202, 202, 202, 202, 202},
       [](AuthzWorld& w) {
         return WithId(PublishedReview(w).id, {{"reason", "Đánh giá không đúng sự thật"}});
       }},
      {"POST", "/api/v1/reviews/{id}/moderate", "reported, by the buyer", officials_decide_party,
       [](AuthzWorld& w) {
         return WithId(ReportedReview(w).id,
                       {{"decision", "hide"}, {"reason", "Ngôn từ xúc phạm người bán"}});
       }},
      {"GET", "/api/v1/reviews/{id}/photos/{photo_id}", "published", everyone,
       [](AuthzWorld& w) {
         const quality::Review review = PublishedReview(w, true);
         AuthzRequest r = WithId(review.id);
         r.params["photo_id"] = Id(review.photos.at(0).id);
         return r;
       }},
      {"GET", "/api/v1/products/{id}/reviews", "", everyone,
       [](AuthzWorld& w) { return WithId(PublishedReview(w).product_id); }},
      {"GET", "/api/v1/sellers/{id}/reviews", "", everyone,
       [](AuthzWorld& w) {
         PublishedReview(w);
         return WithId(w.shop_a);
       }},
      {"GET", "/api/v1/quality/reported-reviews", "", officers_only,
       [](AuthzWorld& w) {
         ReportedReview(w);
         return AuthzRequest{};
       }},

      // ---------------------------------------------------------------- complaints
      {"POST", "/api/v1/complaints", "order delivered to the buyer",
       Expect{401, 201, 403, 403, 404, 403, 403, 404, 403},
       [](AuthzWorld& w) {
         const Delivered d = DeliveredOrder(w, As(w, Actor::kBuyer));
         return AuthzRequest{{},
                             {{"order_id", d.order_id},
                              {"product_id", d.product_id},
                              {"text", "Chè bị ẩm mốc, có mùi lạ khi mở gói"}}};
       }},
      {"GET", "/api/v1/complaints", "one's own", Expect{401, 200, 200, 200, 200, 200, 200, 200, 200},
       [by_buyer](AuthzWorld& w) {
         by_buyer(w);
         return AuthzRequest{};
       }},
      {"GET", "/api/v1/complaints", "about shop_a", shop_and_officials_signed_in,
       [by_buyer](AuthzWorld& w) {
         by_buyer(w);
         AuthzRequest r;
         r.query = "seller_id=" + Id(w.shop_a);
         return r;
       }},
      {"GET", "/api/v1/complaints/{id}", "filed by the buyer",
       Expect{401, 200, 200, 200, 404, 200, 200, 404, 200},
       [by_buyer](AuthzWorld& w) { return WithId(by_buyer(w)); }},
      {"GET", "/api/v1/complaints/{id}", "filed by someone else", shop_and_officials_signed_in,
       [by_spare](AuthzWorld& w) { return WithId(by_spare(w)); }},
      {"POST", "/api/v1/complaints/{id}/respond", "filed by the buyer",
       Expect{401, 403, 200, 200, 404, 200, 200, 404, 200}, respond(by_buyer)},
      {"POST", "/api/v1/complaints/{id}/respond", "filed by someone else", shop_and_officials_signed_in,
       respond(by_spare)},
      {"POST", "/api/v1/complaints/{id}/resolve", "filed by the buyer", officials_decide_party,
       [by_buyer](AuthzWorld& w) {
         return WithId(by_buyer(w), {{"resolution", "upheld"}, {"note", "Đã kiểm tra mẫu chè, bị ẩm"}});
       }},

      // ---------------------------------------------------------------- enforcement
      {"POST", "/api/v1/quality/products/{id}/suspend", "", officials_decide,
       [](AuthzWorld& w) {
         return WithId(MakeProduct(w), {{"reason", kSuspendReason}});
       }},
      {"POST", "/api/v1/quality/products/{id}/reinstate", "suspended product", officials_decide,
       suspended_product},
      {"POST", "/api/v1/quality/sellers/{id}/suspend", "", officials_decide,
       [](AuthzWorld& w) {
         return WithId(w.shop_a, {{"reason", kSuspendReason}});
       }},
      {"POST", "/api/v1/quality/sellers/{id}/reinstate", "suspended shop", officials_decide, suspended_shop},
      {"GET", "/api/v1/quality/sellers/{id}/enforcement", "", officials_decide,
       [suspended_product](AuthzWorld& w) {
         suspended_product(w);
         return WithId(w.shop_a);
       }},
      {"GET", "/api/v1/sellers/{id}/reputation", "", everyone,
       [by_buyer](AuthzWorld& w) {
         by_buyer(w);
         return WithId(w.shop_a);
       }},
  };
}

}  // namespace nongsan::testing
