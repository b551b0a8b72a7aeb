// The programme module's ports implemented over the real services (sellers,
// places). Built by ProgrammeModule's production constructor; tests use them
// too, through the running app. Thread-safe.
#pragma once

#include <map>
#include <mutex>

#include "db/database.hpp"
#include "programme/ports.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::places {
class PlaceService;
}
namespace nongsan::accounts {
class AccountService;
}
namespace nongsan::trace {
class TraceService;
}

namespace nongsan::programme {

class SellerShopPort final : public ShopPort {
 public:
  explicit SellerShopPort(sellers::SellerService& sellers) : sellers_(sellers) {}
  Result<std::optional<ShopInfo>> Find(std::int64_t seller_id) override;
  Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) override;
  Result<std::vector<ShopInfo>> ListInCommune(const Principal& officer,
                                              const std::string& commune_code) override;

 private:
  sellers::SellerService& sellers_;
};

class AccountPeoplePort final : public PeoplePort {
 public:
  explicit AccountPeoplePort(accounts::AccountService& accounts) : accounts_(accounts) {}
  Result<std::optional<Person>> Get(std::int64_t user_id) override;
  Result<std::optional<std::int64_t>> UserIdByPhone(const std::string& phone) override;

 private:
  accounts::AccountService& accounts_;
};

// Records the prefix for the shop (the officer acts for it, as trace allows
// an assisting officer to) and verifies it as the officer who saw it issued.
class TraceOutcomePort final : public OutcomePort {
 public:
  explicit TraceOutcomePort(trace::TraceService& trace) : trace_(trace) {}
  Status RecordGs1Prefix(const Principal& officer, std::int64_t shop_id, const std::string& prefix) override;

 private:
  trace::TraceService& trace_;
};

// Over the sellers module's shop counts (sellers/shop_counts.hpp).
class SellerCountsOnboardingPort final : public OnboardingPort {
 public:
  explicit SellerCountsOnboardingPort(db::Database& db) : db_(db) {}
  Result<std::vector<CreatedCount>> HouseholdsCreated(const std::string& province_code, std::int64_t from_day,
                                                      std::int64_t to_day) override;

 private:
  db::Database& db_;
};

// Over the quality module's product coverage (quality/product_coverage.hpp).
class QualityCoveragePort final : public CertificationPort {
 public:
  explicit QualityCoveragePort(db::Database& db) : db_(db) {}
  Result<std::vector<CoveredProduct>> CoveredOn(std::int64_t day) override;
  Result<std::vector<CoveredProduct>> CoveredAmong(db::Connection& c, std::int64_t day,
                                                   const std::vector<std::int64_t>& product_ids) override;

 private:
  db::Database& db_;
};

class PlacesAreaPort final : public AreaPort {
 public:
  explicit PlacesAreaPort(const places::PlaceService& places) : places_(places) {}
  std::optional<std::string> ProvinceOf(const std::string& commune_code) const override;
  std::string UnitName(const std::string& code) const override;
  bool IsProvince(const std::string& code) const override;
  bool IsCommune(const std::string& code) const override;
  std::vector<UnitRef> Communes(const std::string& province_code) const override;
  // Each current commune goes to the old district most of its old communes
  // lay in (the lower code on a tie). Kept per province once read: the
  // mapping changes by law, not at run time.
  Result<std::vector<OldDistrict>> OldDistricts(const std::string& province_code) const override;

 private:
  const places::PlaceService& places_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::vector<OldDistrict>> districts_;  // guarded by mu_
};

}  // namespace nongsan::programme
