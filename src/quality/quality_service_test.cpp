// Certificates on both backends: the lifecycle (submit → verify → badge →
// expiry without a job), refusals (bad input, other shops' products, forged
// files, officers outside their area) with nothing stored, the register, the
// search SQL and facets, expiry notices and the public check.
#include "quality/quality_service.hpp"

#include <gtest/gtest.h>

#include "quality/evidence.hpp"
#include "quality/outbox.hpp"
#include "quality/quality_test_fixture.hpp"
#include "support/images.hpp"

namespace nongsan::quality::testing {
namespace {

RegisterQuery Where(std::string province, std::string commune = "",
                    std::optional<CertKind> kind = std::nullopt) {
  RegisterQuery q;
  q.province = std::move(province);
  q.commune = std::move(commune);
  q.kind = kind;
  return q;
}

RegisterQuery Paged(std::string cursor, std::size_t limit) {
  RegisterQuery q;
  q.cursor = std::move(cursor);
  q.limit = limit;
  return q;
}

class CertService : public QualityFixture {
 protected:
  void SetUp() override {
    QualityFixture::SetUp();
    staged_ = std::make_unique<StagedUploads>(*db_, *clock_);
    service_ = std::make_unique<QualityService>(*db_, *clock_, shops_, products_, areas_,
                                                "https://nongsan.test/", *staged_);
  }

  CertificateInput VietGap(std::string number = "VietGAP-TT-19-08-0015") {
    CertificateInput in;
    in.kind = "vietgap";
    in.number = std::move(number);
    in.issuer = "Trung tâm Chứng nhận Phù hợp (QUACERT)";
    in.issued_on = "2026-01-15";
    in.expires_on = "2027-01-14";
    in.product_ids = {kTeaBuds, kTeaDust};
    return in;
  }

  CertificateInput Ocop(int stars = 4) {
    CertificateInput in;
    in.kind = "ocop";
    in.number = "OCOP-TN-2025-117";
    in.issuer = "UBND tỉnh Thái Nguyên";
    in.ocop_stars = stars;
    in.ocop_group = "drinks";
    in.issued_on = "2025-06-01";
    in.expires_on = "2028-05-31";
    in.product_ids = {kTeaBuds};
    return in;
  }

  Certificate SubmitOk(CertificateInput in, std::int64_t seller = kShopTea, std::int64_t owner = kTeaOwner) {
    Principal p = User(owner, {{Role::kShopOwner, std::to_string(seller)}});
    auto r = service_->Submit(&p, seller, std::move(in));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? r->certificate : Certificate{};
  }

  void SetDay(const std::string& iso) {
    // 10:00 Vietnam time on that day.
    clock_->Set(*timefmt::ParseIsoDate(iso) * kMsPerDay - kVietnamOffsetMs + 10 * 3600 * 1000);
  }

