// Runs the authorization table (support/authz_table.hpp) on every backend,
// and checks that every route the server registers has rows. This file holds
// the rows of the platform, accounts and sellers routes; other modules add
// theirs with NONGSAN_AUTHZ_CASES in their own test files.
#include "support/authz_table.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>

#include "accounts/account_service.hpp"
#include "accounts/auth.hpp"
#include "app/services.hpp"
#include "support/fake_gateways.hpp"
#include "support/test_db.hpp"

namespace nongsan::testing {
namespace {

using sellers::SellerType;

const accounts::ClientInfo kSetupClient{"127.0.0.8", "authz-setup"};

std::string Id(std::int64_t id) { return std::to_string(id); }

AuthzRequest OnShop(std::int64_t id, nlohmann::json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = Id(id);
  r.body = std::move(body);
  return r;
}

nlohmann::json HouseholdBody(const std::string& commune) {
  return {{"phone", FreshPhone()},
          {"full_name", "Hộ Lò Thị Mai"},
          {"shop_name", "Miến dong Mai"},
          {"commune_code", commune},
          {"address_line", "Bản Nà"}};
}

}  // namespace

// ---------------------------------------------------------------- platform
NONGSAN_AUTHZ_CASES(platform) {
  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"GET", "/healthz", "", Expect{200, 200, 200, 200, 200, 200, 200, 200, 200}, {}},
      // The runner's clients come from 10.x addresses (X-Forwarded-For); only
      // the addresses of metrics_allow (loopback by default) read the metrics.
      {"GET",
       "/metrics",
       "from outside metrics_allow",
       Expect{403, 403, 403, 403, 403, 403, 403, 403, 403},
       {}},
      {"GET", "/metrics", "from loopback", Expect{200, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld&) {
         AuthzRequest r;
         r.headers["X-Forwarded-For"] = "127.0.0.1";
         return r;
       }},
  };
}

// ---------------------------------------------------------------- accounts
NONGSAN_AUTHZ_CASES(accounts) {
  auto fresh_phone_body = [](nlohmann::json extra) {
    return [extra](AuthzWorld&) {
      AuthzRequest r;
      r.body = extra;
      r.body["phone"] = FreshPhone();
      return r;
    };
  };
  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"POST", "/api/v1/auth/register", "", Expect{201, 201, 201, 201, 201, 201, 201, 201, 201},
       fresh_phone_body({{"password", "Ca-phe-sua-da-99"}, {"full_name", "Trần Thị Lan"}})},
      {"POST", "/api/v1/auth/login", "", Expect{200, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.body = {{"phone", w.cast.spare.phone}, {"password", kTestPassword}};
         return r;
       }},
      {"POST", "/api/v1/auth/logout", "", Expect{401, 204, 204, 204, 204, 204, 204, 204, 204},
       [](AuthzWorld&) { return AuthzRequest{}; }},
      {"POST", "/api/v1/auth/otp/request", "", Expect{202, 202, 202, 202, 202, 202, 202, 202, 202},
       fresh_phone_body({{"purpose", "verify_phone"}})},
      {"POST", "/api/v1/auth/otp/verify", "no code sent", Expect{422, 422, 422, 422, 422, 422, 422, 422, 422},
       fresh_phone_body({{"code", "123456"}})},
      {"POST", "/api/v1/auth/password/reset", "no code sent",
       Expect{422, 422, 422, 422, 422, 422, 422, 422, 422},
       fresh_phone_body({{"code", "123456"}, {"password", "Mat-khau-moi-2025"}})},
      {"POST", "/api/v1/auth/claim", "no code sent", Expect{422, 422, 422, 422, 422, 422, 422, 422, 422},
       fresh_phone_body({{"code", "123456"}, {"password", "Mat-khau-moi-2025"}})},
      {"GET", "/api/v1/me", "", Expect{401, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld&) { return AuthzRequest{}; }},
      {"PATCH", "/api/v1/me", "", Expect{401, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld&) {
         return AuthzRequest{{}, {{"full_name", "Tên mới"}}};
       }},
      {"POST", "/api/v1/me/password", "", Expect{401, 204, 204, 204, 204, 204, 204, 204, 204},
       [](AuthzWorld&) {
         return AuthzRequest{{},
                             {{"current_password", kTestPassword}, {"new_password", "Mat-khau-moi-2025"}}};
       }},
      {"GET", "/api/v1/me/sessions", "", Expect{401, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld&) { return AuthzRequest{}; }},
      {"DELETE", "/api/v1/me/sessions/{id}", "the owner's session",
       Expect{401, 404, 204, 404, 404, 404, 404, 404, 404},
       [](AuthzWorld& w) {
         auto session = w.world.accounts().StartSession(w.UserId(Actor::kOwner), kSetupClient);
         return AuthzRequest{{{"id", Id(session->session_id)}}};
       }},
      {"POST", "/api/v1/admin/grants", "officer for a commune of the province",
       Expect{401, 403, 403, 403, 403, 403, 403, 403, 201},
       [](AuthzWorld& w) {
         return AuthzRequest{
             {}, {{"phone", w.cast.spare.phone}, {"role", "commune_officer"}, {"scope", kCommuneSpare}}};
       }},
      {"DELETE", "/api/v1/admin/grants/{id}", "", Expect{401, 403, 403, 403, 403, 403, 403, 403, 204},
       [](AuthzWorld& w) {
         auto grant = w.world.accounts().AdminGrant(w.world.PrincipalOf(w.UserId(Actor::kProvinceAdmin)),
                                                    w.cast.spare.phone, Role::kCommuneOfficer, kCommuneSpare,
                                                    kSetupClient);
         return AuthzRequest{{{"id", Id(grant->id)}}};
       }},
      {"GET", "/api/v1/admin/audit", "", Expect{401, 403, 403, 403, 403, 403, 403, 403, 200},
       [](AuthzWorld&) { return AuthzRequest{}; }},
  };
}

