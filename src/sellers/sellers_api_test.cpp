// The sellers API over real HTTP on each backend: opening a shop, staff,
// assisted onboarding and claim, officer decisions with their audit trail,
// cooperative membership, and bad input.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "app/services.hpp"
#include "sellers/seller_service.hpp"
#include "support/accounts_world.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::testing {
namespace {

using sellers::SellerType;

class SellersApi : public ::testing::TestWithParam<std::string> {
 protected:
  SellersApi() : app_(GetParam()), world_(app_), client_(app_.Client()) {}

  static ClientHeaders Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  ClientHeaders As(const TestUser& user) { return Bearer(world_.Token(user.id)); }
  std::int64_t Count(const std::string& table) {
    auto n = world_.db().Read([&](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM " + table); });
    return n.ok() ? *n : -1;
  }
  // The newest audit entry for an action, as the province admin reads it.
  nlohmann::json LastAudit(const TestUser& admin, const std::string& action) {
    ClientResponse r = client_.Get("/api/v1/admin/audit?limit=100", As(admin));
    EXPECT_EQ(r.status, 200);
    const nlohmann::json page = r.Json();
    for (const auto& e : page["items"]) {
      if (e["action"] == action) return e;
    }
    return nullptr;
  }

  TestApp app_;
  World world_;
  HttpClient client_;
};

TEST_P(SellersApi, OpeningAShopNeedsAVerifiedPhone) {
  const std::string phone = FreshPhone();
  ClientResponse registered = client_.Post(
      "/api/v1/auth/register",
      nlohmann::json{{"phone", phone}, {"password", "Ca-phe-sua-da-99"}, {"full_name", "Hà Văn Sơn"}});
  ASSERT_EQ(registered.status, 201);
  const ClientHeaders auth = Bearer(registered.Json()["token"]);
  const nlohmann::json shop = {{"name", "Chè Tân Cương Sơn"},
                               {"type", "household"},
                               {"commune_code", kCommuneIn},
                               {"address_line", "Xóm Soi"},
                               {"phone", "+84" + phone.substr(1)}};
  ClientResponse unverified = client_.Post("/api/v1/sellers", shop, auth);
  EXPECT_EQ(unverified.status, 403);
  EXPECT_EQ(unverified.Json()["code"], "phone_unverified");

  ASSERT_EQ(
      client_
          .Post("/api/v1/auth/otp/verify", nlohmann::json{{"phone", phone}, {"code", world_.LastCode(phone)}})
          .status,
      200);
  ClientResponse created = client_.Post("/api/v1/sellers", shop, auth);
  ASSERT_EQ(created.status, 201) << created.body;
  auto body = created.Json();
  EXPECT_EQ(body["slug"], "che-tan-cuong-son");
  EXPECT_EQ(body["status"], "pending");
  EXPECT_EQ(body["phone"], phone);
  EXPECT_EQ(body["province_code"], kProvince);
  EXPECT_NE(body["commune_name"].get<std::string>().find("Đức Xuân"), std::string::npos);

  // The creator is now its owner.
  ClientResponse mine = client_.Get("/api/v1/me/sellers", auth);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.Json()["items"].size(), 1u);
  ClientResponse viewed =
      client_.Get("/api/v1/sellers/" + std::to_string(body["id"].get<std::int64_t>()), auth);
  EXPECT_EQ(viewed.Json()["your_role"], "owner");

  ClientResponse same_name = client_.Post("/api/v1/sellers", shop, auth);
  ASSERT_EQ(same_name.status, 201);
  EXPECT_EQ(same_name.Json()["slug"], "che-tan-cuong-son-2");
}

// A name many shops share (a province has hundreds of "Hộ kinh doanh …"):
// each still gets a web address of its own, numbered up to 20, then with a
// random suffix checked against the addresses taken.
TEST_P(SellersApi, ShopsOfOneNameEachGetTheirOwnAddress) {
  const TestUser owner = world_.CreateUser("Chủ nhiều hộ");
  constexpr int kShops = 30;
  std::set<std::string> slugs;
  for (int i = 0; i < kShops; ++i) {
    const std::int64_t id =
        world_.CreateShop(owner.id, SellerType::kHousehold, kCommuneIn, "Hộ kinh doanh Hoa");
    auto shop = world_.sellers().Get(id);
    ASSERT_TRUE(shop.ok());
    slugs.insert(shop->slug);
    if (i == 0) {
      EXPECT_EQ(shop->slug, "ho-kinh-doanh-hoa");
    } else if (i < 20) {
      EXPECT_EQ(shop->slug, "ho-kinh-doanh-hoa-" + std::to_string(i + 1));
    }
    if (i >= 20) {
      EXPECT_EQ(shop->slug.rfind("ho-kinh-doanh-hoa-", 0), 0u) << shop->slug;
      EXPECT_EQ(shop->slug.size(), std::string("ho-kinh-doanh-hoa-").size() + 6) << shop->slug;
    }
  }
  EXPECT_EQ(slugs.size(), static_cast<std::size_t>(kShops));
}

TEST_P(SellersApi, BadShopInputIsRefusedAndNothingStored) {
  const TestUser owner = world_.CreateUser("Chủ");
  const ClientHeaders auth = As(owner);
  const nlohmann::json good = {
      {"name", "Miến dong"}, {"type", "household"}, {"commune_code", kCommuneIn}, {"address_line", "Bản Nà"}};
  auto with = [&](const std::string& key, nlohmann::json value) {
    nlohmann::json body = good;
    body[key] = std::move(value);
    return body;
  };
  const std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {with("type", "farm"), "type"},
      {with("type", 1), "type"},
      {with("commune_code", "99999"), "commune_code"},
      {with("commune_code", "19"), "commune_code"},  // a province, not a commune
      {with("name", std::string(500, 'x')), "name"},
      {with("name", nlohmann::json::array({"a"})), "name"},
      {with("phone", "+44 20 7946 0958"), "phone"},
  };
  for (const auto& [body, field] : cases) {
    ClientResponse r = client_.Post("/api/v1/sellers", body, auth);
    EXPECT_EQ(r.status, 400) << body.dump() << "\n" << r.body;
    bool named = false;
    const nlohmann::json problem = r.Json();
    for (const auto& e : problem["errors"]) named = named || e["field"] == field;
    EXPECT_TRUE(named) << field << " in " << r.body;
  }
  EXPECT_EQ(Count("sellers"), 0);
  EXPECT_EQ(client_.Post("/api/v1/sellers", good, auth).status, 201);
}

TEST_P(SellersApi, OwnerManagesStaff) {
  const TestUser owner = world_.CreateUser("Chủ");
  const TestUser helper = world_.CreateUser("Người Giúp");
  const TestUser stranger = world_.CreateUser("Người Lạ");
  const std::int64_t shop = world_.CreateShop(owner.id, SellerType::kHousehold, kCommuneIn);
  const std::string base = "/api/v1/sellers/" + std::to_string(shop) + "/staff";

  ClientResponse added = client_.Post(base, nlohmann::json{{"phone", helper.phone}}, As(owner));
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.Json()["role"], "shop_staff");
  EXPECT_EQ(client_.Post(base, nlohmann::json{{"phone", FreshPhone()}}, As(owner)).status,
            422);  // no account
  EXPECT_EQ(
      client_.Post(base, nlohmann::json{{"phone", helper.phone}, {"role", "coop_manager"}}, As(owner)).status,
      400);  // a household has no managers

