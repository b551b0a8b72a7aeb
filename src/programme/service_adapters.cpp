#include "programme/service_adapters.hpp"

#include <cstdio>

#include "accounts/account_service.hpp"
#include "core/clock.hpp"
#include "places/places.hpp"
#include "quality/product_coverage.hpp"
#include "sellers/seller_service.hpp"
#include "sellers/shop_counts.hpp"
#include "trace/trace_service.hpp"

namespace nongsan::programme {

Result<std::optional<ShopInfo>> SellerShopPort::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<ShopInfo>();
    return std::move(seller).error();
  }
  return std::optional<ShopInfo>(ShopInfo{seller->id, seller->name, seller->commune_code,
                                          seller->type == sellers::SellerType::kCooperative});
}

Result<bool> SellerShopPort::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

Result<std::optional<Person>> AccountPeoplePort::Get(std::int64_t user_id) {
  auto user = accounts_.GetUser(user_id);
  if (!user.ok()) {
    if (user.error().code == ErrorCode::kNotFound) return std::optional<Person>();
    return std::move(user).error();
  }
  return std::optional<Person>(Person{user->id, user->full_name, user->grants});
}

Result<std::optional<std::int64_t>> AccountPeoplePort::UserIdByPhone(const std::string& phone) {
  TRY_ASSIGN(auto user, accounts_.FindByPhone(phone));
  if (!user) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(user->id);
}

Status TraceOutcomePort::RecordGs1Prefix(const Principal& officer, std::int64_t shop_id,
                                         const std::string& prefix) {
  TRY(trace_.SetPrefix(&officer, shop_id, prefix));
  TRY(trace_.VerifyPrefix(&officer, shop_id));
  return Ok{};
}

Result<std::vector<ShopInfo>> SellerShopPort::ListInCommune(const Principal& officer,
                                                            const std::string& commune_code) {
  TRY_ASSIGN(auto sellers, sellers_.ListForOfficer(officer, "", commune_code));
  std::vector<ShopInfo> out;
  for (const auto& s : sellers) {
    out.push_back({s.id, s.name, s.commune_code, s.type == sellers::SellerType::kCooperative});
  }
  return out;
}

Result<std::vector<CreatedCount>> SellerCountsOnboardingPort::HouseholdsCreated(
    const std::string& province_code, std::int64_t from_day, std::int64_t to_day) {
  // One period per calendar month, the first and last cut to the range.
  std::vector<std::int64_t> starts_ms;
  std::vector<std::int64_t> months;
  for (std::int64_t day = from_day; day <= to_day;) {
    const std::string iso = timefmt::IsoDate(day);
    starts_ms.push_back(day * kMsPerDay - kVietnamOffsetMs);
    months.push_back(std::stoll(iso.substr(0, 4)) * 100 + std::stoll(iso.substr(5, 2)));
    const int month = std::stoi(iso.substr(5, 2));
    const int year = std::stoi(iso.substr(0, 4));
    char next[32];
    std::snprintf(next, sizeof next, "%04d-%02d-01", month == 12 ? year + 1 : year,
                  month == 12 ? 1 : month + 1);
    day = *timefmt::ParseIsoDate(next);
  }
  TRY_ASSIGN(auto counts, sellers::CountShopsCreated(db_, province_code, "household", starts_ms,
                                                     (to_day + 1) * kMsPerDay - kVietnamOffsetMs));
  std::vector<CreatedCount> out;
  out.reserve(counts.size());
  for (const auto& c : counts) {
    if (c.period < months.size()) out.push_back({c.commune_code, months[c.period], c.shops});
  }
  return out;
}

Result<std::vector<CoveredProduct>> QualityCoveragePort::CoveredOn(std::int64_t day) {
  TRY_ASSIGN(auto covered, quality::CoveredProductsOn(db_, day));
  std::vector<CoveredProduct> out;
  out.reserve(covered.size());
  for (const auto& c : covered) out.push_back({c.product_id, c.ocop});
  return out;
}

Result<std::vector<CoveredProduct>> QualityCoveragePort::CoveredAmong(
    db::Connection& c, std::int64_t day, const std::vector<std::int64_t>& product_ids) {
  TRY_ASSIGN(auto covered, quality::CoverageOfProducts(c, day, product_ids));
  std::vector<CoveredProduct> out;
  out.reserve(covered.size());
  for (const auto& p : covered) out.push_back({p.product_id, p.ocop});
  return out;
}

std::optional<std::string> PlacesAreaPort::ProvinceOf(const std::string& commune_code) const {
  return places_.ProvinceOf(commune_code);
}

std::string PlacesAreaPort::UnitName(const std::string& code) const {
  auto unit = places_.Get(code);
  return unit ? unit->name : "";
}

bool PlacesAreaPort::IsProvince(const std::string& code) const { return places_.IsProvince(code); }
bool PlacesAreaPort::IsCommune(const std::string& code) const { return places_.IsCommune(code); }

std::vector<UnitRef> PlacesAreaPort::Communes(const std::string& province_code) const {
  std::vector<UnitRef> out;
  if (!places_.IsProvince(province_code)) return out;
  for (const places::AdminUnit& u : places_.Children(province_code)) {
    if (u.level == "commune") out.push_back({u.code, u.name});
  }
  return out;
}

Result<std::vector<OldDistrict>> PlacesAreaPort::OldDistricts(const std::string& province_code) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = districts_.find(province_code); it != districts_.end()) return it->second;
  }
  TRY_ASSIGN(auto links, places_.OldDistrictsOfProvince(province_code));
  // Links come ordered by commune then district code, so the first with the
  // most old communes is the lower code on a tie.
  std::map<std::string, const places::OldDistrictLink*> best;  // commune → link
  for (const places::OldDistrictLink& link : links) {
    auto [it, inserted] = best.emplace(link.commune_code, &link);
    if (!inserted && link.old_communes > it->second->old_communes) it->second = &link;
  }
  std::map<std::string, OldDistrict> by_code;
  for (const auto& [commune, link] : best) {
    OldDistrict& d = by_code[link->district.code];
    d.unit = {link->district.code, link->district.name};
    d.communes.push_back(commune);
  }
  std::vector<OldDistrict> out;
  for (auto& [code, d] : by_code) out.push_back(std::move(d));
  std::lock_guard lock(mu_);
  districts_[province_code] = out;
  return out;
}

}  // namespace nongsan::programme