// ---------------------------------------------------------------- sellers
NONGSAN_AUTHZ_CASES(sellers) {
  auto shop_a = [](AuthzWorld& w) { return OnShop(w.shop_a); };
  auto suspended_a = [](AuthzWorld& w) {
    w.world.Suspend(w.UserId(Actor::kOfficerIn), w.shop_a);
    return OnShop(w.shop_a);
  };
  // A second household of the owner, officer help off, not yet a member.
  auto new_household = [](AuthzWorld& w) {
    return w.world.CreateShop(w.UserId(Actor::kOwner), SellerType::kHousehold, kCommuneIn, "Hộ thứ hai");
  };
  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"POST", "/api/v1/sellers", "", Expect{401, 201, 201, 201, 201, 201, 201, 201, 201},
       [](AuthzWorld&) {
         return AuthzRequest{{},
                             {{"name", "Chè Hảo Đạt"},
                              {"type", "household"},
                              {"commune_code", kCommuneIn},
                              {"address_line", "Xóm Nam Đồng"}}};
       }},
      {"GET", "/api/v1/sellers/{id}", "public shop", Expect{200, 200, 200, 200, 200, 200, 200, 200, 200},
       shop_a},
      {"GET", "/api/v1/sellers/{id}", "suspended shop", Expect{404, 404, 200, 200, 404, 200, 200, 404, 200},
       suspended_a},
      {"PATCH", "/api/v1/sellers/{id}", "", Expect{401, 404, 200, 403, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         return OnShop(w.shop_a, {{"description", "Chè búp khô loại 1"}});
       }},
      {"GET", "/api/v1/me/sellers", "", Expect{401, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld&) { return AuthzRequest{}; }},
      {"POST", "/api/v1/sellers/{id}/verify", "", Expect{401, 404, 403, 403, 404, 403, 200, 404, 200},
       shop_a},
      {"POST", "/api/v1/sellers/{id}/suspend", "", Expect{401, 404, 403, 403, 404, 403, 200, 404, 200},
       [](AuthzWorld& w) {
         return OnShop(w.shop_a, {{"reason", "Nhãn sai nguồn gốc"}});
       }},
      {"POST", "/api/v1/sellers/{id}/reinstate", "suspended shop",
       Expect{401, 404, 403, 403, 404, 403, 200, 404, 200}, suspended_a},
      {"GET", "/api/v1/sellers/{id}/staff", "", Expect{401, 404, 200, 200, 404, 200, 200, 404, 200}, shop_a},
      {"POST", "/api/v1/sellers/{id}/staff", "", Expect{401, 404, 201, 403, 404, 403, 403, 404, 403},
       [](AuthzWorld& w) {
         return OnShop(w.shop_a, {{"phone", w.cast.spare.phone}});
       }},
      {"DELETE", "/api/v1/sellers/{id}/staff/{user_id}", "the shop's staff member",
       Expect{401, 404, 204, 204, 404, 403, 403, 404, 403},
       [](AuthzWorld& w) {
         AuthzRequest r = OnShop(w.shop_a);
         r.params["user_id"] = Id(w.UserId(Actor::kStaff));
         return r;
       }},
      {"GET", "/api/v1/sellers/{id}/members", "", Expect{200, 200, 200, 200, 200, 200, 200, 200, 200},
       [](AuthzWorld& w) { return OnShop(w.coop_c); }},
      {"POST", "/api/v1/sellers/{id}/members", "owner's second household",
       Expect{401, 404, 201, 404, 404, 201, 404, 404, 404},
       [new_household](AuthzWorld& w) {
         return OnShop(w.coop_c, {{"seller_id", new_household(w)}});
       }},
      {"POST", "/api/v1/sellers/{id}/members/{member_id}/accept", "invited by the cooperative",
       Expect{401, 404, 200, 404, 404, 403, 404, 404, 404},
       [new_household](AuthzWorld& w) {
         const std::int64_t member = new_household(w);
         auto invited = w.world.sellers().AddMember(w.world.PrincipalOf(w.UserId(Actor::kCoopManager)),
                                                    w.coop_c, member, kSetupClient);
         EXPECT_TRUE(invited.ok());
         AuthzRequest r = OnShop(w.coop_c);
         r.params["member_id"] = Id(member);
         return r;
       }},
      {"DELETE", "/api/v1/sellers/{id}/members/{member_id}", "shop_a",
       Expect{401, 404, 204, 404, 404, 204, 204, 404, 204},
       [](AuthzWorld& w) {
         AuthzRequest r = OnShop(w.coop_c);
         r.params["member_id"] = Id(w.shop_a);
         return r;
       }},
      {"POST", "/api/v1/sellers/{id}/households", "", Expect{401, 404, 404, 404, 404, 201, 403, 404, 403},
       [](AuthzWorld& w) { return OnShop(w.coop_c, HouseholdBody(kCommuneIn)); }},
      {"POST", "/api/v1/officer/households", "", Expect{401, 403, 403, 403, 403, 403, 201, 403, 201},
       [](AuthzWorld&) {
         return AuthzRequest{{}, HouseholdBody(kCommuneIn)};
       }},
      {"POST", "/api/v1/sellers/{id}/claim-code", "onboarded household",
       Expect{401, 404, 404, 404, 404, 404, 202, 404, 202},
       [](AuthzWorld& w) { return OnShop(w.world.Onboard(w.UserId(Actor::kOfficerIn), kCommuneIn)); }},
      {"GET", "/api/v1/officer/sellers", "", Expect{401, 403, 403, 403, 403, 403, 200, 200, 200},
       [](AuthzWorld&) { return AuthzRequest{}; }},
  };
}

