// Test fixture for anything that needs people and shops: creates accounts
// with roles, signs them in with fresh tokens, and builds shops,
// cooperatives and memberships straight through the services of a running
// TestApp (fast, no HTTP, no SMS round trips). API tests then speak HTTP with
// the tokens it hands out.
//
// Communes used: kCommuneIn and kCommuneOut are two current communes of
// Thái Nguyên (province kProvince). Thread-safety: one World per test thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "sellers/seller_service.hpp"
#include "support/test_app.hpp"

namespace nongsan::testing {

inline constexpr const char* kProvince = "19";
inline constexpr const char* kCommuneIn = "01840";     // Phường Đức Xuân
inline constexpr const char* kCommuneOut = "01843";    // Phường Bắc Kạn
inline constexpr const char* kCommuneSpare = "01849";  // Xã Phong Quang
// The password of every account World creates.
inline constexpr const char* kTestPassword = "rau-sach-Tan-Cuong-2025";

// A mobile number no other call in this process has returned.
std::string FreshPhone();

struct TestUser {
  std::int64_t id = 0;
  std::string phone;
};

class World {
 public:
  explicit World(TestApp& app);

  accounts::AccountService& accounts();
  sellers::SellerService& sellers();
  db::Database& db() { return app_.app().db(); }

  // An active, phone-verified account (password kTestPassword) with grants.
  TestUser CreateUser(const std::string& full_name, const std::vector<Grant>& grants = {});
  // A new session for the user: its bearer token.
  std::string Token(std::int64_t user_id);
  // The principal as the server would build it (without a session).
  Principal PrincipalOf(std::int64_t user_id);

  // A shop owned by `owner` (created through SellerService::Create).
  std::int64_t CreateShop(std::int64_t owner_id, sellers::SellerType type, const std::string& commune_code,
                          const std::string& name = "");
  void SetOfficerAssist(std::int64_t owner_id, std::int64_t shop_id, bool on);
  void AddStaff(std::int64_t owner_id, std::int64_t shop_id, const std::string& staff_phone);
  // Invites (coop side) and accepts (member side): an active membership.
  void Join(std::int64_t coop_manager_id, std::int64_t coop_id, std::int64_t member_owner_id,
            std::int64_t member_id);
  void Suspend(std::int64_t officer_id, std::int64_t shop_id);
  // Officer-onboarded household shop (unclaimed owner); returns the shop id.
  std::int64_t Onboard(std::int64_t officer_id, const std::string& commune_code,
                       std::string* owner_phone = nullptr);

  // The newest SMS sent to phone through the development gateway, "" if none.
  std::string LastSms(const std::string& phone);
  // The 6-digit code in the newest SMS to phone, "" if none.
  std::string LastCode(const std::string& phone);

 private:
  TestApp& app_;
};

}  // namespace nongsan::testing
