// QualityService's certificate workflow: submission with its evidence, the
// officers' decisions, who may see what, the public check of a code and the
// shops' notices (expiry). Badges and search coverage are in
// certification_queries.cpp, the public register in public_register.cpp;
// declarations in quality_service.hpp.
#include "quality/quality_service.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "quality/certificate_records.hpp"
#include "quality/evidence.hpp"
#include "quality/officer_scope.hpp"
#include "quality/outbox.hpp"
#include "quality/product_coverage.hpp"
#include "quality/text_input.hpp"

namespace nongsan::quality {
namespace {

constexpr std::string_view kCertColumns =
    "id, seller_id, kind, number, issuer, ocop_stars, ocop_group, issued_day, expires_day, status, code, "
    "commune_code, province_code, submitted_by, submitted_at, verified_by, verified_at, verifier_name, "
    "decided_by, decided_at, reason, application_number, filing_day, trademark_status, refusal_reason";

constexpr std::string_view kInsertCertificate =
    "INSERT INTO quality_certificates (seller_id, kind, number, number_key, issuer, ocop_stars, ocop_group, "
    "issued_day, expires_day, status, code, commune_code, province_code, submitted_by, submitted_at, "
    "updated_at, application_number, filing_day, trademark_status, refusal_reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kInsertScope =
    "INSERT INTO quality_certificate_products (certificate_id, product_id, seller_id, kind, ocop_stars, "
    "verified, issued_day, expires_day, commune_code, province_code) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)";
constexpr std::string_view kInsertEvidence =
    "INSERT INTO quality_evidence (certificate_id, content_type, byte_size, sha256, data, uploaded_by, "
    "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view kNumberInUse =
    "SELECT id FROM quality_certificates WHERE kind = ? AND number_key = ? AND status <> 'rejected'";

constexpr const char* kAllowedKinds = "ocop, vietgap, organic, globalgap, trademark, other";
constexpr const char* kAllowedGroups = "food, drinks, herbal, textiles, souvenirs, tourism";

}  // namespace

// The certificate number as compared for duplicates: folded, letters and
// digits only, so "VietGAP-TT-19-0015" and "vietgap tt 19 0015" clash.
std::string CertificateNumberKey(std::string_view number) {
  std::string key;
  for (char ch : text::FoldVietnamese(number)) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) key += ch;
  }
  return key;
}

namespace {

Certificate CertFromRow(const db::Row& r, std::int64_t today) {
  Certificate c;
  c.id = r.Int(0);
  c.seller_id = r.Int(1);
  c.kind = ParseCertKind(r.Text(2)).value_or(CertKind::kOther);
  c.number = r.Text(3);
  c.issuer = r.Text(4);
  if (auto stars = r.OptInt(5)) c.ocop_stars = static_cast<int>(*stars);
  if (auto group = r.OptText(6)) c.ocop_group = ParseOcopGroup(*group);
  c.issued_day = r.Int(7);
  c.expires_day = r.Int(8);
  c.stored_status = ParseCertStatus(r.Text(9)).value_or(CertStatus::kPending);
  c.status = EffectiveStatus(c.stored_status, c.expires_day, today);
  c.code = r.Text(10);
  c.commune_code = r.Text(11);
  c.province_code = r.Text(12);
  c.submitted_by = r.Int(13);
  c.submitted_at_ms = r.Int(14);
  c.verified_by = r.OptInt(15);
  c.verified_at_ms = r.OptInt(16);
  c.verifier_name = r.Text(17);
  c.decided_by = r.OptInt(18);
  c.decided_at_ms = r.OptInt(19);
  c.reason = r.Text(20);
  if (auto status = r.OptText(23)) {
    c.trademark = Trademark{r.OptText(21).value_or(""), r.OptInt(22).value_or(0),
                            ParseTrademarkStatus(*status).value_or(TrademarkStatus::kFiled),
                            r.OptText(24).value_or("")};
  }
  return c;
}

nlohmann::json AuditSnapshot(const Certificate& c) {
  nlohmann::json snapshot = {{"kind", CertKindName(c.kind)},
                             {"number", c.number},
                             {"issuer", c.issuer},
                             {"status", CertStatusName(c.stored_status)},
                             {"issued_on", timefmt::IsoDate(c.issued_day)},
                             {"expires_on", timefmt::IsoDate(c.expires_day)},
                             {"product_ids", c.product_ids},
                             {"reason", c.reason}};
  if (c.trademark) {
    snapshot["application_number"] = c.trademark->application_number;
    snapshot["filing_date"] = timefmt::IsoDate(c.trademark->filing_day);
    snapshot["trademark_status"] = TrademarkStatusName(c.trademark->status);
    snapshot["refusal_reason"] = c.trademark->refusal_reason;
  }
  return snapshot;
}

}  // namespace