namespace {

AuthzCast MakeCast(World& world) {
  AuthzCast cast;
  auto at = [&cast](Actor a) -> TestUser& { return cast.users[static_cast<std::size_t>(a)]; };
  at(Actor::kBuyer) = world.CreateUser("Người Mua");
  at(Actor::kOwner) = world.CreateUser("Chủ Cửa Hàng");
  at(Actor::kStaff) = world.CreateUser("Nhân Viên");
  at(Actor::kOtherOwner) = world.CreateUser("Chủ Khác");
  at(Actor::kCoopManager) = world.CreateUser("Quản Lý HTX");
  at(Actor::kOfficerIn) = world.CreateUser("Cán Bộ Xã", {{Role::kCommuneOfficer, kCommuneIn}});
  at(Actor::kOfficerOut) = world.CreateUser("Cán Bộ Xã Khác", {{Role::kCommuneOfficer, kCommuneOut}});
  at(Actor::kProvinceAdmin) = world.CreateUser("Quản Trị Tỉnh", {{Role::kProvinceAdmin, kProvince}});
  cast.spare = world.CreateUser("Người Dự Phòng");
  return cast;
}

// shop_a: the owner's household in kCommuneIn, officer help on, one staff
// member, an active member of coop_c; shop_b: the other owner's.
void BuildObjects(AuthzWorld& w) {
  w.shop_a = w.world.CreateShop(w.UserId(Actor::kOwner), SellerType::kHousehold, kCommuneIn);
  w.world.SetOfficerAssist(w.UserId(Actor::kOwner), w.shop_a, true);
  w.world.AddStaff(w.UserId(Actor::kOwner), w.shop_a, w.Phone(Actor::kStaff));
  w.coop_c = w.world.CreateShop(w.UserId(Actor::kCoopManager), SellerType::kCooperative, kCommuneIn,
                                "HTX Chè La Bằng");
  w.world.Join(w.UserId(Actor::kCoopManager), w.coop_c, w.UserId(Actor::kOwner), w.shop_a);
  w.shop_b = w.world.CreateShop(w.UserId(Actor::kOtherOwner), SellerType::kHousehold, kCommuneIn, "Hộ khác");
}

// "/api/v1/sellers/{id}" with {"id": "7"} → "/api/v1/sellers/7"; "" if a
// parameter has no value.
std::string FillRoute(const std::string& route, const std::map<std::string, std::string>& params) {
  std::string out;
  std::size_t i = 0;
  while (i < route.size()) {
    if (route[i] != '{') {
      out += route[i++];
      continue;
    }
    const std::size_t close = route.find('}', i);
    const auto it = params.find(route.substr(i + 1, close - i - 1));
    if (it == params.end()) return "";
    out += it->second;
    i = close + 1;
  }
  return out;
}

// Browser rows (AuthzRequest::browser): the session cookie instead of a
// bearer token, the form body, and for an unsafe method the CSRF token as
// AuthzRequest::csrf says. False, with *error, when the token cannot be had.
bool PrepareBrowserRequest(HttpClient& client, const std::string& method, const AuthzRequest& request,
                           const std::string& session_token, ClientHeaders& headers, std::string& body,
                           std::string* error) {
  if (!session_token.empty()) {
    const std::string session = "nongsan_session=" + session_token;
    const auto extra = headers.find("Cookie");
    headers["Cookie"] = extra == headers.end() ? session : session + "; " + extra->second;
  }
  std::string token;
  if (method != "GET" && method != "HEAD") {
    switch (request.csrf) {
      case AuthzRequest::Csrf::kFromPage: {
        ClientHeaders page_headers = {{"X-Forwarded-For", headers["X-Forwarded-For"]}};
        if (const auto cookie = headers.find("Cookie"); cookie != headers.end())
          page_headers["Cookie"] = cookie->second;
        ClientResponse page = client.Get(request.csrf_page, page_headers);
        static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]+)")re");
        std::smatch match;
        if (session_token.empty()) {
          // A visitor has a token only where a form page set a pre-session
          // cookie (sign-in, register); it then sends both, as a browser does.
          const std::string cookie_prefix = std::string(accounts::kPreSessionCookieName) + "=";
          for (const auto& set_cookie : page.set_cookies) {
            if (set_cookie.rfind(cookie_prefix, 0) != 0 || !std::regex_search(page.body, match, field))
              continue;
            const std::string pre_session = set_cookie.substr(0, set_cookie.find(';'));
            const auto cookie = headers.find("Cookie");
            headers["Cookie"] = cookie == headers.end() ? pre_session : cookie->second + "; " + pre_session;
            token = match[1].str();
          }
          break;
        }
        if (page.status != 200 || !std::regex_search(page.body, match, field)) {
          *error = "no csrf_token in the form of " + request.csrf_page + " (status " +
                   std::to_string(page.status) + ")";
          return false;
        }
        token = match[1].str();
        break;
      }
      case AuthzRequest::Csrf::kMissing:
        break;
      case AuthzRequest::Csrf::kWrong:
        token = std::string(64, '0');
        break;
    }
  }
  if (!request.multipart.empty()) {
    static const std::string boundary = "nongsan-authz-7MA4YWxkTrZu0gW";
    auto fields = request.multipart;
    if (!token.empty()) fields.emplace_back("csrf_token", token);
    body.clear();
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value +
              "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    headers["Content-Type"] = "multipart/form-data; boundary=" + boundary;
  } else if (!request.form.empty() || !token.empty()) {
    body = request.form;
    if (!token.empty()) body += (body.empty() ? "" : "&") + std::string("csrf_token=") + token;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  return true;
}

