#include "support/authz_table.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "app/services.hpp"
#include "catalog/catalog_module.hpp"

namespace nongsan::testing {

namespace {

struct Registry {
  std::mutex mu;
  std::vector<std::pair<std::string, std::function<AuthzCaseList()>>> modules;
};

Registry& TheRegistry() {
  static Registry registry;
  return registry;
}

}  // namespace

const char* ActorName(Actor actor) {
  switch (actor) {
    case Actor::kAnonymous:
      return "anonymous";
    case Actor::kBuyer:
      return "buyer";
    case Actor::kOwner:
      return "owner";
    case Actor::kStaff:
      return "staff";
    case Actor::kOtherOwner:
      return "other_owner";
    case Actor::kCoopManager:
      return "coop_manager";
    case Actor::kOfficerIn:
      return "officer_in";
    case Actor::kOfficerOut:
      return "officer_out";
    case Actor::kProvinceAdmin:
      return "province_admin";
  }
  return "?";
}

bool RegisterAuthzCases(const std::string& module, std::function<AuthzCaseList()> cases) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mu);
  registry.modules.emplace_back(module, std::move(cases));
  return true;
}

std::vector<std::pair<std::string, AuthzCase>> AllAuthzCases() {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mu);
  std::vector<std::pair<std::string, AuthzCase>> out;
  for (const auto& [module, make] : registry.modules) {
    for (auto& c : make()) out.emplace_back(module, std::move(c));
  }
  return out;
}

std::int64_t MakeAuthzProduct(AuthzWorld& w, std::int64_t shop, catalog::ProductStatus status,
                              std::int64_t by_user) {
  static std::atomic<int> sku{0};
  catalog::ProductInput input;
  input.sku = "AUTHZ-" + std::to_string(sku.fetch_add(1));
  input.name = "Chè búp Tân Cương";
  input.description = "Chè xanh sao tay.";
  input.category = "tea-green";
  input.unit = "kg";
  input.price_vnd = 120'000;
  input.stock = 100;
  input.weight_grams = 500;
  input.status = status;
  if (by_user == 0) by_user = w.UserId(shop == w.shop_b ? Actor::kOtherOwner : Actor::kOwner);
  const Principal owner = w.world.PrincipalOf(by_user);
  auto product = w.app.app().services().catalog->catalog.Create(&owner, shop, input);
  if (!product.ok()) throw std::runtime_error("product: " + product.error().detail);
  return product->id;
}

}  // namespace nongsan::testing