Status AuditCertificate(db::Connection& c, const Principal& actor, const std::string& action,
                        const Certificate& before, const Certificate* after, std::int64_t now) {
  accounts::AuditEntry entry;
  entry.actor_user_id = actor.user_id;
  entry.action = action;
  entry.object_type = "certificate";
  entry.object_id = std::to_string(before.id);
  entry.before = after ? AuditSnapshot(before) : nlohmann::json(nullptr);
  entry.after = AuditSnapshot(after ? *after : before);
  entry.province_code = before.province_code;
  return accounts::RecordAudit(c, entry, now);
}

std::string CertificateTitle(const Certificate& c) {
  std::string title(CertKindLabel(c.kind));
  if (c.ocop_stars) title += " " + std::to_string(*c.ocop_stars) + " sao";
  return title + " số " + c.number;
}

namespace {

// Before its grant a trademark has no certificate number of its own: the
// application number stands in (quality/trademark.hpp). Its protection runs
// from the filing date, which also serves as the start when none is given.
void FillTrademarkDefaults(const std::optional<Trademark>& tm, CertificateInput& input) {
  if (!tm) return;
  if (input.number.empty() && tm->status != TrademarkStatus::kGranted) input.number = tm->application_number;
  if (input.issued_on.empty()) input.issued_on = timefmt::IsoDate(tm->filing_day);
  if (input.expires_on.empty()) {
    input.expires_on = timefmt::IsoDate(AddMonths(tm->filing_day, kTrademarkTermMonths));
  }
}

// An OCOP certificate's stars and product group; other kinds have neither.
void CheckOcop(const CertificateInput& input, std::optional<CertKind> kind, std::optional<int>& stars,
               std::optional<OcopGroup>& group, std::vector<FieldError>& errors) {
  if (kind == CertKind::kOcop) {
    if (!input.ocop_stars) {
      errors.push_back({"ocop_stars", "is required for an OCOP certificate: 3, 4 or 5"});
    } else if (*input.ocop_stars < kOcopMinStars || *input.ocop_stars > kOcopMaxStars) {
      errors.push_back({"ocop_stars", "must be 3, 4 or 5 stars"});
    } else {
      stars = static_cast<int>(*input.ocop_stars);
    }
    if (!input.ocop_group) {
      errors.push_back({"ocop_group", std::string("is required for an OCOP certificate: ") + kAllowedGroups});
    } else if (group = ParseOcopGroup(*input.ocop_group); !group) {
      errors.push_back({"ocop_group", std::string("must be one of ") + kAllowedGroups});
    }
  } else if (kind) {
    if (input.ocop_stars) errors.push_back({"ocop_stars", "only an OCOP certificate has stars"});
    if (input.ocop_group) errors.push_back({"ocop_group", "only an OCOP certificate has a product group"});
  }
}

// The issue and expiry days: issued by today, expiring after it and after
// the issue, within kMaxValidityMonths of it.
std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>> CheckValidity(
    const CertificateInput& input, std::int64_t today, std::vector<FieldError>& errors) {
  const auto issued = timefmt::ParseIsoDate(input.issued_on);
  const auto expires = timefmt::ParseIsoDate(input.expires_on);
  if (!issued) errors.push_back({"issued_on", "must be a date written YYYY-MM-DD"});
  if (!expires) errors.push_back({"expires_on", "must be a date written YYYY-MM-DD"});
  if (issued && *issued > today) errors.push_back({"issued_on", "is in the future"});
  if (issued && expires) {
    if (*expires <= *issued) {
      errors.push_back({"expires_on", "must be after issued_on"});
    } else if (*expires > AddMonths(*issued, kMaxValidityMonths)) {
      errors.push_back({"expires_on", "is more than 10 years after issued_on"});
    } else if (*expires < today) {
      errors.push_back({"expires_on", "has already passed: this certificate has expired"});
    }
  }
  return {issued, expires};
}

// The products a certificate covers, as a list: 1 to kMaxScopeProducts
// ids, each once. True when they are worth looking up.
bool CheckScopeShape(const std::vector<std::int64_t>& product_ids, std::vector<FieldError>& errors) {
  if (product_ids.empty()) {
    errors.push_back({"product_ids", "name at least one product the certificate covers"});
    return false;
  }
  if (product_ids.size() > kMaxScopeProducts) {
    errors.push_back(
        {"product_ids", "a certificate covers at most " + std::to_string(kMaxScopeProducts) + " products"});
    return false;
  }
  bool well_formed = true;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < product_ids.size(); ++i) {
    const std::string field = "product_ids[" + std::to_string(i) + "]";
    if (product_ids[i] <= 0) {
      errors.push_back({field, "is not a product id"});
      well_formed = false;
    } else if (!seen.insert(product_ids[i]).second) {
      errors.push_back({field, "lists product " + std::to_string(product_ids[i]) + " twice"});
      well_formed = false;
    }
  }
  return well_formed;
}

}  // namespace

