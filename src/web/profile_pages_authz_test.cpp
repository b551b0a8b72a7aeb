// Authorization rows of the account page (/tai-khoan): everyone signed in
// sees and changes only their own account; a device is signed out only by
// the account it belongs to (404 to anyone else, who may not learn it exists).
#include <stdexcept>

#include "accounts/account_service.hpp"
#include "orders/address_book.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using namespace pages;
using A = Actor;

constexpr const char* kAccount = "/tai-khoan?xong=";
constexpr Expect kOwnAccountForm{kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther,
                                 kSeeOther, kSeeOther, kSeeOther, kSeeOther};
constexpr Where kOwnAccountWhere{kSignIn,  kAccount, kAccount, kAccount, kAccount,
                                 kAccount, kAccount, kAccount, kAccount};

std::optional<std::string> EmailOf(AuthzWorld& w, Actor actor) {
  auto user = Services(w).accounts->GetUser(w.UserId(actor));
  if (!user.ok()) throw std::runtime_error("user: " + user.error().detail);
  return user->email;
}

}  // namespace

NONGSAN_AUTHZ_CASES(profile_pages) {
  AuthzCaseList rows;
  rows.push_back(Get("/tai-khoan", "", kSignedIn, kSignedInWhere, [](AuthzWorld&) {
    AuthzRequest r;
    r.after = [](AuthzWorld& w, const ClientResponse& response) {
      if (w.actor == A::kAnonymous) return;
      EXPECT_TRUE(Contains(response, w.Phone(w.actor))) << "the actor's own phone";
      if (w.actor != A::kOwner) {
        EXPECT_FALSE(Contains(response, w.Phone(A::kOwner))) << "nobody else's";
      }
    };
    return r;
  }));
  AddPost(rows, "/tai-khoan/ho-so", "the actor's own e-mail", kOwnAccountForm, kOwnAccountWhere,
          [](AuthzWorld& w, bool forged) {
            AuthzRequest r;
            const std::string email =
                "authz-" + std::to_string(static_cast<int>(w.actor)) + (forged ? "f" : "g") + "@example.vn";
            if (w.actor != A::kAnonymous) {
              auto user = Services(w).accounts->GetUser(w.UserId(w.actor));
              if (!user.ok()) throw std::runtime_error("user");
              r.form = "full_name=" + Encode(user->full_name) + "&email=" + Encode(email);
            } else {
              r.form = "full_name=" + Encode("Khách") + "&email=" + Encode(email);
            }
            r.csrf_page = "/tai-khoan";
            r.after = [forged, email](AuthzWorld& w, const ClientResponse&) {
              if (w.actor == A::kAnonymous) return;
              EXPECT_EQ(EmailOf(w, w.actor) == email, !forged) << "the actor's e-mail";
            };
            return r;
          });
  // A wrong current password changes nothing for anyone (and no row changes
  // the cast's passwords).
  AddPost(rows, "/tai-khoan/mat-khau", "wrong current password",
          Expect{kSeeOther, 422, 422, 422, 422, 422, 422, 422, 422}, Where{kSignIn}, [](AuthzWorld&, bool) {
            AuthzRequest r;
            r.form = "current_password=" + Encode("khong-phai-mat-khau") +
                     "&new_password=" + Encode("mat-khau-moi-2026");
            r.csrf_page = "/tai-khoan";
            return r;
          });
  AddPost(rows, "/tai-khoan/phien/{id}/dang-xuat", "another session of the owner",
          Expect{kSeeOther, 404, kSeeOther, 404, 404, 404, 404, 404, 404},
          Where{kSignIn, nullptr, "/tai-khoan?xong=session"}, [](AuthzWorld& w, bool forged) {
            auto session = Services(w).accounts->StartSession(w.UserId(A::kOwner), {"127.0.0.1", "authz"});
            if (!session.ok()) throw std::runtime_error("session: " + session.error().detail);
            AuthzRequest r;
            r.params["id"] = std::to_string(session->session_id);
            r.csrf_page = "/tai-khoan";
            r.after = [forged, token = session->token](AuthzWorld& w, const ClientResponse&) {
              const bool revoked = !Services(w).accounts->Authenticate(token).ok();
              EXPECT_EQ(revoked, w.actor == A::kOwner && !forged) << "the owner's other session";
            };
            return r;
          });
  // A saved address is forgotten only by its own buyer (404 to anyone else).
  AddPost(rows, "/tai-khoan/dia-chi/{id}/xoa", "an address of the owner",
          Expect{kSeeOther, 404, kSeeOther, 404, 404, 404, 404, 404, 404},
          Where{kSignIn, nullptr, "/tai-khoan?xong=address"}, [](AuthzWorld& w, bool forged) {
            const std::int64_t owner = w.UserId(A::kOwner);
            const std::string line =
                "Xóm " + std::to_string(forged) + "-" + std::to_string(static_cast<int>(w.actor));
            auto saved = w.app.app().db().Write([&](db::Connection& c) -> Status {
              return orders::RememberAddressWith(c, owner, {"Nguyễn Thị Hoa", "0912345678", line, kCommuneIn},
                                                 w.app.clock().NowMs());
            });
            if (!saved.ok()) throw std::runtime_error("address: " + saved.error().detail);
            auto book = Services(w).addresses->List(owner);
            if (!book.ok()) throw std::runtime_error("addresses: " + book.error().detail);
            std::int64_t id = 0;
            for (const auto& a : *book) {
              if (a.address.address_line == line) id = a.id;
            }
            if (id == 0) throw std::runtime_error("no saved address");
            AuthzRequest r;
            r.params["id"] = std::to_string(id);
            r.csrf_page = "/tai-khoan";
            r.after = [forged, id, owner](AuthzWorld& w, const ClientResponse&) {
              auto left = Services(w).addresses->List(owner);
              ASSERT_TRUE(left.ok());
              bool kept = false;
              for (const auto& a : *left) kept = kept || a.id == id;
              EXPECT_EQ(kept, !(w.actor == A::kOwner && !forged)) << "the owner's address";
            };
            return r;
          });
  return rows;
}

}  // namespace nongsan::testing
