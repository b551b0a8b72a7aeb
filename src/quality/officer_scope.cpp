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
                                 std::int64_t seller_id, const std::string& object, bool party) {
  TRY(RequireSignedIn(principal));
  TRY_ASSIGN(auto shop, shops.Find(seller_id));
  if (!shop) return Error::NotFound(object);
  const bool officer = IsOfficer(*principal);
  if (officer && CoversCommune(*principal, areas, shop->commune_code)) return *shop;
  TRY_ASSIGN(bool manages, shops.CanManage(principal, seller_id));
  // Those with no part in the object must not learn that it exists.
  if (!manages && !party) return Error::NotFound(object);
  if (!officer) return Error::Forbidden("Only a commune officer or the province administration may do this.");
  Error e = Error::Forbidden(
      "This shop is outside your area: only an officer of its commune or the "
      "administration of its province may do this.");
  e.type = "outside_area";
  return e;
}

}  // namespace nongsan::quality
