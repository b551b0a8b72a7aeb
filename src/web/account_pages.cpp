// Sign-in, registration, one-time-code pages (phone verification, password
// reset, claiming an account an officer opened) and sign-out. After signing
// in, the visitor goes back to `next` (a local path only), so an expired
// session returns them to where they were; a guest cart is merged into the
// account's cart.
#include "accounts/account_service.hpp"
#include "accounts/auth.hpp"
#include "orders/cart_service.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kVerifyPath = "/xac-minh";
constexpr std::string_view kCheckoutPath = "/thanh-toan";

std::string NextOf(const http::Request& request, const Form* form = nullptr) {
  std::string next = form && form->Has("next") ? form->Value("next") : request.Query("next").value_or("");
  return IsLocalPath(next) ? next : "/";
}

class AccountPages {
 public:
  AccountPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer), accounts_(*services.accounts), carts_(*services.carts) {}

  http::Response ShowForm(http::Request& request, std::string_view template_name, const Form& form,
                          nlohmann::json extra = nlohmann::json::object(), int status = 200) {
    // A visitor's form carries a pre-session CSRF token (login CSRF).
    const auto pre_session_cookie = accounts::EnsurePreSession(request);
    const Lang lang = renderer_.LangOf(request);
    extra["form"] = form.View(renderer_.translations(), lang);
    if (!extra.contains("next")) extra["next"] = NextOf(request, &form);
    extra["next_encoded"] = http::UrlEncode(extra["next"].get<std::string>());
    extra["noindex"] = true;
    http::Response response =
        renderer_.Render(request, template_name, std::move(extra), form.ok() ? status : 422);
    if (pre_session_cookie) response.AddCookie(*pre_session_cookie);
    return response;
  }

  // Form-level messages for errors a service answers without fields.
  void AddServiceError(Form& form, const Error& error) {
    Error shown = error;
    if (error.code == ErrorCode::kUnauthorized) shown.type = "bad_credentials";
    if (error.code == ErrorCode::kRateLimited) shown.type = "rate_limited";
    form.AddErrors(shown);
  }

  // Signs the browser in: the session cookie, the guest cart merged.
  http::Response SignedIn(const http::Request& request, const accounts::NewSession& session,
                          std::string next) {
    http::Response response = http::Response::Redirect(std::move(next));
    response.AddCookie(
        accounts::SessionCookie(session.token, accounts::kSessionLifetimeMs / 1000, request.tls));
    if (auto guest = request.Cookie(orders::kCartCookie);
        guest && orders::CartService::IsWellFormedToken(*guest)) {
      if (carts_.MergeGuestCart(*guest, session.user.id).ok()) {
        response.AddCookie(std::string(orders::kCartCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
      }
    }
    return response;
  }

  http::Response SignInPage(http::Request& request) {
    if (request.principal) return http::Response::Redirect(NextOf(request));
    Form form;
    nlohmann::json extra = {{"title", renderer_.T(request, "account.signin_title")}};
    if (request.Query("da-dat-lai")) extra["notice"] = renderer_.T(request, "account.password_was_reset");
    // A guest sent here from the checkout is told why, and that the cart waits.
    if (NextOf(request).starts_with(kCheckoutPath))
      extra["notice"] = renderer_.T(request, "account.signin_to_order");
    return ShowForm(request, "signin", form, std::move(extra));
  }

  http::Response SignIn(http::Request& request) {
    Form form(request);
    const std::string& phone = form.Required("phone");
    const std::string& password = form.Required("password");
    nlohmann::json extra = {{"title", renderer_.T(request, "account.signin_title")}};
    if (!form.ok()) return ShowForm(request, "signin", form, std::move(extra));
    auto session = accounts_.Login(phone, password, accounts::ClientOf(request),
                                   request.Cookie(accounts::kSessionCookieName));
    if (!session.ok()) {
      if (session.error().type == "account_unclaimed") return http::Response::Redirect("/nhan-tai-khoan");
      AddServiceError(form, session.error());
      form.Set("password", "");
      return ShowForm(request, "signin", form, std::move(extra));
    }
    return SignedIn(request, *session, NextOf(request, &form));
  }

  http::Response RegisterPage(http::Request& request) {
    Form form;
    return ShowForm(request, "register", form, {{"title", renderer_.T(request, "account.register_title")}});
  }

  http::Response Register(http::Request& request) {
    Form form(request);
    form.Required("full_name");
    form.Required("phone");
    form.Required("password");
    nlohmann::json extra = {{"title", renderer_.T(request, "account.register_title")}};
    if (!form.ok()) return ShowForm(request, "register", form, std::move(extra));
    accounts::RegisterInput input;
    input.full_name = form.Value("full_name");
    input.phone = form.Value("phone");
    input.password = form.Value("password");
    auto session = accounts_.Register(input, accounts::ClientOf(request));
    if (!session.ok()) {
      AddServiceError(form, session.error());
      form.Set("password", "");
      return ShowForm(request, "register", form, std::move(extra));
    }
    // The verification code is on its way: confirm it next, then continue.
    return SignedIn(request, *session,
                    std::string(kVerifyPath) + "?next=" + http::UrlEncode(NextOf(request, &form)));
  }

  http::Response VerifyPage(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form;
    return ShowForm(request, "verify", form,
                    {{"title", renderer_.T(request, "account.verify_title")},
                     {"phone", request.principal->phone},
                     {"resent", request.Query("gui-lai").has_value()}});
  }

  http::Response Verify(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    nlohmann::json extra = {{"title", renderer_.T(request, "account.verify_title")},
                            {"phone", request.principal->phone}};
    if (form.Required("code").empty()) return ShowForm(request, "verify", form, std::move(extra));
    auto user =
        accounts_.VerifyPhone(request.principal->phone, form.Value("code"), accounts::ClientOf(request));
    if (!user.ok()) {
      AddServiceError(form, user.error());
      return ShowForm(request, "verify", form, std::move(extra));
    }
    return http::Response::Redirect(NextOf(request, &form));
  }

  http::Response ResendCode(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    Status sent = accounts_.RequestCode(request.principal->phone, accounts::CodePurpose::kVerifyPhone,
                                        accounts::ClientOf(request));
    if (!sent.ok()) {
      AddServiceError(form, sent.error());
      return ShowForm(
          request, "verify", form,
          {{"title", renderer_.T(request, "account.verify_title")}, {"phone", request.principal->phone}});
    }
    return http::Response::Redirect(std::string(kVerifyPath) +
                                    "?gui-lai=1&next=" + http::UrlEncode(NextOf(request, &form)));
  }

  http::Response ResetPage(http::Request& request) {
    Form form;
    if (auto phone = request.Query("phone")) form.Set("phone", *phone);
    return ShowForm(request, "reset", form,
                    {{"title", renderer_.T(request, "account.reset_title")},
                     {"code_sent", request.Query("phone").has_value()}});
  }

  // Step 1: send a code. The answer never says whether the number has an account.
  http::Response ResetRequest(http::Request& request) {
    Form form(request);
    nlohmann::json extra = {{"title", renderer_.T(request, "account.reset_title")}, {"code_sent", false}};
    if (form.Required("phone").empty()) return ShowForm(request, "reset", form, std::move(extra));
    Status sent = accounts_.RequestCode(form.Value("phone"), accounts::CodePurpose::kResetPassword,
                                        accounts::ClientOf(request));
    if (!sent.ok()) {
      AddServiceError(form, sent.error());
      return ShowForm(request, "reset", form, std::move(extra));
    }
    return http::Response::Redirect("/quen-mat-khau?phone=" + http::UrlEncode(form.Value("phone")));
  }

  // Step 2: the code and a new password.
  http::Response ResetConfirm(http::Request& request) {
    Form form(request);
    form.Required("phone");
    form.Required("code");
    form.Required("password");
    nlohmann::json extra = {{"title", renderer_.T(request, "account.reset_title")}, {"code_sent", true}};
    if (!form.ok()) return ShowForm(request, "reset", form, std::move(extra));
    Status reset = accounts_.ResetPassword(form.Value("phone"), form.Value("code"), form.Value("password"),
                                           accounts::ClientOf(request));
    if (!reset.ok()) {
      AddServiceError(form, reset.error());
      form.Set("password", "");
      return ShowForm(request, "reset", form, std::move(extra));
    }
    return http::Response::Redirect("/dang-nhap?da-dat-lai=1");
  }

  http::Response ClaimPage(http::Request& request) {
    Form form;
    return ShowForm(request, "claim", form, {{"title", renderer_.T(request, "account.claim_title")}});
  }

  http::Response Claim(http::Request& request) {
    Form form(request);
    form.Required("phone");
    form.Required("code");
    form.Required("password");
    nlohmann::json extra = {{"title", renderer_.T(request, "account.claim_title")}};
    if (!form.ok()) return ShowForm(request, "claim", form, std::move(extra));
    auto session = accounts_.Claim(form.Value("phone"), form.Value("code"), form.Value("password"),
                                   accounts::ClientOf(request));
    if (!session.ok()) {
      AddServiceError(form, session.error());
      form.Set("password", "");
      return ShowForm(request, "claim", form, std::move(extra));
    }
    return SignedIn(request, *session, "/kenh-ban");
  }

  http::Response SignOut(http::Request& request) {
    if (request.principal) (void)accounts_.Logout(*request.principal);
    http::Response response = http::Response::Redirect("/");
    response.AddCookie(accounts::ClearSessionCookie(request.tls));
    return response;
  }

 private:
  const Renderer& renderer_;
  accounts::AccountService& accounts_;
  orders::CartService& carts_;
};

}  // namespace

void AddAccountPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<AccountPages>(renderer, services);
  const http::RouteOptions read{.max_body = 0};
  const http::RouteOptions form{.max_body = kFormMaxBody};
  const http::RouteOptions sign_in_form{.max_body = kFormMaxBody, .pre_session_csrf = true};
  router.Get(
      "/dang-nhap", [pages](http::Request& r) { return pages->SignInPage(r); }, read);
  router.Post(
      "/dang-nhap", [pages](http::Request& r) { return pages->SignIn(r); }, sign_in_form);
  router.Get(
      "/dang-ky", [pages](http::Request& r) { return pages->RegisterPage(r); }, read);
  router.Post(
      "/dang-ky", [pages](http::Request& r) { return pages->Register(r); }, sign_in_form);
  router.Get(
      std::string(kVerifyPath), [pages](http::Request& r) { return pages->VerifyPage(r); }, read);
  router.Post(
      std::string(kVerifyPath), [pages](http::Request& r) { return pages->Verify(r); }, form);
  router.Post(
      "/xac-minh/gui-lai", [pages](http::Request& r) { return pages->ResendCode(r); }, form);
  router.Get(
      "/quen-mat-khau", [pages](http::Request& r) { return pages->ResetPage(r); }, read);
  router.Post(
      "/quen-mat-khau", [pages](http::Request& r) { return pages->ResetRequest(r); }, form);
  router.Post(
      "/quen-mat-khau/dat-lai", [pages](http::Request& r) { return pages->ResetConfirm(r); }, form);
  router.Get(
      "/nhan-tai-khoan", [pages](http::Request& r) { return pages->ClaimPage(r); }, read);
  router.Post(
      "/nhan-tai-khoan", [pages](http::Request& r) { return pages->Claim(r); }, form);
  router.Post(
      "/dang-xuat", [pages](http::Request& r) { return pages->SignOut(r); }, form);
}

}  // namespace nongsan::web::detail
