// Login CSRF (issue 13): a visitor's sign-in and register forms are checked
// by a pre-session CSRF token or a same-origin Origin header, so another site
// cannot sign a victim's browser into the attacker's account. Before the fix
// both forms accepted any cross-site POST from a visitor.
#include <gtest/gtest.h>

#include <regex>

#include "accounts/auth.hpp"
#include "support/accounts_world.hpp"
#include "support/test_app.hpp"
#include "support/test_db.hpp"

namespace nongsan::web {
namespace {

using nongsan::testing::ClientHeaders;
using nongsan::testing::ClientResponse;
using nongsan::testing::HttpClient;
using nongsan::testing::TestApp;

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kPassword = "mua-che-ngon-2026";

std::string CsrfFrom(const std::string& html) {
  std::smatch match;
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]*)")re");
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

bool SetsSession(const ClientResponse& response) {
  for (const auto& cookie : response.set_cookies) {
    if (cookie.rfind(std::string(accounts::kSessionCookieName) + "=", 0) == 0 &&
        cookie.find("Max-Age=0") == std::string::npos) {
      return true;
    }
  }
  return false;
}

class LoginCsrf : public ::testing::TestWithParam<std::string> {
 protected:
  LoginCsrf() : app_(GetParam()) {
    // The attacker's own account, which a forged form would sign the victim into.
    HttpClient setup = app_.Client();
    setup.EnableCookieJar();
    const std::string token = CsrfFrom(setup.Get("/dang-ky").body);
    const ClientResponse registered =
        setup.Post("/dang-ky",
                   "full_name=K%E1%BA%BB+T%E1%BA%A5n+C%C3%B4ng&phone=" + phone_ + "&password=" + kPassword +
                       "&csrf_token=" + token,
                   {{"Content-Type", kForm}});
    EXPECT_EQ(registered.status, 303) << registered.body;
  }

  std::string SignInForm(const std::string& extra = "") const {
    return "phone=" + phone_ + "&password=" + kPassword + "&next=%2F" + extra;
  }
  std::string OwnOrigin() const { return "http://127.0.0.1:" + std::to_string(app_.port()); }

  TestApp app_;
  std::string phone_ = nongsan::testing::FreshPhone();
};

TEST_P(LoginCsrf, FormPagesGiveAVisitorAPreSessionToken) {
  HttpClient visitor = app_.Client();
  const ClientResponse page = visitor.Get("/dang-nhap");
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.set_cookies.size(), 1u);
  const std::string& cookie = page.set_cookies[0];
  EXPECT_EQ(cookie.rfind(std::string(accounts::kPreSessionCookieName) + "=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  const std::string value = cookie.substr(accounts::kPreSessionCookieName.size() + 1,
                                          cookie.find(';') - accounts::kPreSessionCookieName.size() - 1);
  EXPECT_EQ(CsrfFrom(page.body), accounts::CsrfTokenForPreSession(value));
  // A visitor who has one keeps it.
  const ClientResponse again =
      visitor.Get("/dang-ky", {{"Cookie", std::string(accounts::kPreSessionCookieName) + "=" + value}});
  EXPECT_TRUE(again.set_cookies.empty());
  EXPECT_EQ(CsrfFrom(again.body), accounts::CsrfTokenForPreSession(value));
}

TEST_P(LoginCsrf, ForgedSignInIsRefused) {
  // What a page on another site can make a browser send: no token, and the
  // other site's Origin (or none, from an old browser or a stripped header).
  for (const ClientHeaders& headers :
       {ClientHeaders{{"Content-Type", kForm}},
        ClientHeaders{{"Content-Type", kForm}, {"Origin", "https://evil.example"}},
        ClientHeaders{{"Content-Type", kForm}, {"Origin", "null"}},
        ClientHeaders{{"Content-Type", kForm}, {"Origin", "http://127.0.0.1.evil.example"}}}) {
    const ClientResponse forged = app_.Client().Post("/dang-nhap", SignInForm(), headers);
    EXPECT_EQ(forged.status, 403) << forged.body;
    EXPECT_FALSE(SetsSession(forged));
  }
  // A token of some other visitor's pre-session does not do either.
  HttpClient other = app_.Client();
  const std::string others_token = CsrfFrom(other.Get("/dang-nhap").body);
  ASSERT_EQ(others_token.size(), 64u);
  const ClientResponse borrowed = app_.Client().Post(
      "/dang-nhap", SignInForm("&csrf_token=" + others_token),
      {{"Content-Type", kForm}, {"Cookie", std::string(accounts::kPreSessionCookieName) + "=someone-else"}});
  EXPECT_EQ(borrowed.status, 403);
  // The register form is guarded the same way.
  const ClientResponse forged_register = app_.Client().Post(
      "/dang-ky", "full_name=Lan&phone=" + nongsan::testing::FreshPhone() + "&password=" + kPassword,
      {{"Content-Type", kForm}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(forged_register.status, 403);
}

TEST_P(LoginCsrf, OwnFormsStillSignIn) {
  // With the pre-session token from the page (no Origin header).
  HttpClient browser = app_.Client();
  browser.EnableCookieJar();
  const std::string token = CsrfFrom(browser.Get("/dang-nhap").body);
  const ClientResponse with_token =
      browser.Post("/dang-nhap", SignInForm("&csrf_token=" + token), {{"Content-Type", kForm}});
  EXPECT_EQ(with_token.status, 303) << with_token.body;
  EXPECT_TRUE(SetsSession(with_token));
  // With this site's Origin, which a browser sends on its own form's POST.
  const ClientResponse same_origin =
      app_.Client().Post("/dang-nhap", SignInForm(), {{"Content-Type", kForm}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(same_origin.status, 303) << same_origin.body;
  EXPECT_TRUE(SetsSession(same_origin));
}

INSTANTIATE_TEST_SUITE_P(Backends, LoginCsrf, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::web