  std::unique_ptr<StagedUploads> staged_;  // outlives the services that claim from it
  std::unique_ptr<QualityService> service_;
  Principal tea_owner_ = User(kTeaOwner, {{Role::kShopOwner, "1"}});
  Principal officer_ = CommuneOfficer(900, kTanCuong);
};

TEST_P(CertService, LifecycleBadgeAppearsOnVerifyAndVanishesAtExpiryWithoutAJob) {
  Certificate cert = SubmitOk(VietGap());
  EXPECT_EQ(cert.status, CertStatus::kPending);
  EXPECT_EQ(cert.product_ids, (std::vector<std::int64_t>{kTeaBuds, kTeaDust}));
  EXPECT_EQ(cert.code.size(), kPublicCodeLength);
  EXPECT_TRUE(service_->Certifications(kTeaBuds)->empty()) << "a pending certificate shows no badge";

  auto verified = service_->Verify(&officer_, cert.id);
  ASSERT_TRUE(verified.ok()) << verified.error().detail;
  EXPECT_EQ(verified->status, CertStatus::kVerified);
  EXPECT_EQ(verified->verified_by, 900);
  EXPECT_EQ(verified->verified_at_ms, kNowMs);

  auto badges = service_->Certifications(kTeaBuds);
  ASSERT_TRUE(badges.ok());
  ASSERT_EQ(badges->size(), 1u);
  EXPECT_EQ((*badges)[0].kind, CertKind::kVietGap);
  EXPECT_EQ((*badges)[0].number, "VietGAP-TT-19-08-0015");
  EXPECT_EQ((*badges)[0].issuer, "Trung tâm Chứng nhận Phù hợp (QUACERT)");
  EXPECT_EQ(timefmt::IsoDate((*badges)[0].expires_day), "2027-01-14");
  EXPECT_EQ((*badges)[0].verify_url, "https://nongsan.test/c/" + cert.code);
  EXPECT_EQ(service_->CertifiedProductIds({CertKind::kVietGap, 0}).value(),
            (std::vector<std::int64_t>{kTeaBuds, kTeaDust}));
  EXPECT_EQ(service_->Register({})->items.size(), 2u);

  // The last day of validity still counts, at any hour.
  clock_->Set(*timefmt::ParseIsoDate("2027-01-14") * kMsPerDay - kVietnamOffsetMs + kMsPerDay - 1);
  EXPECT_EQ(service_->Certifications(kTeaBuds)->size(), 1u);

  // One millisecond later it is the 15th in Vietnam: gone everywhere at once.
  clock_->Advance(1);
  EXPECT_TRUE(service_->Certifications(kTeaBuds)->empty());
  EXPECT_TRUE(service_->CertifiedProductIds({CertKind::kVietGap, 0})->empty());
  EXPECT_TRUE(service_->Register({})->items.empty());
  EXPECT_TRUE(service_->ShopCertifications(kShopTea)->empty());
  EXPECT_EQ(service_->Get(&tea_owner_, cert.id)->status, CertStatus::kExpired);
  EXPECT_FALSE(service_->Get(nullptr, cert.id).ok()) << "the public no longer sees an expired certificate";
  auto check = service_->CheckCode(cert.code);
  ASSERT_TRUE(check.ok() && check->has_value());
  EXPECT_FALSE((*check)->valid_today);
  EXPECT_EQ((*check)->certificate.status, CertStatus::kExpired);
}

TEST_P(CertService, RejectedAndRevokedNeverShow) {
  Certificate rejected = SubmitOk(VietGap("VG-1"));
  auto r = service_->Reject(&officer_, rejected.id, "Số chứng nhận không có trong danh sách của tổ chức cấp");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->status, CertStatus::kRejected);
  EXPECT_EQ(r->decided_by, 900);
  EXPECT_FALSE(r->reason.empty());
  EXPECT_TRUE(service_->Certifications(kTeaBuds)->empty());
  EXPECT_EQ(service_->Verify(&officer_, rejected.id).error().type, "invalid_transition");

  Certificate revoked = SubmitOk(Ocop());
  ASSERT_TRUE(service_->Verify(&officer_, revoked.id).ok());
  EXPECT_EQ(service_->Certifications(kTeaBuds)->size(), 1u);
  auto rv = service_->Revoke(&officer_, revoked.id, "Tổ chức cấp xác nhận chứng nhận đã bị huỷ");
  ASSERT_TRUE(rv.ok()) << rv.error().detail;
  EXPECT_EQ(rv->status, CertStatus::kRevoked);
  EXPECT_TRUE(service_->Certifications(kTeaBuds)->empty());
  EXPECT_TRUE(service_->CertifiedProductIds({CertKind::kOcop, 3})->empty());
  EXPECT_TRUE(service_->Register({})->items.empty());
  EXPECT_FALSE(service_->Get(nullptr, revoked.id).ok());
  auto check = service_->CheckCode(revoked.code);
  ASSERT_TRUE(check.ok() && check->has_value());
  EXPECT_FALSE((*check)->valid_today);

