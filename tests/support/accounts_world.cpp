#include "support/accounts_world.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <stdexcept>

#include "app/services.hpp"

namespace nongsan::testing {

namespace {

// Fails the test loudly: fixtures that cannot build their world make every
// later assertion meaningless.
template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) throw std::runtime_error(std::string(what) + ": " + result.error().detail);
  return std::move(result).value();
}

const accounts::ClientInfo kFixtureClient{"127.0.0.9", "accounts-world"};

}  // namespace

std::string FreshPhone() {
  static std::atomic<int> next{0};
  const int n = next++;
  std::string digits = std::to_string(10'000'000 + n);
  return "098" + digits.substr(digits.size() - 7);
}

World::World(TestApp& app) : app_(app) {}

accounts::AccountService& World::accounts() { return *app_.app().services().accounts; }
sellers::SellerService& World::sellers() { return *app_.app().services().sellers; }

TestUser World::CreateUser(const std::string& full_name, const std::vector<Grant>& grants) {
  const std::string phone = FreshPhone();
  auto user = Must(accounts().CreateOrGrantFromCli(phone, full_name, std::string(kTestPassword), grants),
                   "create user");
  return TestUser{user.id, user.phone};
}

std::string World::Token(std::int64_t user_id) {
  return Must(accounts().StartSession(user_id, kFixtureClient), "start session").token;
}

Principal World::PrincipalOf(std::int64_t user_id) {
  return Must(accounts().PrincipalFor(user_id), "principal");
}

std::int64_t World::CreateShop(std::int64_t owner_id, sellers::SellerType type,
                               const std::string& commune_code, const std::string& name) {
  sellers::SellerInput input;
  input.name = name.empty() ? std::string("Chè Tân Cương ") + sellers::SellerTypeName(type) : name;
  input.type = sellers::SellerTypeName(type);
  input.commune_code = commune_code;
  input.address_line = "Tổ 5";
  return Must(sellers().Create(PrincipalOf(owner_id), input, kFixtureClient), "create shop").id;
}

void World::SetOfficerAssist(std::int64_t owner_id, std::int64_t shop_id, bool on) {
  sellers::SellerPatch patch;
  patch.officer_assist = on;
  Must(sellers().Update(PrincipalOf(owner_id), shop_id, patch, kFixtureClient), "officer assist");
}

void World::AddStaff(std::int64_t owner_id, std::int64_t shop_id, const std::string& staff_phone) {
  Must(sellers().AddStaff(PrincipalOf(owner_id), shop_id, staff_phone, Role::kShopStaff, kFixtureClient),
       "add staff");
}

void World::Join(std::int64_t coop_manager_id, std::int64_t coop_id, std::int64_t member_owner_id,
                 std::int64_t member_id) {
  Must(sellers().AddMember(PrincipalOf(coop_manager_id), coop_id, member_id, kFixtureClient),
       "invite member");
  Must(sellers().AcceptMember(PrincipalOf(member_owner_id), coop_id, member_id, kFixtureClient),
       "accept member");
}

void World::Suspend(std::int64_t officer_id, std::int64_t shop_id) {
  Must(sellers().Suspend(PrincipalOf(officer_id), shop_id, "Bán hàng giả", kFixtureClient), "suspend");
}

std::int64_t World::Onboard(std::int64_t officer_id, const std::string& commune_code,
                            std::string* owner_phone) {
  sellers::HouseholdInput input;
  input.phone = FreshPhone();
  input.full_name = "Hộ Nguyễn Văn Hải";
  input.shop_name = "Mật ong Hải";
  input.commune_code = commune_code;
  input.address_line = "Thôn Đồng";
  auto done = Must(sellers().OnboardHousehold(PrincipalOf(officer_id), input, std::nullopt, kFixtureClient),
                   "onboard");
  if (owner_phone) *owner_phone = done.user.phone;
  return done.seller.id;
}

std::string World::LastSms(const std::string& phone) {
  auto row = db().Read([&](db::Connection& c) {
    return c.QueryOne("SELECT message FROM sms_outbox WHERE to_phone = ? ORDER BY id DESC LIMIT 1", {phone});
  });
  if (!row.ok() || !*row) return "";
  return (*row)->Text(0);
}

std::string World::LastCode(const std::string& phone) {
  static const std::regex kCode("\\b([0-9]{6})\\b");
  std::smatch match;
  const std::string message = LastSms(phone);
  if (!std::regex_search(message, match, kCode)) return "";
  return match[1];
}

}  // namespace nongsan::testing
