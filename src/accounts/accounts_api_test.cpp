// The accounts API over real HTTP on each backend: registration, login,
// sessions, one-time codes, password reset, rate limits, CSRF and bad input.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "accounts/account_service.hpp"
#include "accounts/rate_limiter.hpp"
#include "support/accounts_world.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::testing {
namespace {

constexpr const char* kPassword = "Ca-phe-sua-da-99";

class AccountsApi : public ::testing::TestWithParam<std::string> {
 protected:
  AccountsApi() : app_(GetParam()), world_(app_), client_(app_.Client()) {}

  ClientResponse Register(const std::string& phone, const std::string& password = kPassword,
                          const std::string& name = "Trần Thị Lan") {
    return client_.Post("/api/v1/auth/register",
                        nlohmann::json{{"phone", phone}, {"password", password}, {"full_name", name}});
  }
  ClientResponse Login(const std::string& phone, const std::string& password = kPassword) {
    return client_.Post("/api/v1/auth/login", nlohmann::json{{"phone", phone}, {"password", password}});
  }
  static ClientHeaders Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  std::int64_t Count(const std::string& table) {
    auto n = world_.db().Read([&](db::Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM " + table); });
    return n.ok() ? *n : -1;
  }

  TestApp app_;
  World world_;
  HttpClient client_;
};

TEST_P(AccountsApi, RegisterLoginMeLogout) {
  const std::string phone = FreshPhone();
  const std::string international = "+84 " + phone.substr(1, 2) + " " + phone.substr(3);
  ClientResponse registered = Register(international);
  ASSERT_EQ(registered.status, 201) << registered.body;
  auto body = registered.Json();
  EXPECT_EQ(body["user"]["phone"], phone);  // stored in the canonical form
  EXPECT_EQ(body["user"]["status"], "active");
  EXPECT_EQ(body["user"]["phone_verified"], false);
  EXPECT_EQ(body["user"]["roles"][0]["role"], "buyer");
  ASSERT_TRUE(body["token"].is_string());

  ClientResponse me = client_.Get("/api/v1/me", Bearer(body["token"]));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["user"]["full_name"], "Trần Thị Lan");

  ClientResponse login = Login(phone);
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.Json()["token"];
  ASSERT_EQ(login.set_cookies.size(), 1u);
  const std::string& cookie = login.set_cookies[0];
  EXPECT_EQ(cookie.rfind("nongsan_session=" + token + ";", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here

  EXPECT_EQ(client_.Post("/api/v1/auth/logout", "", Bearer(token)).status, 204);
  ClientResponse after = client_.Get("/api/v1/me", Bearer(token));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.Header("www-authenticate"), "Bearer error=\"invalid_token\"");
  EXPECT_EQ(client_.Get("/api/v1/me").status, 401);
  EXPECT_EQ(Register(phone).status, 409);
}

TEST_P(AccountsApi, SessionsListRevokeAndExpire) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  const std::string first = Login(phone).Json()["token"];
  const std::string second = Login(phone).Json()["token"];
  ClientResponse listed = client_.Get("/api/v1/me/sessions", Bearer(second));
  ASSERT_EQ(listed.status, 200);
  auto sessions = listed.Json()["items"];
  ASSERT_EQ(sessions.size(), 3u);  // register, first, second
  std::int64_t first_id = 0;
  int current = 0;
  for (const auto& s : sessions) {
    if (s["current"] == true) ++current;
    EXPECT_FALSE(s.contains("token"));
  }
  EXPECT_EQ(current, 1);
  first_id = sessions[1]["id"];  // newest first: second, first, register

  // Someone else's session does not exist as far as this user can tell.
  const std::string other = FreshPhone();
  ASSERT_EQ(Register(other).status, 201);
  const std::string other_token = Login(other).Json()["token"];
  EXPECT_EQ(client_.Delete("/api/v1/me/sessions/" + std::to_string(first_id), Bearer(other_token)).status,
            404);
  EXPECT_EQ(client_.Delete("/api/v1/me/sessions/abc", Bearer(second)).status, 404);

  EXPECT_EQ(client_.Delete("/api/v1/me/sessions/" + std::to_string(first_id), Bearer(second)).status, 204);
  EXPECT_EQ(client_.Get("/api/v1/me", Bearer(first)).status, 401);
  EXPECT_EQ(client_.Get("/api/v1/me", Bearer(second)).status, 200);
  EXPECT_EQ(client_.Delete("/api/v1/me/sessions/" + std::to_string(first_id), Bearer(second)).status, 404);

  app_.clock().Advance(accounts::kSessionLifetimeMs + 1);
  EXPECT_EQ(client_.Get("/api/v1/me", Bearer(second)).status, 401);
}

TEST_P(AccountsApi, LoginRotatesTheCookieSession) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  const std::string old_token = Login(phone).Json()["token"];
  ClientResponse again =
      client_.Post("/api/v1/auth/login", nlohmann::json{{"phone", phone}, {"password", kPassword}},
                   {{"Cookie", "nongsan_session=" + old_token}});
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(again.Json()["token"], old_token);
  EXPECT_EQ(client_.Get("/api/v1/me", Bearer(old_token)).status, 401);
}

TEST_P(AccountsApi, SecureCookieBehindTls) {
  app::Config config;
  config.trust_proxy = true;
  TestApp tls_app(GetParam(), config);
  HttpClient client = tls_app.Client();
  ClientResponse registered =
      client.Post("/api/v1/auth/register",
                  nlohmann::json{{"phone", FreshPhone()}, {"password", kPassword}, {"full_name", "Lan"}},
                  {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(registered.status, 201);
  ASSERT_EQ(registered.set_cookies.size(), 1u);
  EXPECT_NE(registered.set_cookies[0].find("; Secure"), std::string::npos);
}

TEST_P(AccountsApi, PasswordNeverStoredLoggedOrReturned) {
  auto previous = spdlog::default_logger();
  std::ostringstream log;
  auto capture =
      std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  capture->set_level(spdlog::level::trace);
  spdlog::set_default_logger(capture);

  const std::string phone = FreshPhone();
  std::vector<ClientResponse> responses;
  responses.push_back(Register(phone));
  responses.push_back(Login(phone));
  responses.push_back(Login(phone, "Sai-mat-khau-1"));
  responses.push_back(client_.Post("/api/v1/auth/otp/request",
                                   nlohmann::json{{"phone", phone}, {"purpose", "reset_password"}}));
  const std::string code = world_.LastCode(phone);
  responses.push_back(
      client_.Post("/api/v1/auth/password/reset",
                   nlohmann::json{{"phone", phone}, {"code", code}, {"password", "Mat-khau-moi-77"}}));
  spdlog::set_default_logger(previous);

  ASSERT_EQ(responses[0].status, 201);
  ASSERT_EQ(responses[4].status, 204) << responses[4].body;
  for (const char* secret : {kPassword, "Sai-mat-khau-1", "Mat-khau-moi-77"}) {
    for (const auto& r : responses) EXPECT_EQ(r.body.find(secret), std::string::npos) << r.body;
    EXPECT_EQ(log.str().find(secret), std::string::npos) << log.str();
    for (const std::string table : {"users", "sessions", "one_time_codes", "audit_log", "sms_outbox"}) {
      auto rows = world_.db().Read([&](db::Connection& c) { return c.Query("SELECT * FROM " + table); });
      ASSERT_TRUE(rows.ok());
      for (const auto& row : *rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
          EXPECT_EQ(row.Text(i).find(secret), std::string::npos) << table;
      }
    }
  }
  auto hash = world_.db().Read([&](db::Connection& c) {
    return c.QueryOne("SELECT password_hash FROM users WHERE phone = ?", {phone});
  });
  ASSERT_TRUE(hash.ok() && *hash);
  EXPECT_EQ((*hash)->Text(0).rfind("$argon2id$", 0), 0u);
  // Neither the one-time code nor session tokens are stored in the clear.
  auto codes =
      world_.db().Read([&](db::Connection& c) { return c.Query("SELECT code_hash FROM one_time_codes"); });
  for (const auto& row : *codes) EXPECT_EQ(row.Text(0).find(code), std::string::npos);
  const std::string token = responses[1].Json()["token"];
  auto sessions =
      world_.db().Read([&](db::Connection& c) { return c.Query("SELECT token_hash FROM sessions"); });
  for (const auto& row : *sessions) EXPECT_NE(row.Text(0), token);
}

TEST_P(AccountsApi, BadInputIsRefusedAndNothingStored) {
  struct Case {
    std::string body;
    std::string field;  // expected in the problem's errors ("" = any 400)
  };
  const std::string phone = FreshPhone();
  auto body = [&](nlohmann::json j) { return j.dump(); };
  std::string deep = std::string(40, '[') + std::string(40, ']');
  const std::vector<Case> cases = {
      {body({{"phone", "+1 415 555 0100"}, {"password", kPassword}, {"full_name", "Lan"}}), "phone"},
      {body({{"phone", "0212345678"}, {"password", kPassword}, {"full_name", "Lan"}}), "phone"},
      {body({{"phone", phone}, {"password", "short"}, {"full_name", "Lan"}}), "password"},
      {body({{"phone", phone}, {"password", "12345678"}, {"full_name", "Lan"}}), "password"},
      {body({{"phone", phone}, {"password", kPassword}, {"full_name", std::string(3000, 'a')}}), "full_name"},
      {body({{"phone", phone}, {"password", kPassword}, {"full_name", ""}}), "full_name"},
      {body({{"phone", phone}, {"password", kPassword}, {"full_name", "Lan\u0007"}}), "full_name"},
      {"{\"phone\":\"" + phone + "\",\"password\":\"" + kPassword + "\",\"full_name\":\"L\xff\xfe\"}", ""},
      {body({{"phone", 912345678}, {"password", kPassword}, {"full_name", "Lan"}}), "phone"},
      {body({{"phone", {{"nested", phone}}}, {"password", kPassword}, {"full_name", "Lan"}}), "phone"},
      {body({{"phone", phone}, {"password", {1, 2}}, {"full_name", "Lan"}}), "password"},
      {"{\"phone\": " + deep + "}", ""},
      {"[1, 2, 3]", ""},
      {"not json", ""},
      {"", ""},
  };
  for (const auto& c : cases) {
    ClientResponse r = client_.Post("/api/v1/auth/register", c.body);
    EXPECT_EQ(r.status, 400) << c.body.substr(0, 200) << "\n" << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    if (!c.field.empty()) {
      bool named = false;
      const nlohmann::json problem = r.Json();
      for (const auto& e : problem["errors"]) named = named || e["field"] == c.field;
      EXPECT_TRUE(named) << c.field << " not named in " << r.body;
    }
  }
  EXPECT_EQ(Count("users"), 0);
  EXPECT_EQ(Count("sessions"), 0);
}

TEST_P(AccountsApi, PhoneVerificationCodeFlow) {
  const std::string phone = FreshPhone();
  ClientResponse registered = Register(phone);
  ASSERT_EQ(registered.status, 201);
  const std::string token = registered.Json()["token"];
  const std::string code = world_.LastCode(phone);  // sent on registration
  ASSERT_EQ(code.size(), 6u) << world_.LastSms(phone);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto verify = [&](const std::string& c) {
    return client_.Post("/api/v1/auth/otp/verify", nlohmann::json{{"phone", phone}, {"code", c}});
  };
  ClientResponse bad = verify(wrong);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.Json()["code"], "code_invalid");
  EXPECT_EQ(verify("12ab56").status, 400);
  ClientResponse good = verify(code);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.Json()["phone_verified"], true);
  ClientResponse replay = verify(code);
  EXPECT_EQ(replay.status, 422);
  EXPECT_EQ(replay.Json()["code"], "code_used");
  EXPECT_EQ(client_.Get("/api/v1/me", Bearer(token)).Json()["user"]["phone_verified"], true);
}

TEST_P(AccountsApi, ExpiredAndOverTriedCodesAreRefused) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  const std::string first = world_.LastCode(phone);
  app_.clock().Advance(accounts::kCodeLifetimeMs + 1);
  ClientResponse expired =
      client_.Post("/api/v1/auth/otp/verify", nlohmann::json{{"phone", phone}, {"code", first}});
  EXPECT_EQ(expired.status, 422);
  EXPECT_EQ(expired.Json()["code"], "code_expired");

