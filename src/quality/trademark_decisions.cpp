// QualityService::DecideTrademark: the IP Office's grant or refusal of a
// filed trademark (quality/trademark.hpp), recorded by the shop or by an
// officer of its area — beside the trademark rules rather than in the long
// quality_service.cpp.
#include "core/clock.hpp"
#include "core/field_errors.hpp"
#include "quality/certificate_records.hpp"
#include "quality/officer_scope.hpp"
#include "quality/outbox.hpp"
#include "quality/product_coverage.hpp"
#include "quality/quality_service.hpp"
#include "quality/text_input.hpp"
#include "quality/trademark.hpp"

namespace nongsan::quality {
namespace {

// The decision's own fields, checked; the grant's day defaults to today.
struct CheckedDecision {
  TrademarkStatus status = TrademarkStatus::kGranted;
  std::string number;
  std::int64_t granted_day = 0;
  std::string reason;
};

Result<CheckedDecision> CheckDecision(const TrademarkDecision& in, const Trademark& filed,
                                      std::int64_t today) {
  std::vector<FieldError> errors;
  CheckedDecision out;
  out.granted_day = today;
  const auto status = ParseTrademarkStatus(in.trademark_status);
  if (!status || *status == TrademarkStatus::kFiled) {
    errors.push_back({"trademark_status", "must be granted or refused"});
  } else {
    out.status = *status;
  }
  if (status == TrademarkStatus::kGranted) {
    auto number = CleanText(in.number, "number", 1, kMaxCertificateNumberChars, Lines::kSingle, errors);
    if (number && CertificateNumberKey(*number).empty()) {
      errors.push_back({"number", "must contain letters or digits"});
    } else if (number) {
      out.number = *number;
    }
    if (!in.granted_on.empty()) {
      const auto day = timefmt::ParseIsoDate(in.granted_on);
      if (!day) {
        errors.push_back({"granted_on", "must be a date written YYYY-MM-DD"});
      } else if (*day > today) {
        errors.push_back({"granted_on", "is in the future"});
      } else if (*day < filed.filing_day) {
        errors.push_back({"granted_on", "is before the filing date " + timefmt::IsoDate(filed.filing_day)});
      } else {
        out.granted_day = *day;
      }
    }
    if (!in.refusal_reason.empty()) {
      errors.push_back({"refusal_reason", "only a refused trademark has a refusal reason"});
    }
  } else if (status == TrademarkStatus::kRefused) {
    auto reason = CleanText(in.refusal_reason, "refusal_reason", kMinReasonChars, kMaxReasonChars,
                            Lines::kMulti, errors);
    if (reason) out.reason = *reason;
    if (!in.number.empty()) errors.push_back({"number", "only a granted trademark has a certificate number"});
    if (!in.granted_on.empty()) errors.push_back({"granted_on", "only a granted trademark has a grant date"});
  }
  TRY(CheckFields(std::move(errors)));
  return out;
}

}  // namespace

Result<Certificate> QualityService::DecideTrademark(const Principal* principal, std::int64_t certificate_id,
                                                    TrademarkDecision decision) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(Certificate cert, Load(certificate_id));
  TRY_ASSIGN(auto shop, shops_.Find(cert.seller_id));
  if (!shop) return Error::NotFound("certificate");
  // An officer of the area, else the shop's manager; anyone else learns nothing.
  const bool officer = IsOfficer(*principal) && CoversCommune(*principal, areas_, shop->commune_code);
  if (!officer) {
    TRY_ASSIGN(bool manages, shops_.CanManage(principal, cert.seller_id));
    if (!manages) return Error::NotFound("certificate");
  }
  if (!cert.trademark) {
    return Error::Conflict("not_a_trademark", "Only a trademark certificate has an IP Office decision.");
  }
  if (cert.trademark->status != TrademarkStatus::kFiled) {
    return Error::Conflict("trademark_decided", "This trademark is already " +
                                                    std::string(TrademarkStatusName(cert.trademark->status)) +
                                                    "; a new application is a new certificate.");
  }
  if (cert.stored_status != CertStatus::kPending && cert.stored_status != CertStatus::kVerified) {
    return Error::Conflict("invalid_transition", "A " + std::string(CertStatusName(cert.stored_status)) +
                                                     " certificate cannot be updated.");
  }
  TRY_ASSIGN(CheckedDecision checked, CheckDecision(decision, *cert.trademark, Today()));