std::vector<std::string> ValidityWarnings(CertKind kind, std::int64_t issued_day, std::int64_t expires_day) {
  std::vector<std::string> warnings;
  if (kind == CertKind::kOcop && expires_day > AddMonths(issued_day, kOcopValidityMonths)) {
    warnings.push_back(
        "An OCOP rating is valid for 36 months; this certificate claims longer. Check the "
        "expiry date on the paper certificate.");
  }
  if (kind == CertKind::kVietGap && expires_day > AddMonths(issued_day, kVietGapMaxValidityMonths)) {
    warnings.push_back(
        "A VietGAP certificate is valid for at most 2 years; this one claims longer. Check the "
        "expiry date on the paper certificate.");
  }
  return warnings;
}

QualityService::QualityService(db::Database& db, const Clock& clock, ShopPort& shops, ProductPort& products,
                               const AreaPort& areas, std::string base_url, const StagedUploads& staged)
    : db_(db),
      clock_(clock),
      shops_(shops),
      products_(products),
      areas_(areas),
      base_url_(std::move(base_url)),
      staged_(staged) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::int64_t QualityService::Today() const { return timefmt::LocalDay(clock_.NowMs()); }

std::string QualityService::VerifyUrl(const std::string& code) const { return base_url_ + "/c/" + code; }

Result<Certificate> QualityService::Load(std::int64_t certificate_id) {
  const std::int64_t today = Today();
  return db_.Read([&](db::Connection& c) -> Result<Certificate> {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT " + std::string(kCertColumns) + " FROM quality_certificates WHERE id = ?",
                          {certificate_id}));
    if (!row) return Error::NotFound("certificate");
    Certificate cert = CertFromRow(*row, today);
    TRY_ASSIGN(db::Rows scope, c.Query("SELECT product_id FROM quality_certificate_products WHERE "
                                       "certificate_id = ? ORDER BY product_id",
                                       {certificate_id}));
    for (const auto& r : scope) cert.product_ids.push_back(r.Int(0));
    TRY_ASSIGN(db::Rows files, c.Query("SELECT id, content_type, byte_size, sha256, uploaded_at FROM "
                                       "quality_evidence WHERE certificate_id = ? ORDER BY id",
                                       {certificate_id}));
    for (const auto& r : files) cert.evidence.push_back({r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4)});
    return cert;
  });
}