  // A reason is required, and a revoked certificate cannot come back.
  Certificate other = SubmitOk(VietGap("VG-2"));
  EXPECT_EQ(service_->Reject(&officer_, other.id, "").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(service_->Verify(&officer_, revoked.id).error().type, "invalid_transition");
}

TEST_P(CertService, BadInputIsRefusedAndNothingStored) {
  struct Case {
    const char* name;
    std::function<void(CertificateInput&)> change;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"expiry before issue", [](auto& in) { in.expires_on = "2025-12-31"; }, "expires_on"},
      {"expiry equal to issue", [](auto& in) { in.expires_on = in.issued_on; }, "expires_on"},
      {"not a date", [](auto& in) { in.issued_on = "15/01/2026"; }, "issued_on"},
      {"impossible date", [](auto& in) { in.expires_on = "2027-02-30"; }, "expires_on"},
      {"issued in the future", [](auto& in) { in.issued_on = "2026-12-01"; }, "issued_on"},
      {"already expired",
       [](auto& in) {
         in.issued_on = "2024-01-01";
         in.expires_on = "2025-01-01";
       },
       "expires_on"},
      {"unknown kind", [](auto& in) { in.kind = "halal-ish"; }, "kind"},
      {"stars on VietGAP", [](auto& in) { in.ocop_stars = 5; }, "ocop_stars"},
      {"empty number", [](auto& in) { in.number = "   "; }, "number"},
      {"no products", [](auto& in) { in.product_ids.clear(); }, "product_ids"},
      {"another shop's product",
       [](auto& in) {
         in.product_ids = {kTeaBuds, kRice};
       },
       "product_ids[1]"},
      {"unknown product", [](auto& in) { in.product_ids = {999}; }, "product_ids[0]"},
      {"product twice",
       [](auto& in) {
         in.product_ids = {kTeaBuds, kTeaBuds};
       },
       "product_ids[1]"},
      {"forged pdf",
       [](auto& in) {
         in.evidence = {{ForgedPdf(), "application/pdf"}};
       },
       "evidence[0]"},
      {"png declared pdf",
       [](auto& in) {
         in.evidence = {{SamplePng(), "application/pdf"}};
       },
       "evidence[0]"},
      {"executable",
       [](auto& in) {
         in.evidence = {{std::string("MZ\x90\x00", 4) + std::string(100, 'x'), {}}};
       },
       "evidence[0]"},
  };
  for (const auto& c : cases) {
    CertificateInput in = VietGap();
    c.change(in);
    auto r = service_->Submit(&tea_owner_, kShopTea, in);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid) << c.name;
    bool named = false;
    for (const auto& f : r.error().fields) named |= f.field == c.field;
    EXPECT_TRUE(named) << c.name << ": " << r.error().detail;
  }
  for (int stars : {0, 1, 2, 6, -3}) {
    auto r = service_->Submit(&tea_owner_, kShopTea, Ocop(stars));
    ASSERT_FALSE(r.ok()) << stars;
    EXPECT_EQ(r.error().fields.at(0).field, "ocop_stars") << stars;
  }
  CertificateInput no_group = Ocop();
  no_group.ocop_group = "spaceships";
  EXPECT_EQ(service_->Submit(&tea_owner_, kShopTea, no_group).error().fields.at(0).field, "ocop_group");

  CertificateInput huge = VietGap();
  huge.evidence = {{std::string("%PDF-1.4\n") + std::string(kMaxEvidenceBytes, ' ') + "%%EOF", {}}};
  EXPECT_EQ(service_->Submit(&tea_owner_, kShopTea, huge).error().code, ErrorCode::kTooLarge);

  EXPECT_EQ(Count("quality_certificates"), 0);
  EXPECT_EQ(Count("quality_certificate_products"), 0);
  EXPECT_EQ(Count("quality_evidence"), 0);
  EXPECT_EQ(Count("audit_log"), 0);
}