  const bool granted = checked.status == TrademarkStatus::kGranted;
  Certificate after = cert;
  after.trademark->status = checked.status;
  after.trademark->refusal_reason = checked.reason;
  if (granted) {
    after.number = checked.number;
    after.issued_day = checked.granted_day;
  }
  // The shop's own word on a grant is checked by an officer (with the
  // certificate as evidence) before it shows as a registered trademark.
  if (!officer && cert.stored_status == CertStatus::kVerified) after.stored_status = CertStatus::kPending;
  const bool badge = granted && after.stored_status == CertStatus::kVerified;
  const std::string status_name(TrademarkStatusName(checked.status));
  const std::int64_t now = clock_.NowMs();
  Status written = db_.WriteWith([&](db::Connection& c) -> Status {
    const std::string key = CertificateNumberKey(after.number);
    if (granted) {
      TRY_ASSIGN(auto taken, c.QueryOne("SELECT id FROM quality_certificates WHERE kind = 'trademark' AND "
                                        "number_key = ? AND status <> 'rejected' AND id <> ?",
                                        {key, certificate_id}));
      if (taken) {
        return Error::Conflict("certificate_number_in_use",
                               "A trademark numbered " + after.number + " is already registered on nongsan.");
      }
    }
    TRY_ASSIGN(std::int64_t changed,
               c.Exec("UPDATE quality_certificates SET trademark_status = ?, refusal_reason = ?, number = ?, "
                      "number_key = ?, issued_day = ?, status = ?, updated_at = ? "
                      "WHERE id = ? AND trademark_status = 'filed' AND status = ?",
                      {status_name, checked.reason, after.number, key, after.issued_day,
                       std::string(CertStatusName(after.stored_status)), now, certificate_id,
                       std::string(CertStatusName(cert.stored_status))}));
    if (changed == 0) return Error::Conflict("trademark_decided", "This trademark was decided meanwhile.");
    TRY(c.Exec(
        "UPDATE quality_certificate_products SET verified = ?, issued_day = ? WHERE certificate_id = ?",
        {std::int64_t{badge ? 1 : 0}, after.issued_day, certificate_id}));
    if (coverage_observer_ != nullptr) {
      TRY_ASSIGN(auto covered_products, CertificateProductIds(c, certificate_id));
      TRY(coverage_observer_->OnCoverageChanged(c, now, covered_products));
    }
    TRY(AuditCertificate(c, *principal, "certificate.trademark_" + status_name, cert, &after, now));
    std::string message;
    if (!granted) {
      message = "Đơn nhãn hiệu " + cert.trademark->application_number +
                " đã được ghi là bị từ chối. Lý do: " + checked.reason;
    } else if (badge) {
      message = "Nhãn hiệu đã được cấp văn bằng số " + after.number +
                "; nhãn hiệu hiện trên sản phẩm, nhãn in "
                "và trang web của cửa hàng.";
    } else {
      message = "Đã ghi nhận văn bằng nhãn hiệu số " + after.number +
                "; cán bộ sẽ đối chiếu trước khi nhãn hiệu "
                "hiện trên sản phẩm.";
    }
    TRY(QueueShopMessage(c, cert.seller_id, "trademark_" + status_name, certificate_id,
                         "trademark:" + std::to_string(certificate_id) + ":" + status_name, message, now));
    return Ok{};
  });
  if (!written.ok()) {
    if (db::IsUniqueViolation(written.error())) {
      return Error::Conflict("certificate_number_in_use",
                             "A trademark with this number is already registered.");
    }
    return std::move(written).error();
  }
  CertificatesChanged();
  return Load(certificate_id);
}

}  // namespace nongsan::quality
