#include "support/authz_table.hpp"

#include <mutex>

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
    case Actor::kAnonymous: return "anonymous";
    case Actor::kBuyer: return "buyer";
    case Actor::kOwner: return "owner";
    case Actor::kStaff: return "staff";
    case Actor::kOtherOwner: return "other_owner";
    case Actor::kCoopManager: return "coop_manager";
    case Actor::kOfficerIn: return "officer_in";
    case Actor::kOfficerOut: return "officer_out";
    case Actor::kProvinceAdmin: return "province_admin";
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

}  // namespace nongsan::testing