Result<SubmitResult> QualityService::Submit(const Principal* principal, std::int64_t seller_id,
                                            CertificateInput input) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  if (!shop) return Error::NotFound("shop");
  TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, seller_id));
  if (!may_manage) return Error::NotFound("shop");

  std::vector<FieldError> errors;
  const auto kind = ParseCertKind(input.kind);
  if (!kind) errors.push_back({"kind", std::string("must be one of ") + kAllowedKinds});
  const std::int64_t today = Today();
  std::optional<Trademark> trademark;
  if (kind == CertKind::kTrademark) {
    trademark = CheckTrademark(input.trademark, input.number, today, errors);
    FillTrademarkDefaults(trademark, input);
  } else if (kind && input.trademark.Any()) {
    errors.push_back({"trademark_status", "only a trademark has an application, filing date or status"});
  }
  auto number = CleanText(input.number, "number", 1, kMaxCertificateNumberChars, Lines::kSingle, errors);
  if (number && CertificateNumberKey(*number).empty())
    errors.push_back({"number", "must contain letters or digits"});
  auto issuer = CleanText(input.issuer, "issuer", 2, kMaxIssuerChars, Lines::kSingle, errors);

  std::optional<int> stars;
  std::optional<OcopGroup> group;
  CheckOcop(input, kind, stars, group, errors);
  const auto [issued, expires] = CheckValidity(input, today, errors);
  const std::vector<std::int64_t>& product_ids = input.product_ids;
  if (CheckScopeShape(product_ids, errors)) {
    TRY_ASSIGN(auto refs, products_.FindMany(product_ids));
    std::unordered_map<std::int64_t, ProductRef> by_id;
    for (auto& r : refs) by_id.emplace(r.id, r);
    for (std::size_t i = 0; i < product_ids.size(); ++i) {
      auto it = by_id.find(product_ids[i]);
      if (it == by_id.end() || it->second.seller_id != seller_id) {
        errors.push_back({"product_ids[" + std::to_string(i) + "]",
                          "product " + std::to_string(product_ids[i]) + " is not a product of this shop"});
      }
    }
  }

  std::vector<CheckedFile> files;
  if (input.evidence.size() + input.staged_evidence.size() > kMaxEvidenceFiles) {
    errors.push_back({"evidence", "at most " + std::to_string(kMaxEvidenceFiles) + " files"});
  } else {
    for (std::size_t i = 0; i < input.evidence.size(); ++i) {
      auto& upload = input.evidence[i];
      auto checked =
          CheckUpload(std::move(upload.bytes), upload.content_type, kMaxEvidenceBytes,
                      AllowedFiles::kPdfOrImage, kEvidenceImageWidth, "evidence[" + std::to_string(i) + "]");
      if (!checked.ok()) {
        if (checked.error().code != ErrorCode::kInvalid) return std::move(checked).error();
        for (const auto& f : checked.error().fields) errors.push_back(f);
        continue;
      }
      files.push_back(std::move(checked).value());
    }
    for (std::size_t i = 0; i < input.staged_evidence.size(); ++i) {
      auto kept = staged_.Load(principal, StagedPurpose::kEvidence, input.staged_evidence[i],
                               "evidence[" + std::to_string(input.evidence.size() + i) + "]");
      if (!kept.ok()) {
        if (kept.error().code != ErrorCode::kInvalid) return std::move(kept).error();
        for (const auto& f : kept.error().fields) errors.push_back(f);
        continue;
      }
      files.push_back(std::move(kept).value());
    }
  }
  TRY(CheckFields(std::move(errors)));

  Certificate draft;
  draft.seller_id = seller_id;
  draft.kind = *kind;
  draft.number = *number;
  draft.issuer = *issuer;
  draft.ocop_stars = stars;
  draft.ocop_group = group;
  draft.issued_day = *issued;
  draft.expires_day = *expires;
  draft.commune_code = shop->commune_code;
  draft.province_code = areas_.ProvinceOf(shop->commune_code).value_or("");
  draft.product_ids = product_ids;
  draft.trademark = trademark;
  const std::string number_key = CertificateNumberKey(draft.number);
  const std::int64_t now = clock_.NowMs();

  auto written = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(auto existing, c.QueryOne(kNumberInUse, {std::string(CertKindName(draft.kind)), number_key}));
    if (existing) {
      return Error::Conflict(
          "certificate_number_in_use",
          "A " + std::string(CertKindLabel(draft.kind)) + " certificate numbered " + draft.number +
              " is already registered on nongsan. If it is yours, ask your commune officer.");
    }
    draft.code = ids::RandomCode(kPublicCodeLength);
    TRY_ASSIGN(
        std::int64_t id,
        c.QueryInt(
            kInsertCertificate,
            {seller_id, std::string(CertKindName(draft.kind)), draft.number, number_key, draft.issuer,
             stars ? db::Value{std::int64_t{*stars}} : db::Value{},
             group ? db::Value{std::string(OcopGroupName(*group))} : db::Value{}, draft.issued_day,
             draft.expires_day, draft.code, draft.commune_code, draft.province_code, principal->user_id, now,
             now, trademark ? db::Value{trademark->application_number} : db::Value{},
             trademark ? db::Value{trademark->filing_day} : db::Value{},
             trademark ? db::Value{std::string(TrademarkStatusName(trademark->status))} : db::Value{},
             trademark ? db::Value{trademark->refusal_reason} : db::Value{}}));
    draft.id = id;
    for (std::int64_t product_id : product_ids) {
      TRY(c.Exec(kInsertScope, {id, product_id, seller_id, std::string(CertKindName(draft.kind)),
                                std::int64_t{stars.value_or(0)}, draft.issued_day, draft.expires_day,
                                draft.commune_code, draft.province_code}));
    }
    for (const auto& f : files) {
      TRY(c.QueryInt(kInsertEvidence,
                     {id, std::string(ContentTypeOf(f.kind)), static_cast<std::int64_t>(f.bytes.size()),
                      f.sha256, f.bytes, principal->user_id, now}));
    }
    for (std::size_t i = 0; i < input.staged_evidence.size(); ++i) {
      TRY(StagedUploads::Claim(c, *principal, StagedPurpose::kEvidence, input.staged_evidence[i],
                               "evidence[" + std::to_string(input.evidence.size() + i) + "]"));
    }
    draft.stored_status = CertStatus::kPending;
    TRY(AuditCertificate(c, *principal, "certificate.submit", draft, nullptr, now));
    return id;
  });
  if (!written.ok()) {
    if (db::IsUniqueViolation(written.error())) {
      return Error::Conflict("certificate_number_in_use",
                             "A certificate with this number is already registered on nongsan.");
    }
    return std::move(written).error();
  }
  TRY_ASSIGN(Certificate cert, Load(*written));
  return SubmitResult{std::move(cert), ValidityWarnings(draft.kind, draft.issued_day, draft.expires_day)};
}