TEST_P(CertService, EvidenceIsStoredByContentAndServedToOfficers) {
  CertificateInput in = VietGap();
  in.evidence = {{SamplePdf(), "application/pdf"}, {SampleJpeg(), "image/jpg"}, {SamplePng(), {}}};
  Certificate cert = SubmitOk(in);
  ASSERT_EQ(cert.evidence.size(), 3u);
  EXPECT_EQ(cert.evidence[0].content_type, "application/pdf");
  EXPECT_EQ(cert.evidence[1].content_type, "image/jpeg");
  EXPECT_EQ(cert.evidence[2].content_type, "image/jpeg") << "a PNG is kept re-encoded as a JPEG";
  EXPECT_EQ(cert.evidence[0].sha256.size(), 64u);

  auto blob = service_->GetEvidence(&officer_, cert.id, cert.evidence[2].id);
  ASSERT_TRUE(blob.ok()) << blob.error().detail;
  EXPECT_TRUE(IsDecodableJpeg(blob->bytes));
  auto pdf_blob = service_->GetEvidence(&officer_, cert.id, cert.evidence[0].id);
  ASSERT_TRUE(pdf_blob.ok());
  EXPECT_EQ(pdf_blob->bytes, SamplePdf()) << "a PDF survives the round trip byte for byte";
  Principal stranger = User(555);
  EXPECT_EQ(service_->GetEvidence(&stranger, cert.id, cert.evidence[0].id).error().code,
            ErrorCode::kNotFound);

  auto added = service_->AddEvidence(&tea_owner_, cert.id, {SamplePdf(), "application/pdf"});
  ASSERT_TRUE(added.ok()) << added.error().detail;
  EXPECT_EQ(service_->AddEvidence(&tea_owner_, cert.id, {ForgedPdf(), "application/pdf"}).error().type,
            "unsupported_file");
  EXPECT_EQ(Count("quality_evidence"), 4);
}

