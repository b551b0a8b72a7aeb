// QualityService::GrantedTrademarks, beside the trademark rules it reads
// (quality/trademark.hpp) rather than in the long quality_service.cpp.
#include "quality/quality_service.hpp"

namespace nongsan::quality {

Result<std::vector<Badge>> QualityService::GrantedTrademarks(std::int64_t seller_id) {
  const std::int64_t today = Today();
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT id, number, issuer, expires_day, code FROM quality_certificates "
        "WHERE seller_id = ? AND kind = 'trademark' AND status = 'verified' AND trademark_status = ? "
        "AND issued_day <= ? AND expires_day >= ? ORDER BY issued_day DESC, id DESC",
        {seller_id, std::string(TrademarkStatusName(TrademarkStatus::kGranted)), today, today});
  }));
  std::vector<Badge> out;
  for (const auto& r : rows) {
    Badge b;
    b.certificate_id = r.Int(0);
    b.kind = CertKind::kTrademark;
    b.number = r.Text(1);
    b.issuer = r.Text(2);
    b.expires_day = r.Int(3);
    b.verify_url = VerifyUrl(r.Text(4));
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace nongsan::quality