  ASSERT_EQ(client_.Post("/api/v1/auth/otp/request", nlohmann::json{{"phone", phone}}).status, 202);
  const std::string second = world_.LastCode(phone);
  const std::string wrong = second == "000000" ? "111111" : "000000";
  for (int i = 0; i < accounts::kMaxCodeAttempts; ++i) {
    client_.Post("/api/v1/auth/otp/verify", nlohmann::json{{"phone", phone}, {"code", wrong}});
  }
  ClientResponse exhausted =
      client_.Post("/api/v1/auth/otp/verify", nlohmann::json{{"phone", phone}, {"code", second}});
  EXPECT_EQ(exhausted.status, 422);
  EXPECT_EQ(exhausted.Json()["code"], "code_attempts_exceeded");
}

TEST_P(AccountsApi, PasswordResetSignsOutEverywhere) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  const std::string token = Login(phone).Json()["token"];
  ASSERT_EQ(
      client_
          .Post("/api/v1/auth/otp/request", nlohmann::json{{"phone", phone}, {"purpose", "reset_password"}})
          .status,
      202);
  const std::string code = world_.LastCode(phone);
  auto reset = [&](const std::string& password) {
    return client_.Post("/api/v1/auth/password/reset",
                        nlohmann::json{{"phone", phone}, {"code", code}, {"password", password}});
  };
  EXPECT_EQ(reset("password").status, 400);  // common: refused before the code is spent
  ClientResponse done = reset("Mat-khau-moi-77");
  ASSERT_EQ(done.status, 204) << done.body;
  EXPECT_EQ(client_.Get("/api/v1/me", Bearer(token)).status, 401);
  EXPECT_EQ(Login(phone).status, 401);
  EXPECT_EQ(Login(phone, "Mat-khau-moi-77").status, 200);
  EXPECT_EQ(reset("Mat-khau-khac-88").status, 422);  // replayed
}