  ClientResponse listed = client_.Get(base, As(helper));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.Json()["items"].size(), 2u);  // owner and helper
  EXPECT_EQ(client_.Post(base, nlohmann::json{{"phone", stranger.phone}}, As(helper)).status, 403);
  EXPECT_EQ(client_.Get(base, As(stranger)).status, 404);

  EXPECT_EQ(client_.Delete(base + "/" + std::to_string(helper.id), As(owner)).status, 204);
  EXPECT_EQ(client_.Get(base, As(helper)).status, 404);
  EXPECT_EQ(client_.Delete(base + "/" + std::to_string(helper.id), As(owner)).status, 404);
  EXPECT_EQ(client_.Delete(base + "/" + std::to_string(owner.id), As(owner)).status, 404);  // owner stays
}

TEST_P(SellersApi, AssistedOnboardingAndClaim) {
  const TestUser officer = world_.CreateUser("Cán Bộ", {{Role::kCommuneOfficer, kCommuneIn}});
  const TestUser admin = world_.CreateUser("Quản Trị", {{Role::kProvinceAdmin, kProvince}});
  const std::string phone = FreshPhone();
  ClientResponse onboarded = client_.Post("/api/v1/officer/households",
                                          nlohmann::json{{"phone", phone},
                                                         {"full_name", "Hoàng Thị Mơ"},
                                                         {"shop_name", "Mơ Sơn Phú"},
                                                         {"commune_code", kCommuneIn},
                                                         {"address_line", "Thôn Nà Bản"}},
                                          As(officer));
  ASSERT_EQ(onboarded.status, 201) << onboarded.body;
  auto body = onboarded.Json();
  EXPECT_EQ(body["claim_code_sent"], true);
  EXPECT_EQ(body["user"]["status"], "unclaimed");
  EXPECT_EQ(body["seller"]["officer_assist"], true);
  const std::int64_t shop = body["seller"]["id"];
  const std::int64_t household = body["user"]["id"];

  // Both people are named in the audit log.
  nlohmann::json entry = LastAudit(admin, "seller.onboard");
  ASSERT_FALSE(entry.is_null());
  EXPECT_EQ(entry["actor_user_id"], officer.id);
  EXPECT_EQ(entry["on_behalf_of_user_id"], household);

  // The officer may run the shop for the household.
  EXPECT_EQ(client_
                .Patch("/api/v1/sellers/" + std::to_string(shop), nlohmann::json{{"description", "Mơ muối"}},
                       As(officer))
                .status,
            200);
  entry = LastAudit(admin, "seller.update");
  EXPECT_EQ(entry["on_behalf_of_user_id"], household);

  ClientResponse unclaimed =
      client_.Post("/api/v1/auth/login", nlohmann::json{{"phone", phone}, {"password", "Bat-ky-123"}});
  EXPECT_EQ(unclaimed.status, 401);
  EXPECT_EQ(unclaimed.Json()["code"], "account_unclaimed");
  EXPECT_EQ(client_
                .Post("/api/v1/auth/register",
                      nlohmann::json{{"phone", phone}, {"password", "Ca-phe-sua-da-99"}, {"full_name", "Mơ"}})
                .Json()["code"],
            "account_unclaimed");

  const std::string code = world_.LastCode(phone);
  ASSERT_EQ(code.size(), 6u) << world_.LastSms(phone);
  // The household never opened the site: the SMS says where to claim it.
  EXPECT_NE(world_.LastSms(phone).find("/nhan-tai-khoan"), std::string::npos) << world_.LastSms(phone);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto claim = [&](const std::string& c, const std::string& password) {
    return client_.Post("/api/v1/auth/claim",
                        nlohmann::json{{"phone", phone}, {"code", c}, {"password", password}});
  };
  EXPECT_EQ(claim(wrong, "Mo-Son-Phu-2025").status, 422);
  EXPECT_EQ(claim(code, "1234567").status, 400);
  ClientResponse claimed = claim(code, "Mo-Son-Phu-2025");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_EQ(claimed.Json()["user"]["status"], "active");
  EXPECT_EQ(claimed.Json()["user"]["phone_verified"], true);
  EXPECT_EQ(claimed.set_cookies.size(), 1u);
  const ClientHeaders household_auth = Bearer(claimed.Json()["token"]);
  ClientResponse mine = client_.Get("/api/v1/me/sellers", household_auth);
  ASSERT_EQ(mine.Json()["items"].size(), 1u);
  EXPECT_EQ(mine.Json()["items"][0]["id"], shop);
  EXPECT_EQ(claim(code, "Mo-Son-Phu-2026").status, 422);  // replayed

  // The household can turn officer help off; then the officer cannot edit.
  EXPECT_EQ(client_
                .Patch("/api/v1/sellers/" + std::to_string(shop), nlohmann::json{{"officer_assist", false}},
                       household_auth)
                .status,
            200);
  EXPECT_EQ(
      client_
          .Patch("/api/v1/sellers/" + std::to_string(shop), nlohmann::json{{"description", "x"}}, As(officer))
          .status,
      403);
  // An officer elsewhere may not onboard into this commune.
  const TestUser elsewhere = world_.CreateUser("Cán Bộ Khác", {{Role::kCommuneOfficer, kCommuneOut}});
  EXPECT_EQ(client_
                .Post("/api/v1/officer/households",
                      nlohmann::json{{"phone", FreshPhone()},
                                     {"full_name", "A"},
                                     {"shop_name", "B"},
                                     {"commune_code", kCommuneIn},
                                     {"address_line", "C"}},
                      As(elsewhere))
                .status,
            403);
}