TEST_P(CertService, OnlyOfficersOfTheShopsAreaDecide) {
  Certificate cert = SubmitOk(VietGap());
  Principal other_commune = CommuneOfficer(901, kDaiTu);
  Principal other_province = ProvinceAdmin(902, kHanoi);
  Principal buyer = User(555, {{Role::kBuyer, ""}});

  // Officers of other areas and strangers learn nothing of a pending
  // certificate; the shop is told it may not decide.
  EXPECT_EQ(service_->Verify(&other_commune, cert.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Verify(&other_province, cert.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Verify(&tea_owner_, cert.id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->Verify(&buyer, cert.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Verify(nullptr, cert.id).error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(service_->Verify(&officer_, 9999).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(&tea_owner_, cert.id)->status, CertStatus::kPending) << "nothing changed";
  EXPECT_EQ(Count("audit_log"), 1) << "only the submission is audited";

  // The province administration covers every commune of its province.
  Principal thai_nguyen = ProvinceAdmin(903, kThaiNguyen);
  auto ok = service_->Verify(&thai_nguyen, cert.id);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->verifier_name, "Sở NN 903");
  EXPECT_EQ(Count("audit_log"), 2);

  auto pending = service_->PendingForOfficer(&officer_, 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_P(CertService, ShopsCannotSubmitForOthersAndOfficersCannotVerifyTheirOwnEntry) {
  EXPECT_EQ(service_->Submit(nullptr, kShopTea, VietGap()).error().code, ErrorCode::kUnauthorized);
  Principal rice_owner = User(kRiceOwner, {{Role::kShopOwner, "2"}});
  EXPECT_EQ(service_->Submit(&rice_owner, kShopTea, VietGap()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Submit(&tea_owner_, 77, VietGap()).error().code, ErrorCode::kNotFound);

  // An officer who onboarded the household enters its certificate…
  shops_.AddManager(kShopTea, officer_.user_id);
  auto entered = service_->Submit(&officer_, kShopTea, VietGap());
  ASSERT_TRUE(entered.ok()) << entered.error().detail;
  auto pending = service_->PendingForOfficer(&officer_, 10);
  ASSERT_EQ(pending->size(), 1u);
  // …but a second officer has to verify it.
  EXPECT_EQ(service_->Verify(&officer_, entered->certificate.id).error().type, "own_submission");
  Principal colleague = CommuneOfficer(904, kTanCuong);
  EXPECT_TRUE(service_->Verify(&colleague, entered->certificate.id).ok());
}

TEST_P(CertService, DuplicateNumbersAreRefusedUnlessTheFirstWasRejected) {
  Certificate first = SubmitOk(VietGap("VietGAP-TT-19-08-0015"));
  CertificateInput copy = VietGap("vietgap tt 19 08 0015");
  copy.product_ids = {kRice};
  Principal rice_owner = User(kRiceOwner, {{Role::kShopOwner, "2"}});
  auto dup = service_->Submit(&rice_owner, kShopRice, copy);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().type, "certificate_number_in_use");

  ASSERT_TRUE(service_->Reject(&officer_, first.id, "Ảnh chụp không đọc được").ok());
  EXPECT_TRUE(service_->Submit(&tea_owner_, kShopTea, VietGap("VietGAP-TT-19-08-0015")).ok());
}

TEST_P(CertService, LongValidityIsWarnedNotRefused) {
  CertificateInput vietgap = VietGap();
  vietgap.expires_on = "2029-01-14";  // three years
  auto r = service_->Submit(&tea_owner_, kShopTea, vietgap);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("2 years"), std::string::npos);

  auto ocop = service_->Submit(&tea_owner_, kShopTea, Ocop());  // exactly 36 months
  ASSERT_TRUE(ocop.ok()) << ocop.error().detail;
  EXPECT_TRUE(ocop->warnings.empty());
  CertificateInput long_ocop = Ocop();
  long_ocop.number = "OCOP-TN-2025-118";
  long_ocop.expires_on = "2028-06-15";
  EXPECT_EQ(service_->Submit(&tea_owner_, kShopTea, long_ocop)->warnings.size(), 1u);

  CertificateInput forever = VietGap("VG-3");
  forever.expires_on = "2099-01-01";
  EXPECT_EQ(service_->Submit(&tea_owner_, kShopTea, forever).error().fields.at(0).field, "expires_on");
}

TEST_P(CertService, PublicSeesOnlyValidCertificatesOwnerAndOfficerSeeAll) {
  Certificate pending = SubmitOk(VietGap("VG-P"));
  Certificate verified = SubmitOk(Ocop(5));
  ASSERT_TRUE(service_->Verify(&officer_, verified.id).ok());
  Certificate rejected = SubmitOk(VietGap("VG-R"));
  ASSERT_TRUE(service_->Reject(&officer_, rejected.id, "Sai tổ chức cấp").ok());

  auto pub = service_->ListForShop(nullptr, kShopTea);
  ASSERT_TRUE(pub.ok());
  ASSERT_EQ(pub->size(), 1u);
  EXPECT_EQ((*pub)[0].id, verified.id);
  EXPECT_EQ(service_->ListForShop(&tea_owner_, kShopTea)->size(), 3u);
  EXPECT_EQ(service_->ListForShop(&officer_, kShopTea)->size(), 3u);
  Principal far_officer = CommuneOfficer(901, kBaDinh);
  EXPECT_EQ(service_->ListForShop(&far_officer, kShopTea)->size(), 1u);
  EXPECT_EQ(service_->Get(nullptr, pending.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListForShop(nullptr, 77).error().code, ErrorCode::kNotFound);
  // A suspended shop's list is the owner's and officials' only.
  ASSERT_TRUE(shops_.SetSuspended(kShopTea, true, "complaint", officer_).ok());
  EXPECT_EQ(service_->ListForShop(nullptr, kShopTea).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListForShop(&far_officer, kShopTea).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListForShop(&tea_owner_, kShopTea)->size(), 3u);
  EXPECT_EQ(service_->ListForShop(&officer_, kShopTea)->size(), 3u);
}

TEST_P(CertService, RegisterFiltersAndHidesSuspendedProductsAndShopsAtOnce) {
  Principal thai_nguyen = ProvinceAdmin(903, kThaiNguyen);
  Certificate tea = SubmitOk(Ocop(4));
  ASSERT_TRUE(service_->Verify(&officer_, tea.id).ok());
  CertificateInput rice = VietGap("VG-RICE");
  rice.product_ids = {kRice};
  Certificate rice_cert = SubmitOk(rice, kShopRice, kRiceOwner);
  ASSERT_TRUE(service_->Verify(&thai_nguyen, rice_cert.id).ok());
  CertificateInput cake = VietGap("VG-CAKE");
  cake.kind = "organic";
  cake.product_ids = {kHanoiCake};
  Certificate cake_cert = SubmitOk(cake, kShopHanoi, kHanoiOwner);
  Principal hanoi = ProvinceAdmin(905, kHanoi);
  ASSERT_TRUE(service_->Verify(&hanoi, cake_cert.id).ok());

  EXPECT_EQ(service_->Register({})->items.size(), 3u);
  auto tn = service_->Register(Where(kThaiNguyen));
  ASSERT_EQ(tn->items.size(), 2u);
  EXPECT_EQ(tn->items[0].product_name, "Chè búp Tân Cương");
  EXPECT_EQ(tn->items[0].shop_name, "HTX Chè Tân Cương");
  EXPECT_EQ(tn->items[0].badge.number, "OCOP-TN-2025-117");
  EXPECT_EQ(tn->items[0].badge.ocop_stars, 4);
  EXPECT_EQ(service_->Register(Where("", kDaiTu))->items.size(), 1u);
  EXPECT_EQ(service_->Register(Where("", "", CertKind::kOrganic))->items.size(), 1u);
  EXPECT_EQ(service_->Register(Where(kHanoi, "", CertKind::kOcop))->items.size(), 0u);

  // Paging: one row per page, then the end.
  auto p1 = service_->Register(Paged("", 1));
  ASSERT_TRUE(p1->next_cursor);
  auto p2 = service_->Register(Paged(*p1->next_cursor, 2));
  ASSERT_EQ(p2->items.size(), 2u);
  EXPECT_NE(p2->items[0].product_id, p1->items[0].product_id);
  EXPECT_EQ(service_->Register(Paged("garbage", kDefaultPageSize)).error().code, ErrorCode::kInvalid);

  // Suspension takes effect on the very next read.
  ASSERT_TRUE(products_.SetSuspended(kTeaBuds, true, "complaint", officer_).ok());
  EXPECT_EQ(service_->Register(Where(kThaiNguyen))->items.size(), 1u);
  ASSERT_TRUE(shops_.SetSuspended(kShopRice, true, "complaint", officer_).ok());
  EXPECT_TRUE(service_->Register(Where(kThaiNguyen))->items.empty());
  ASSERT_TRUE(products_.SetSuspended(kTeaBuds, false, "", officer_).ok());
  EXPECT_EQ(service_->Register(Where(kThaiNguyen))->items.size(), 1u);
  EXPECT_EQ(service_->RegisterAll({})->size(), 2u);
}

TEST_P(CertService, SearchSqlAndFacetsFollowTheClock) {
  Certificate ocop5 = SubmitOk(Ocop(5));
  ASSERT_TRUE(service_->Verify(&officer_, ocop5.id).ok());
  CertificateInput three = Ocop(3);
  three.number = "OCOP-TN-2024-001";
  three.product_ids = {kTeaDust};
  Certificate ocop3 = SubmitOk(three);
  ASSERT_TRUE(service_->Verify(&officer_, ocop3.id).ok());
  Certificate vietgap = SubmitOk(VietGap());
  ASSERT_TRUE(service_->Verify(&officer_, vietgap.id).ok());

  auto run = [&](const SqlFragment& f) {
    std::vector<std::int64_t> ids;
    auto rows =
        db_->Read([&](db::Connection& c) { return c.Query(f.sql + " ORDER BY product_id", f.params); });
    EXPECT_TRUE(rows.ok());
    for (const auto& r : *rows) ids.push_back(r.Int(0));
    return ids;
  };
  EXPECT_EQ(run(service_->CertifiedProductsSql({CertKind::kOcop, 3})),
            (std::vector<std::int64_t>{kTeaBuds, kTeaDust}));
  EXPECT_EQ(run(service_->CertifiedProductsSql({CertKind::kOcop, 4})), (std::vector<std::int64_t>{kTeaBuds}));
  EXPECT_EQ(run(service_->CertifiedProductsSql({CertKind::kOcop, 5})), (std::vector<std::int64_t>{kTeaBuds}));
  EXPECT_TRUE(run(service_->CertifiedProductsSql({CertKind::kOrganic, 0})).empty());

  SqlFragment matching{
      "SELECT CAST(? AS BIGINT) UNION SELECT CAST(? AS BIGINT) UNION SELECT CAST(? AS BIGINT)",
      {kTeaBuds, kTeaDust, kRice}};
  SqlFragment facet_sql = service_->FacetsSql(matching);
  auto rows = db_->Read([&](db::Connection& c) { return c.Query(facet_sql.sql, facet_sql.params); });
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  CertificationFacets facets = QualityService::FacetsFromRows(*rows);
  EXPECT_EQ(facets.by_kind[CertKind::kOcop], 2);
  EXPECT_EQ(facets.by_kind[CertKind::kVietGap], 2);
  EXPECT_EQ(facets.ocop_min[3], 2);
  EXPECT_EQ(facets.ocop_min[4], 1);
  EXPECT_EQ(facets.ocop_min[5], 1);
  auto direct = service_->Facets({kTeaBuds, kRice});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(direct->by_kind[CertKind::kOcop], 1);
  EXPECT_EQ(direct->ocop_min[5], 1);

  auto many = service_->Certifications(std::vector<std::int64_t>{kTeaBuds, kTeaDust, kRice});
  ASSERT_TRUE(many.ok());
  ASSERT_EQ((*many)[kTeaBuds].size(), 2u);
  EXPECT_EQ((*many)[kTeaBuds][0].kind, CertKind::kOcop) << "OCOP comes first";
  EXPECT_EQ(many->count(kRice), 0u);

  SetDay("2027-01-15");  // the VietGAP certificate has expired; OCOP runs to 2028
  EXPECT_TRUE(run(service_->CertifiedProductsSql({CertKind::kVietGap, 0})).empty());
  EXPECT_EQ(service_->Certifications(kTeaBuds)->size(), 1u);
}

TEST_P(CertService, ValidTodaySnapshotFiltersCountsAndFollowsDecisionsAndTheClock) {
  Certificate ocop = SubmitOk(Ocop(4));
  ASSERT_TRUE(service_->Verify(&officer_, ocop.id).ok());
  Certificate vietgap = SubmitOk(VietGap());  // buds and dust, expires 2027-01-14
  ASSERT_TRUE(service_->Verify(&officer_, vietgap.id).ok());

  auto snap = service_->ValidToday();
  ASSERT_TRUE(snap.ok()) << snap.error().detail;
  EXPECT_TRUE((*snap)->Matches(kTeaBuds, {CertKind::kOcop, 3}));
  EXPECT_TRUE((*snap)->Matches(kTeaBuds, {CertKind::kOcop, 4}));
  EXPECT_FALSE((*snap)->Matches(kTeaBuds, {CertKind::kOcop, 5}));
  EXPECT_TRUE((*snap)->Matches(kTeaDust, {CertKind::kVietGap, 0}));
  EXPECT_FALSE((*snap)->Matches(kTeaDust, {CertKind::kOcop, 0}));
  EXPECT_FALSE((*snap)->Matches(kRice, {CertKind::kVietGap, 0}));
  CertificationFacets facets;
  for (std::int64_t id : {kTeaBuds, kTeaDust, kRice}) (*snap)->Count(id, facets);
  EXPECT_EQ(facets.by_kind[CertKind::kVietGap], 2);
  EXPECT_EQ(facets.by_kind[CertKind::kOcop], 1);
  EXPECT_EQ(facets.ocop_min[3], 1);
  EXPECT_EQ(facets.ocop_min[4], 1);
  EXPECT_EQ(facets.ocop_min[5], 0);

  // A decision here is seen by the next snapshot at once…
  ASSERT_TRUE(service_->Revoke(&officer_, ocop.id, "Thu hồi theo quyết định của tỉnh").ok());
  EXPECT_FALSE(service_->ValidToday().value()->Matches(kTeaBuds, {CertKind::kOcop, 3}));
  // …and so is a new day.
  SetDay("2027-01-15");
  EXPECT_FALSE(service_->ValidToday().value()->Matches(kTeaDust, {CertKind::kVietGap, 0}));
}

TEST_P(CertService, ExpiryNoticesAreQueuedOnceAt60And30Days) {
  Certificate cert = SubmitOk(VietGap());  // expires 2027-01-14
  ASSERT_TRUE(service_->Verify(&officer_, cert.id).ok());
  ShopOutbox outbox(*db_, *clock_);
  const std::size_t after_verify = outbox.Pending(100)->size();
  EXPECT_EQ(after_verify, 1u) << "the shop is told of the verification";

  SetDay("2026-11-14");  // 61 days left
  EXPECT_EQ(service_->QueueExpiryNotices().value(), 0);
  SetDay("2026-11-15");  // 60 days left
  EXPECT_EQ(service_->QueueExpiryNotices().value(), 1);
  EXPECT_EQ(service_->QueueExpiryNotices().value(), 0) << "once only";
  SetDay("2026-12-01");
  EXPECT_EQ(service_->QueueExpiryNotices().value(), 0);
  SetDay("2026-12-15");  // 30 days left
  EXPECT_EQ(service_->QueueExpiryNotices().value(), 1);
  SetDay("2027-01-20");
  EXPECT_EQ(service_->QueueExpiryNotices().value(), 0) << "expired certificates are not chased";

  auto pending = outbox.Pending(100);
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[1].topic, "certificate_expiring");
  EXPECT_EQ((*pending)[1].seller_id, kShopTea);
  EXPECT_NE((*pending)[1].message.find("14/01/2027"), std::string::npos);
  ASSERT_TRUE(outbox.MarkSent({(*pending)[0].id, (*pending)[1].id}).ok());
  EXPECT_EQ(outbox.Pending(100)->size(), 1u);
  EXPECT_EQ(outbox.ForShop(kShopTea, 10)->size(), 3u);
}

TEST_P(CertService, PublicCheckTellsGenuineFromUnknown) {
  Certificate cert = SubmitOk(Ocop(4));
  auto before = service_->CheckCode(cert.code);
  ASSERT_TRUE(before.ok() && before->has_value());
  EXPECT_FALSE((*before)->valid_today) << "pending is not valid";
  ASSERT_TRUE(service_->Verify(&officer_, cert.id).ok());
  auto after = service_->CheckCode(cert.code);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_TRUE((*after)->valid_today);
  EXPECT_EQ((*after)->shop_name, "HTX Chè Tân Cương");
  ASSERT_EQ((*after)->products.size(), 1u);
  EXPECT_EQ((*after)->products[0].name, "Chè búp Tân Cương");
  EXPECT_FALSE(service_->CheckCode("NOSUCH99")->has_value());
  EXPECT_FALSE(service_->CheckCode("")->has_value());
}

// Issue 13: certificate evidence images go through the photo pipeline too:
// re-encoded, GPS and camera stripped, a decompression bomb refused.
TEST_P(CertService, EvidenceImagesAreReencodedWithoutGpsAndBombsRefused) {
  const std::string with_gps = nongsan::testing::WithGpsExif(SampleJpeg());
  ASSERT_TRUE(nongsan::testing::ExifGpsAndCamera(with_gps).contains("GPSLongitude"));
  CertificateInput in = VietGap();
  in.evidence = {{with_gps, "image/jpeg"}};
  Certificate cert = SubmitOk(in);
  auto blob = service_->GetEvidence(&officer_, cert.id, cert.evidence.at(0).id);
  ASSERT_TRUE(blob.ok()) << blob.error().detail;
  EXPECT_TRUE(IsDecodableJpeg(blob->bytes));
  const nlohmann::json tags = nongsan::testing::ExifGpsAndCamera(blob->bytes);
  EXPECT_TRUE(tags.empty()) << "exiftool still finds: " << tags.dump();

  auto bomb = service_->AddEvidence(&tea_owner_, cert.id,
                                    {nongsan::testing::PngHeaderOnly(30000, 30000), "image/png"});
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.error().type, "image_too_large");
  EXPECT_EQ(bomb.error().fields.at(0).field, "file");
  EXPECT_EQ(Count("quality_evidence"), 1);
}

INSTANTIATE_TEST_SUITE_P(Quality, CertService, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing
