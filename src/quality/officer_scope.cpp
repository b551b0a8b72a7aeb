#include "quality/officer_scope.hpp"

namespace nongsan::quality {

bool IsOfficer(const Principal& principal) {
  return principal.Has(Role::kCommuneOfficer) || principal.Has(Role::kProvinceAdmin);
}

bool CoversCommune(const Principal& principal, const AreaPort& areas, const std::string& commune_code) {
  if (commune_code.empty()) return false;
  if (principal.Has(Role::kCommuneOfficer, commune_code)) return true;
  const auto province = areas.ProvinceOf(commune_code);
  return province && principal.Has(Role::kProvinceAdmin, *province);
}

Status RequireSignedIn(const Principal* principal) {
  if (principal == nullptr) return Error::Unauthorized();
  return Ok{};
}

Result<ShopRef> RequireOfficerOf(const Principal* principal, ShopPort& shops, const AreaPort& areas,
                                 std::int64_t seller_id) {
  TRY(RequireSignedIn(principal));
  if (!IsOfficer(*principal)) {
    return Error::Forbidden("Only a commune officer or the province administration may do this.");
  }
  TRY_ASSIGN(auto shop, shops.Find(seller_id));
  if (!shop) return Error::NotFound("shop");
  if (!CoversCommune(*principal, areas, shop->commune_code)) {
    Error e = Error::Forbidden("This shop is outside your area: only an officer of its commune or the "
                               "administration of its province may do this.");
    e.type = "outside_area";
    return e;
  }
  return *shop;
}

}  // namespace nongsan::quality