Result<Certificate> QualityService::Verify(const Principal* officer, std::int64_t certificate_id) {
  return Decide(officer, certificate_id, CertStatus::kVerified, "");
}

Result<Certificate> QualityService::Reject(const Principal* officer, std::int64_t certificate_id,
                                           std::string reason) {
  return Decide(officer, certificate_id, CertStatus::kRejected, std::move(reason));
}

Result<Certificate> QualityService::Revoke(const Principal* officer, std::int64_t certificate_id,
                                           std::string reason) {
  return Decide(officer, certificate_id, CertStatus::kRevoked, std::move(reason));
}

Result<Certificate> QualityService::Decide(const Principal* officer, std::int64_t certificate_id,
                                           CertStatus to, std::string reason) {
  TRY(RequireSignedIn(officer));
  TRY_ASSIGN(Certificate cert, Load(certificate_id));
  TRY_ASSIGN(ShopRef shop, RequireOfficerOf(officer, shops_, areas_, cert.seller_id, "certificate"));

  std::optional<std::string> clean_reason;
  if (to != CertStatus::kVerified) {
    std::vector<FieldError> errors;
    clean_reason = CleanText(reason, "reason", kMinReasonChars, kMaxReasonChars, Lines::kMulti, errors);
    TRY(CheckFields(std::move(errors)));
  }
  // The officer who typed a certificate in for a household must not also be
  // the one who confirms it: verification needs a second pair of eyes.
  if (to == CertStatus::kVerified && cert.submitted_by == officer->user_id) {
    Error e =
        Error::Forbidden("You submitted this certificate for the shop; another officer must verify it.");
    e.type = "own_submission";
    return e;
  }
  const CertStatus from = to == CertStatus::kRevoked ? CertStatus::kVerified : CertStatus::kPending;
  if (cert.stored_status != from) {
    return Error::Conflict("invalid_transition", "A " + std::string(CertStatusName(cert.status)) +
                                                     " certificate cannot be " +
                                                     std::string(CertStatusName(to)) + ".");
  }
  if (to == CertStatus::kVerified && cert.status == CertStatus::kExpired) {
    return Error::Conflict("certificate_expired", "This certificate expired on " +
                                                      timefmt::DisplayIsoDays(cert.expires_day) +
                                                      "; ask the shop to submit the renewed one.");
  }

  const std::int64_t now = clock_.NowMs();
  const std::string province = areas_.ProvinceOf(shop.commune_code).value_or("");
  const std::string to_name(CertStatusName(to));
  Certificate after = cert;
  after.stored_status = to;
  after.reason = clean_reason.value_or("");
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    std::int64_t changed = 0;
    if (to == CertStatus::kVerified) {
      // The shop's location is refreshed, so the register files it where it is now.
      TRY_ASSIGN(changed, c.Exec("UPDATE quality_certificates SET status = 'verified', verified_by = ?, "
                                 "verified_at = ?, verifier_name = ?, commune_code = ?, province_code = ?, "
                                 "updated_at = ? WHERE id = ? AND status = 'pending'",
                                 {officer->user_id, now, officer->full_name, shop.commune_code, province, now,
                                  certificate_id}));
      // A trademark only filed or refused is on record but is no badge.
      const bool counts = !cert.trademark || cert.trademark->status == TrademarkStatus::kGranted;
      TRY(
          c.Exec("UPDATE quality_certificate_products SET verified = ?, commune_code = ?, province_code = ? "
                 "WHERE certificate_id = ?",
                 {std::int64_t{counts ? 1 : 0}, shop.commune_code, province, certificate_id}));
    } else {
      TRY_ASSIGN(changed,
                 c.Exec("UPDATE quality_certificates SET status = ?, decided_by = ?, decided_at = ?, "
                        "reason = ?, updated_at = ? WHERE id = ? AND status = ?",
                        {to_name, officer->user_id, now, after.reason, now, certificate_id,
                         std::string(CertStatusName(from))}));
      TRY(c.Exec("UPDATE quality_certificate_products SET verified = 0 WHERE certificate_id = ?",
                 {certificate_id}));
    }
    // Another officer decided in the meantime: nothing is changed.
    if (changed == 0) return Error::Conflict("invalid_transition", "This certificate was decided meanwhile.");
    if (coverage_observer_ != nullptr) {
      TRY_ASSIGN(auto covered_products, CertificateProductIds(c, certificate_id));
      TRY(coverage_observer_->OnCoverageChanged(c, now, covered_products));
    }
    TRY(AuditCertificate(c, *officer,
                         "certificate." + std::string(to == CertStatus::kVerified   ? "verify"
                                                      : to == CertStatus::kRejected ? "reject"
                                                                                    : "revoke"),
                         cert, &after, now));
    std::string message;
    if (to == CertStatus::kVerified) {
      message = "Chứng nhận " + CertificateTitle(cert) + " đã được xác minh; huy hiệu đã hiện trên sản phẩm.";
    } else if (to == CertStatus::kRejected) {
      message = "Chứng nhận " + CertificateTitle(cert) + " bị từ chối. Lý do: " + after.reason;
    } else {
      message = "Chứng nhận " + CertificateTitle(cert) + " đã bị thu hồi. Lý do: " + after.reason;
    }
    TRY(QueueShopMessage(c, cert.seller_id, "certificate_" + to_name, certificate_id,
                         "certificate:" + std::to_string(certificate_id) + ":" + to_name, message, now));
    return Ok{};
  }));
  CertificatesChanged();
  return Load(certificate_id);
}

Result<EvidenceFile> QualityService::AddEvidence(const Principal* principal, std::int64_t certificate_id,
                                                 UploadInput file) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Certificate cert, Load(certificate_id));
  TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, cert.seller_id));
  if (!may_manage) return Error::NotFound("certificate");
  if (cert.status != CertStatus::kPending) {
    return Error::Conflict("invalid_transition",
                           "Evidence can only be added while the certificate is pending.");
  }
  if (cert.evidence.size() >= kMaxEvidenceFiles) {
    return Error::Conflict("too_many_files", "A certificate holds at most " +
                                                 std::to_string(kMaxEvidenceFiles) + " evidence files.");
  }
  TRY_ASSIGN(CheckedFile checked, CheckUpload(std::move(file.bytes), file.content_type, kMaxEvidenceBytes,
                                              AllowedFiles::kPdfOrImage, kEvidenceImageWidth, "file"));
  const std::int64_t now = clock_.NowMs();
  EvidenceFile out{0, std::string(ContentTypeOf(checked.kind)),
                   static_cast<std::int64_t>(checked.bytes.size()), checked.sha256, now};
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    TRY_ASSIGN(out.id, c.QueryInt(kInsertEvidence, {certificate_id, out.content_type, out.byte_size,
                                                    out.sha256, checked.bytes, principal->user_id, now}));
    return Ok{};
  }));
  return out;
}