TEST_P(AccountsApi, CodeRequestsRevealNothingAboutAccounts) {
  const std::string stranger = FreshPhone();
  ClientResponse r = client_.Post("/api/v1/auth/otp/request",
                                  nlohmann::json{{"phone", stranger}, {"purpose", "reset_password"}});
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(world_.LastSms(stranger), "");
  EXPECT_EQ(
      client_.Post("/api/v1/auth/otp/request", nlohmann::json{{"phone", stranger}, {"purpose", "admin"}})
          .status,
      400);
}

TEST_P(AccountsApi, RegistrationIsRateLimitedPerAddress) {
  // Invalid bodies still spend the address's tokens, so no hashing is needed.
  const nlohmann::json invalid = {{"phone", "123"}, {"password", "x"}, {"full_name", "x"}};
  for (int i = 0; i < static_cast<int>(accounts::kRegisterPerIp.burst); ++i) {
    ASSERT_EQ(client_.Post("/api/v1/auth/register", invalid).status, 400);
  }
  ClientResponse limited = client_.Post("/api/v1/auth/register", invalid);
  ASSERT_EQ(limited.status, 429);
  const int retry_after = std::stoi(limited.Header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_EQ(limited.Json()["code"], "rate_limited");
  app_.clock().Advance(retry_after * 1000LL);
  EXPECT_EQ(client_.Post("/api/v1/auth/register", invalid).status, 400);
}

TEST_P(AccountsApi, CodeRequestsAreRateLimitedPerPhone) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  int accepted = 0;
  int limited = 0;
  for (int i = 0; i < 5; ++i) {
    ClientResponse r = client_.Post("/api/v1/auth/otp/request", nlohmann::json{{"phone", phone}});
    if (r.status == 202) ++accepted;
    if (r.status == 429) {
      ++limited;
      EXPECT_FALSE(r.Header("retry-after").empty());
    }
  }
  EXPECT_EQ(accepted, static_cast<int>(accounts::kCodeRequestPerPhone.burst));
  EXPECT_EQ(limited, 5 - accepted);
}