class AuthzTable : public ::testing::TestWithParam<std::string> {};

TEST_P(AuthzTable, EveryRowAnswersAsExpected) {
  app::Config config;
  // Each row comes from its own address, so per-IP sign-in limits (tested
  // elsewhere) do not decide the outcome of a long table.
  config.trust_proxy = true;
  // Bank notifications are signed with it (src/payments/payments_authz_test.cpp).
  config.bank_webhook_secret = "authz-table-webhook-secret";
  // VNPay's and MoMo's IPNs answer by signature alone; their rows sign with
  // the fake gateways' keys (src/payments/gateways/gateways_authz_test.cpp).
  config.vnpay_tmn_code = kFakeVnpayTmnCode;
  config.vnpay_hash_secret = kFakeVnpaySecret;
  config.vnpay_url = "http://127.0.0.1:9/paymentv2/vpcpay.html";
  config.vnpay_api_url = "http://127.0.0.1:9/merchant_webapi/api/transaction";
  config.momo_partner_code = kFakeMomoPartnerCode;
  config.momo_access_key = kFakeMomoAccessKey;
  config.momo_secret_key = kFakeMomoSecretKey;
  config.momo_endpoint = "http://127.0.0.1:9";
  TestApp app(GetParam(), config);
  World world(app);
  const AuthzCast cast = MakeCast(world);
  HttpClient client = app.Client();
  int row = 0;
  // NONGSAN_AUTHZ_ONLY=catalog,orders runs only those modules' rows (for
  // working on one module's table; the full run and CI leave it unset).
  const char* only_env = std::getenv("NONGSAN_AUTHZ_ONLY");
  const std::string only = only_env ? "," + std::string(only_env) + "," : "";
  for (auto& [module, c] : AllAuthzCases()) {
    if (!only.empty() && only.find("," + module + ",") == std::string::npos) continue;
    for (std::size_t i = 0; i < kActorCount; ++i) {
      const Actor actor = static_cast<Actor>(i);
      const std::string label = module + ": " + c.method + " " + c.route +
                                (c.note.empty() ? "" : " (" + c.note + ")") + " as " + ActorName(actor);
      AuthzWorld w{app, world, cast, actor};
      AuthzRequest request;
      try {
        BuildObjects(w);
        request = c.prepare ? c.prepare(w) : OnShop(w.shop_a);
      } catch (const std::exception& e) {
        ADD_FAILURE() << label << ": setup failed: " << e.what();
        continue;
      }
      const std::string path = FillRoute(c.route, request.params);
      if (path.empty()) {
        ADD_FAILURE() << label << ": the row gives no value for a path parameter";
        continue;
      }
      ++row;
      ClientHeaders headers{{"X-Forwarded-For", "10." + std::to_string(row / 65536 % 256) + "." +
                                                    std::to_string(row / 256 % 256) + "." +
                                                    std::to_string(row % 256)}};
      if (actor != Actor::kAnonymous) w.session_token = world.Token(w.UserId(actor));
      const bool browser = request.browser || !request.form.empty() || !request.multipart.empty();
      if (actor != Actor::kAnonymous && !browser) headers["Authorization"] = "Bearer " + w.session_token;
      // The row's headers replace the runner's own (AuthzRequest::headers).
      for (const auto& [name, value] : request.headers) headers[name] = value;
      const std::string target = path + (request.query.empty() ? "" : "?" + request.query);
      std::string body = request.raw_body         ? *request.raw_body
                         : request.body.is_null() ? ""
                                                  : request.body.dump();
      if (browser) {
        std::string error;
        if (!PrepareBrowserRequest(client, c.method, request, w.session_token, headers, body, &error)) {
          ADD_FAILURE() << label << ": " << error;
          continue;
        }
      }
      ClientResponse response = client.Request(c.method, target, body, headers);
      EXPECT_EQ(response.status, c.expect[i]) << label << "\n" << response.body.substr(0, 400);
      if (request.after) {
        SCOPED_TRACE(label);
        request.after(w, response);
      }
    }
  }
  EXPECT_GT(row, 0);
}

INSTANTIATE_TEST_SUITE_P(Authz, AuthzTable, ::testing::ValuesIn(TestBackends()), BackendName);

// A route without rows fails here, naming it, so whoever adds an endpoint
// decides who may call it.
TEST(AuthzCoverage, EveryRouteHasRowsForEveryone) {
  TestApp app("sqlite");
  std::set<std::pair<std::string, std::string>> covered;
  for (const auto& [module, c] : AllAuthzCases()) covered.emplace(c.method, c.route);
  for (const auto& route : app.app().router().routes()) {
    EXPECT_TRUE(covered.count({route->method, route->pattern}))
        << "no authorization rows for " << route->method << " " << route->pattern
        << " — add them with NONGSAN_AUTHZ_CASES (see tests/support/authz_table.hpp)";
  }
}

}  // namespace
}  // namespace nongsan::testing