Result<bool> QualityService::MaySeeAll(const Principal* principal, std::int64_t seller_id,
                                       const std::string& commune_code) {
  if (principal == nullptr) return false;
  if (IsOfficer(*principal)) {
    TRY_ASSIGN(auto shop, shops_.Find(seller_id));
    const std::string& commune = shop ? shop->commune_code : commune_code;
    if (CoversCommune(*principal, areas_, commune)) return true;
  }
  return shops_.CanManage(principal, seller_id);
}

Result<Certificate> QualityService::Get(const Principal* principal, std::int64_t certificate_id) {
  TRY_ASSIGN(Certificate cert, Load(certificate_id));
  if (cert.status == CertStatus::kVerified) return cert;
  TRY_ASSIGN(bool all, MaySeeAll(principal, cert.seller_id, cert.commune_code));
  if (!all) return Error::NotFound("certificate");
  return cert;
}

Result<std::vector<Certificate>> QualityService::ListForShop(const Principal* principal,
                                                             std::int64_t seller_id) {
  TRY_ASSIGN(auto shop, shops_.Find(seller_id));
  if (!shop) return Error::NotFound("shop");
  TRY_ASSIGN(bool all, MaySeeAll(principal, seller_id, shop->commune_code));
  // A shop the public cannot see (suspended, unlisted) has no public
  // certificate list either: "no such shop", as its own page says.
  if (!all && !shop->is_public) return Error::NotFound("shop");
  TRY_ASSIGN(db::Rows ids, db_.Read([&](db::Connection& c) {
    return c.Query("SELECT id FROM quality_certificates WHERE seller_id = ? ORDER BY id DESC", {seller_id});
  }));
  std::vector<Certificate> out;
  for (const auto& r : ids) {
    TRY_ASSIGN(Certificate cert, Load(r.Int(0)));
    if (all || cert.status == CertStatus::kVerified) out.push_back(std::move(cert));
  }
  return out;
}

Result<EvidenceBlob> QualityService::GetEvidence(const Principal* principal, std::int64_t certificate_id,
                                                 std::int64_t evidence_id) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Certificate cert, Load(certificate_id));
  TRY_ASSIGN(bool all, MaySeeAll(principal, cert.seller_id, cert.commune_code));
  if (!all) return Error::NotFound("evidence file");
  return db_.Read([&](db::Connection& c) -> Result<EvidenceBlob> {
    TRY_ASSIGN(auto row, c.QueryOne("SELECT id, content_type, byte_size, sha256, uploaded_at, data FROM "
                                    "quality_evidence WHERE id = ? AND certificate_id = ?",
                                    {evidence_id, certificate_id}));
    if (!row) return Error::NotFound("evidence file");
    return EvidenceBlob{{row->Int(0), row->Text(1), row->Int(2), row->Text(3), row->Int(4)}, row->Text(5)};
  });
}

Result<std::vector<Certificate>> QualityService::PendingForOfficer(const Principal* officer,
                                                                   std::size_t limit) {
  TRY(RequireSignedIn(officer));
  if (!IsOfficer(*officer)) {
    return Error::Forbidden("Only a commune officer or the province administration may do this.");
  }
  limit = std::clamp<std::size_t>(limit, 1, kMaxPageSize);
  // Candidates by the area recorded at submission; each is re-checked against
  // the shop's current commune before it is shown.
  std::vector<std::string> communes, provinces;
  for (const auto& g : officer->grants) {
    if (g.role == Role::kCommuneOfficer) communes.push_back(g.scope);
    if (g.role == Role::kProvinceAdmin) provinces.push_back(g.scope);
  }
  if (communes.empty() && provinces.empty()) return std::vector<Certificate>{};
  std::string sql =
      "SELECT id, seller_id, commune_code FROM quality_certificates WHERE status = 'pending' AND "
      "expires_day >= ? AND (1 = 0";
  db::Params params{Today()};
  if (!communes.empty()) {
    sql += " OR commune_code IN (" + db::Placeholders(communes.size()) + ")";
    for (auto& code : communes) params.emplace_back(code);
  }
  if (!provinces.empty()) {
    sql += " OR province_code IN (" + db::Placeholders(provinces.size()) + ")";
    for (auto& code : provinces) params.emplace_back(code);
  }
  sql += ") ORDER BY id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) { return c.Query(sql, params); }));
  std::vector<Certificate> out;
  for (const auto& r : rows) {
    TRY_ASSIGN(auto shop, shops_.Find(r.Int(1)));
    if (!shop || !CoversCommune(*officer, areas_, shop->commune_code)) continue;
    TRY_ASSIGN(Certificate cert, Load(r.Int(0)));
    out.push_back(std::move(cert));
  }
  return out;
}