TEST_P(SellersApi, SuspensionHidesTheShopAndIsAudited) {
  const TestUser owner = world_.CreateUser("Chủ");
  const TestUser officer = world_.CreateUser("Cán Bộ", {{Role::kCommuneOfficer, kCommuneIn}});
  const TestUser admin = world_.CreateUser("Quản Trị", {{Role::kProvinceAdmin, kProvince}});
  const std::int64_t shop = world_.CreateShop(owner.id, SellerType::kHousehold, kCommuneIn);
  const std::string url = "/api/v1/sellers/" + std::to_string(shop);

  ASSERT_EQ(client_.Post(url + "/verify", "", As(officer)).status, 200);
  EXPECT_EQ(client_.Post(url + "/verify", "", As(officer)).status, 409);
  EXPECT_EQ(client_.Post(url + "/suspend", nlohmann::json{{"reason", ""}}, As(officer)).status, 400);
  ClientResponse suspended =
      client_.Post(url + "/suspend", nlohmann::json{{"reason", "Nhãn sai nguồn gốc"}}, As(officer));
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(suspended.Json()["status"], "suspended");

  EXPECT_EQ(client_.Get(url).status, 404);
  ClientResponse own_view = client_.Get(url, As(owner));
  ASSERT_EQ(own_view.status, 200);
  EXPECT_EQ(own_view.Json()["status_reason"], "Nhãn sai nguồn gốc");
  EXPECT_FALSE(*app_.app().services().sellers->IsPublic(shop));

  nlohmann::json entry = LastAudit(admin, "seller.suspend");
  ASSERT_FALSE(entry.is_null());
  EXPECT_EQ(entry["actor_user_id"], officer.id);
  EXPECT_EQ(entry["on_behalf_of_user_id"], owner.id);
  EXPECT_EQ(entry["before"]["status"], "verified");
  EXPECT_EQ(entry["after"]["status"], "suspended");

  ClientResponse back = client_.Post(url + "/reinstate", "", As(admin));
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.Json()["status"], "verified");  // it was verified before
  EXPECT_EQ(client_.Get(url).status, 200);
  EXPECT_TRUE(*app_.app().services().sellers->IsPublic(shop));
}