TEST_P(AccountsApi, BruteForceIsThrottledToAHandfulPerMinute) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  // An attacker who retries the moment Retry-After allows, for one minute.
  const std::int64_t start = app_.clock().NowMs();
  int tried = 0;
  int refused = 0;
  while (app_.clock().NowMs() - start < 60'000) {
    ClientResponse r = Login(phone, "Doan-mo-" + std::to_string(tried + refused));
    if (r.status == 401) {
      ++tried;
    } else {
      ASSERT_EQ(r.status, 429) << r.body;
      ++refused;
      app_.clock().Advance(std::stoi(r.Header("retry-after")) * 1000LL);
    }
  }
  EXPECT_LE(tried, 6) << "password guesses let through in one minute";
  EXPECT_GE(tried, 3);
  // The right password is refused too while the phone is locked: the
  // attacker learns nothing from it.
  ClientResponse locked = Login(phone);
  if (locked.status == 429) {
    app_.clock().Advance(std::stoi(locked.Header("retry-after")) * 1000LL);
  }
  EXPECT_EQ(Login(phone).status, 200);
}

TEST_P(AccountsApi, CookieWritesNeedTheCsrfToken) {
  const std::string phone = FreshPhone();
  ASSERT_EQ(Register(phone).status, 201);
  HttpClient browser = app_.Client();
  browser.EnableCookieJar();
  ClientResponse login =
      browser.Post("/api/v1/auth/login", nlohmann::json{{"phone", phone}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200);
  const std::string csrf = login.Json()["csrf_token"];
  const std::string token = login.Json()["token"];
  const nlohmann::json patch = {{"full_name", "Tên Mới"}};

  EXPECT_EQ(browser.Get("/api/v1/me").status, 200);  // reads need no token
  EXPECT_EQ(browser.Get("/api/v1/me").Json()["csrf_token"], csrf);
  ClientResponse forged = browser.Patch("/api/v1/me", patch);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(forged.Json()["code"], "csrf");
  EXPECT_EQ(browser.Patch("/api/v1/me", patch, {{"X-CSRF-Token", "0000"}}).status, 403);
  EXPECT_EQ(browser.Patch("/api/v1/me", patch, {{"X-CSRF-Token", csrf}}).status, 200);
  // Bearer requests cannot be forged by a browser and need no token.
  EXPECT_EQ(client_.Patch("/api/v1/me", patch, Bearer(token)).status, 200);
  // A form post carries it as a field.
  ClientResponse form = browser.Post("/api/v1/auth/logout", "csrf_token=" + csrf,
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 204) << form.body;
  EXPECT_EQ(browser.Get("/api/v1/me").status, 401);
}

TEST_P(AccountsApi, AuditLogIsAppendOnly) {
  World world(app_);
  const TestUser admin = world.CreateUser("Quản Trị", {{Role::kProvinceAdmin, kProvince}});
  ASSERT_GT(Count("audit_log"), 0);
  auto update =
      world_.db().Write([](db::Connection& c) { return c.Exec("UPDATE audit_log SET action = 'x'"); });
  EXPECT_FALSE(update.ok());
  auto remove = world_.db().Write([](db::Connection& c) { return c.Exec("DELETE FROM audit_log"); });
  EXPECT_FALSE(remove.ok());
  ClientResponse audit = client_.Get("/api/v1/admin/audit", Bearer(world.Token(admin.id)));
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.Json()["items"][0]["action"], "grant.add");
}

INSTANTIATE_TEST_SUITE_P(Accounts, AccountsApi, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