Result<std::optional<PublicCheck>> QualityService::CheckCode(const std::string& code) {
  if (code.empty() || code.size() > kPublicCodeLength * 2) return std::optional<PublicCheck>{};
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) {
    return c.QueryOne("SELECT id FROM quality_certificates WHERE code = ?", {code});
  }));
  if (!row) return std::optional<PublicCheck>{};
  PublicCheck check;
  TRY_ASSIGN(check.certificate, Load(row->Int(0)));
  check.today = Today();
  // A trademark filing verified as data is not a registration (quality/trademark.hpp).
  const auto& tm = check.certificate.trademark;
  check.valid_today = check.certificate.status == CertStatus::kVerified &&
                      check.certificate.issued_day <= check.today &&
                      (!tm || tm->status == TrademarkStatus::kGranted);
  TRY_ASSIGN(auto shop, shops_.Find(check.certificate.seller_id));
  if (shop) {
    check.shop_name = shop->name;
    check.shop_public = shop->is_public;
  }
  TRY_ASSIGN(check.products, products_.FindMany(check.certificate.product_ids));
  return std::optional<PublicCheck>{std::move(check)};
}

void QualityService::CertificatesChanged() {
  {
    std::lock_guard lock(snapshot_mu_);
    snapshot_.reset();
  }
  if (on_certificates_changed_) on_certificates_changed_();
}
Result<std::vector<OutboxMessage>> QualityService::Notices(const Principal* principal, std::int64_t seller_id,
                                                           std::size_t limit) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(bool may_manage, shops_.CanManage(principal, seller_id));
  if (!may_manage) return Error::NotFound("shop");
  return ShopOutbox(db_, clock_).ForShop(seller_id, std::clamp<std::size_t>(limit, 1, kMaxPageSize));
}

Result<int> QualityService::QueueExpiryNotices() {
  const std::int64_t today = Today();
  const std::int64_t now = clock_.NowMs();
  int queued = 0;
  TRY(db_.WriteWith([&](db::Connection& c) -> Status {
    queued = 0;
    TRY_ASSIGN(db::Rows rows, c.Query("SELECT " + std::string(kCertColumns) +
                                          " FROM quality_certificates WHERE status = "
                                          "'verified' AND expires_day >= ? AND expires_day <= ?",
                                      {today, today + kExpiryNoticeFirstDays}));
    for (const auto& r : rows) {
      const Certificate cert = CertFromRow(r, today);
      const std::int64_t days_left = cert.expires_day - today;
      // A notice that would already be stale (the timer was down) is skipped
      // in favour of the nearer one.
      const int window =
          days_left <= kExpiryNoticeSecondDays ? kExpiryNoticeSecondDays : kExpiryNoticeFirstDays;
      const std::string message = "Chứng nhận " + CertificateTitle(cert) + " sẽ hết hạn ngày " +
                                  timefmt::DisplayIsoDays(cert.expires_day) + " (còn " +
                                  std::to_string(days_left) +
                                  " ngày). Hãy gửi chứng nhận gia hạn để giữ huy hiệu trên sản phẩm.";
      TRY_ASSIGN(bool fresh, QueueShopMessage(c, cert.seller_id, "certificate_expiring", cert.id,
                                              "certificate:" + std::to_string(cert.id) +
                                                  ":expiring:" + std::to_string(window),
                                              message, now));
      if (fresh) ++queued;
    }
    return Ok{};
  }));
  return queued;
}

}  // namespace nongsan::quality