TEST_P(SellersApi, AnOfficerSendsAShopBackAndItsOwnerResubmits) {
  const TestUser owner = world_.CreateUser("Chủ");
  const TestUser officer = world_.CreateUser("Cán Bộ", {{Role::kCommuneOfficer, kCommuneIn}});
  const TestUser elsewhere = world_.CreateUser("Cán Bộ Khác", {{Role::kCommuneOfficer, kCommuneOut}});
  const TestUser admin = world_.CreateUser("Quản Trị", {{Role::kProvinceAdmin, kProvince}});
  const std::int64_t shop = world_.CreateShop(owner.id, SellerType::kHousehold, kCommuneIn);
  auto& sellers = *app_.app().services().sellers;
  const accounts::ClientInfo client{"127.0.0.1", "test"};
  const Principal as_officer = world_.PrincipalOf(officer.id);
  const Principal as_owner = world_.PrincipalOf(owner.id);

  // A reason is required; an officer of another commune does not see the shop;
  // the owner cannot send their own shop back.
  auto no_reason = sellers.Reject(as_officer, shop, "  ", client);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  EXPECT_EQ(sellers.Reject(world_.PrincipalOf(elsewhere.id), shop, "Ảnh giấy phép mờ", client).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(sellers.Reject(as_owner, shop, "Ảnh giấy phép mờ", client).error().code, ErrorCode::kForbidden);
  EXPECT_FALSE(sellers.Get(shop)->AwaitingCorrection());
  EXPECT_EQ(sellers.Resubmit(as_owner, shop, client).error().type, "not_rejected");

  auto rejected = sellers.Reject(as_officer, shop, "Địa chỉ không khớp giấy đăng ký hộ kinh doanh", client);
  ASSERT_TRUE(rejected.ok()) << rejected.error().detail;
  EXPECT_EQ(rejected->status, sellers::SellerStatus::kPending);
  EXPECT_TRUE(rejected->AwaitingCorrection());
  EXPECT_EQ(sellers.Reject(as_officer, shop, "Lần nữa", client).error().type, "already_rejected");
  // The owner reads the reason on their own shop.
  ClientResponse own_view = client_.Get("/api/v1/sellers/" + std::to_string(shop), As(owner));
  EXPECT_EQ(own_view.Json()["status_reason"], "Địa chỉ không khớp giấy đăng ký hộ kinh doanh");
  nlohmann::json entry = LastAudit(admin, "seller.reject");
  ASSERT_FALSE(entry.is_null());
  EXPECT_EQ(entry["actor_user_id"], officer.id);
  EXPECT_EQ(entry["after"]["status_reason"], "Địa chỉ không khớp giấy đăng ký hộ kinh doanh");

  // Corrected and resubmitted: back in the queue, and it can be verified.
  auto resubmitted = sellers.Resubmit(as_owner, shop, client);
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.error().detail;
  EXPECT_FALSE(resubmitted->AwaitingCorrection());
  EXPECT_FALSE(LastAudit(admin, "seller.resubmit").is_null());
  EXPECT_TRUE(sellers.Verify(as_officer, shop, client).ok());
  EXPECT_EQ(sellers.Reject(as_officer, shop, "Quá muộn", client).error().type, "not_pending");
}

TEST_P(SellersApi, CooperativeActsForMembersOnlyAfterBothAgree) {
  const TestUser manager = world_.CreateUser("Quản Lý HTX");
  const TestUser household = world_.CreateUser("Hộ");
  const TestUser admin = world_.CreateUser("Quản Trị", {{Role::kProvinceAdmin, kProvince}});
  const std::int64_t coop =
      world_.CreateShop(manager.id, SellerType::kCooperative, kCommuneIn, "HTX Chè La Bằng");
  const std::int64_t farm = world_.CreateShop(household.id, SellerType::kHousehold, kCommuneIn);
  const std::string members = "/api/v1/sellers/" + std::to_string(coop) + "/members";
  const std::string farm_url = "/api/v1/sellers/" + std::to_string(farm);

  ClientResponse invited = client_.Post(members, nlohmann::json{{"seller_id", farm}}, As(manager));
  ASSERT_EQ(invited.status, 201) << invited.body;
  EXPECT_EQ(invited.Json()["status"], "invited");
  // Not yet: an invitation gives the cooperative no power over the farm.
  EXPECT_EQ(client_.Patch(farm_url, nlohmann::json{{"description", "x"}}, As(manager)).status, 404);
  EXPECT_EQ(client_.Get(members).Json()["items"].size(), 0u);

  const std::string accept = members + "/" + std::to_string(farm) + "/accept";
  EXPECT_EQ(client_.Post(accept, "", As(manager)).status, 403);
  ASSERT_EQ(client_.Post(accept, "", As(household)).status, 200);
  EXPECT_EQ(client_.Get(members).Json()["items"].size(), 1u);

  ClientResponse managed = client_.Patch(farm_url, nlohmann::json{{"description", "Chè búp"}}, As(manager));
  ASSERT_EQ(managed.status, 200) << managed.body;
  nlohmann::json entry = LastAudit(admin, "seller.update");
  EXPECT_EQ(entry["actor_user_id"], manager.id);
  EXPECT_EQ(entry["on_behalf_of_user_id"], household.id);
  const Principal manager_p = world_.PrincipalOf(manager.id);
  EXPECT_TRUE(app_.app().services().sellers->CanManage(&manager_p, farm));

  // The cooperative onboards a new member household directly.
  ClientResponse onboarded = client_.Post("/api/v1/sellers/" + std::to_string(coop) + "/households",
                                          nlohmann::json{{"phone", FreshPhone()},
                                                         {"full_name", "Lý Văn Tài"},
                                                         {"shop_name", "Chè Tài"},
                                                         {"commune_code", kCommuneOut},
                                                         {"address_line", "Xóm Gốc"}},
                                          As(manager));
  ASSERT_EQ(onboarded.status, 201) << onboarded.body;
  EXPECT_EQ(client_.Get(members).Json()["items"].size(), 2u);

  ASSERT_EQ(client_.Delete(members + "/" + std::to_string(farm), As(household)).status, 204);
  EXPECT_EQ(client_.Patch(farm_url, nlohmann::json{{"description", "y"}}, As(manager)).status, 404);
}

TEST_P(SellersApi, ServiceAnswersForOtherModules) {
  const TestUser owner = world_.CreateUser("Chủ");
  const TestUser officer = world_.CreateUser("Cán Bộ", {{Role::kCommuneOfficer, kCommuneIn}});
  sellers::SellerService& svc = *app_.app().services().sellers;
  const std::int64_t shop = world_.CreateShop(owner.id, SellerType::kEnterprise, kCommuneIn);
  const Principal owner_p = world_.PrincipalOf(owner.id);
  const Principal officer_p = world_.PrincipalOf(officer.id);
  EXPECT_TRUE(svc.CanManage(&owner_p, shop));
  EXPECT_FALSE(svc.CanManage(nullptr, shop));
  EXPECT_FALSE(svc.CanManage(&officer_p, shop));  // officer help is off
  EXPECT_TRUE(svc.OfficerCovers(officer_p, kCommuneIn));
  EXPECT_FALSE(svc.OfficerCovers(officer_p, kCommuneOut));
  EXPECT_FALSE(*svc.IsPublic(987654));

  sellers::ImportInput imported{FreshPhone(), "HTX Miến Dong", "cooperative", kCommuneIn, std::nullopt};
  auto created = svc.CreateForImport(&officer_p, imported, {"127.0.0.1", "import"});
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_EQ(created->type, SellerType::kCooperative);
  EXPECT_TRUE(created->officer_assist);
  EXPECT_TRUE(svc.CanManage(&officer_p, created->id));
  auto found = svc.FindByPhone(imported.phone);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, created->id);
  const Principal elsewhere =
      world_.PrincipalOf(world_.CreateUser("B", {{Role::kCommuneOfficer, kCommuneOut}}).id);
  imported.phone = FreshPhone();
  EXPECT_EQ(svc.CreateForImport(&elsewhere, imported, {}).error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(svc.CreateForImport(nullptr, imported, {}).ok());  // operator import
}

INSTANTIATE_TEST_SUITE_P(Sellers, SellersApi, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
