// The account page the footer links to, /tai-khoan: the profile (name,
// e-mail; the phone is the account's identity and is shown, not edited), a new
// password (every other session is signed out, as the accounts service does),
// the signed-in devices with a button to sign each one out, and the delivery
// addresses checkout remembered, each with a button to forget it. Every change
// goes through AccountService, which checks and audits it; the page says what
// it did. Forms come back with each message by its field.
#include <set>

#include "accounts/account_service.hpp"
#include "accounts/auth.hpp"
#include "core/text.hpp"
#include "orders/address_book.hpp"
#include "places/places.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kAccountPath = "/tai-khoan";
// Longest browser description shown for a session; user agents can be long.
constexpr std::size_t kMaxDeviceChars = 80;

class ProfilePages {
 public:
  ProfilePages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        accounts_(*services.accounts),
        addresses_(*services.addresses),
        places_(*services.places) {}

  http::Response Page(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto user = accounts_.GetUser(request.principal->user_id);
    if (!user.ok()) return renderer_.ErrorPage(request, user.error());
    Form profile;
    profile.Set("full_name", user->full_name);
    profile.Set("email", user->email.value_or(""));
    return Show(request, profile, Form(), 200);
  }

  http::Response SaveProfile(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    form.Required("full_name");
    if (!form.ok()) return Show(request, form, Form(), 422);
    auto saved = accounts_.UpdateProfile(*request.principal, form.Value("full_name"), form.Value("email"));
    if (!saved.ok()) {
      form.AddErrors(saved.error());
      return Show(request, form, Form(), 422);
    }
    return http::Response::Redirect(std::string(kAccountPath) + "?xong=profile");
  }

  http::Response ChangePassword(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    form.Required("current_password");
    form.Required("new_password");
    Status changed = form.ok() ? accounts_.ChangePassword(*request.principal, form.Value("current_password"),
                                                          form.Value("new_password"))
                               : Status(Ok{});
    if (form.ok() && !changed.ok()) {
      Error shown = changed.error();
      if (shown.code == ErrorCode::kRateLimited) shown.type = "rate_limited";
      // The service names the new password "password" or "new_password".
      form.AddErrors(shown, {{"password", "new_password"}});
    }
    // A password never goes back into the page.
    form.Set("current_password", "");
    form.Set("new_password", "");
    if (!form.ok()) return Show(request, ProfileOf(request), form, 422);
    return http::Response::Redirect(std::string(kAccountPath) + "?xong=password");
  }

  http::Response SignOutSession(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Status revoked = accounts_.RevokeSession(*request.principal, *id);
    if (!revoked.ok()) return renderer_.ErrorPage(request, revoked.error());
    return http::Response::Redirect(std::string(kAccountPath) + "?xong=session#thiet-bi");
  }

  http::Response ForgetAddress(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Status removed = addresses_.Remove(request.principal->user_id, *id);
    if (!removed.ok()) return renderer_.ErrorPage(request, removed.error());
    return http::Response::Redirect(std::string(kAccountPath) + "?xong=address#dia-chi");
  }

 private:
  Form ProfileOf(const http::Request& request) {
    Form profile;
    if (auto user = accounts_.GetUser(request.principal->user_id); user.ok()) {
      profile.Set("full_name", user->full_name);
      profile.Set("email", user->email.value_or(""));
    }
    return profile;
  }

  http::Response Show(const http::Request& request, const Form& profile, const Form& password, int status) {
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json sessions = nlohmann::json::array();
    if (auto list = accounts_.ListSessions(*request.principal); list.ok()) {
      for (const auto& session : *list) {
        sessions.push_back({{"id", session.id},
                            {"device", Device(session.user_agent)},
                            {"ip", session.ip},
                            {"last_seen", DateTime(session.last_seen_at)},
                            {"current", session.current}});
      }
    }
    nlohmann::json addresses = nlohmann::json::array();
    if (auto saved = addresses_.List(request.principal->user_id); saved.ok()) {
      for (const auto& entry : *saved) {
        addresses.push_back({{"id", entry.id},
                             {"full_name", entry.address.full_name},
                             {"phone", entry.address.phone},
                             {"line", entry.address.address_line},
                             {"place", places_.FullName(entry.address.commune_code)}});
      }
    }
    nlohmann::json data = {{"title", renderer_.T(request, "profile.title")},
                           {"phone", request.principal->phone},
                           {"has_addresses", !addresses.empty()},
                           {"addresses", std::move(addresses)},
                           {"profile", profile.View(renderer_.translations(), lang)},
                           {"password", password.View(renderer_.translations(), lang)},
                           {"sessions", std::move(sessions)},
                           {"noindex", true}};
    static const std::set<std::string, std::less<>> kDone = {"profile", "password", "session", "address"};
    if (auto done = request.Query("xong"); done && kDone.contains(*done)) {
      data["done"] = renderer_.T(request, "profile.done_" + *done);
    }
    return renderer_.Render(request, "account", std::move(data), status);
  }

  // "Chrome trên Android" would need a parser; the start of the user agent,
  // cut on a character boundary, is enough to tell one's own devices apart.
  static std::string Device(const std::string& user_agent) {
    return user_agent.size() <= kMaxDeviceChars ? user_agent
                                                : text::Truncate(user_agent, kMaxDeviceChars) + "…";
  }

  const Renderer& renderer_;
  accounts::AccountService& accounts_;
  orders::AddressBook& addresses_;
  const places::PlaceService& places_;
};

}  // namespace

void AddProfilePages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<ProfilePages>(renderer, services);
  const std::string path(kAccountPath);
  router.Get(path, [pages](http::Request& r) { return pages->Page(r); }, {.max_body = 0});
  router.Post(path + "/ho-so", [pages](http::Request& r) { return pages->SaveProfile(r); },
              {.max_body = kFormMaxBody});
  router.Post(path + "/mat-khau", [pages](http::Request& r) { return pages->ChangePassword(r); },
              {.max_body = kFormMaxBody});
  router.Post(path + "/phien/{id}/dang-xuat", [pages](http::Request& r) { return pages->SignOutSession(r); },
              {.max_body = kFormMaxBody});
  router.Post(path + "/dia-chi/{id}/xoa", [pages](http::Request& r) { return pages->ForgetAddress(r); },
              {.max_body = kFormMaxBody});
}

}  // namespace nongsan::web::detail
