// The programme module's rows of the authorization table (tests/support/
// authz_table.hpp). Programmes are made through ProgrammeService in each
// row's prepare, by the admin of kProvince. The admin of the province sees
// and changes everything; a commune officer of the province reads the
// programme and their communes' figures; anyone else learns nothing.
#include <stdexcept>

#include "app/services.hpp"
#include "programme/programme_module.hpp"
#include "support/authz_table.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using nlohmann::json;

std::int64_t MakeProgramme(AuthzWorld& w) {
  const Principal admin = w.world.PrincipalOf(w.UserId(Actor::kProvinceAdmin));
  programme::ProgrammeInput input{"Chương trình " + std::string(kProvince), kProvince, "2026-01-01",
                                  "2026-12-31"};
  auto p = w.app.app().services().programme->programmes.Create(&admin, input);
  if (!p.ok()) throw std::runtime_error("create programme: " + p.error().detail);
  return p->id;
}

AuthzRequest ProgrammeRequest(AuthzWorld& w, json body = nullptr, std::string query = "") {
  AuthzRequest r;
  r.params["id"] = std::to_string(MakeProgramme(w));
  r.body = std::move(body);
  r.query = std::move(query);
  return r;
}

// A website request of shop_a, made by its owner.
AuthzRequest SupportRequest(AuthzWorld& w, json body = nullptr) {
  const Principal owner = w.world.PrincipalOf(w.UserId(Actor::kOwner));
  auto made =
      w.app.app().services().programme->support.Create(&owner, {w.shop_a, "website", "Cần trang web"});
  if (!made.ok()) throw std::runtime_error("create support request: " + made.error().detail);
  AuthzRequest r;
  r.params["id"] = std::to_string((*made)["id"].get<std::int64_t>());
  r.body = std::move(body);
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(programme) {
  const Expect admin_creates{401, 403, 403, 403, 403, 403, 403, 403, 201};
  const Expect officials_read{401, 404, 404, 404, 404, 404, 200, 200, 200};
  const Expect admin_writes{401, 404, 404, 404, 404, 404, 403, 403, 200};
  const Expect admin_only_read{401, 404, 404, 404, 404, 404, 403, 403, 200};
  const Expect officials_commune{401, 404, 404, 404, 404, 404, 200, 403, 200};
  const Expect shop_and_officials_create{401, 404, 201, 201, 404, 201, 201, 404, 201};
  const Expect shop_and_officials{401, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect officers_queue{401, 422, 422, 422, 422, 422, 200, 200, 200};
  const Expect officials_move{401, 404, 403, 403, 404, 403, 200, 404, 200};
  const Expect training_create{401, 403, 403, 403, 403, 403, 201, 403, 201};
  const Expect training_list{401, 403, 403, 403, 403, 403, 200, 403, 200};
  const json targets = {{"targets", {{{"unit_code", kCommuneIn}, {"metric", "orders"}, {"target", 10}}}}};

  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"POST", "/api/v1/programmes", "", admin_creates,
       [](AuthzWorld&) {
         AuthzRequest r;
         r.body = {{"name", "Đưa nông sản lên sàn"},
                   {"province_code", kProvince},
                   {"starts_on", "2026-01-01"},
                   {"ends_on", "2026-12-31"}};
         return r;
       }},
      {"GET", "/api/v1/programmes/{id}", "", officials_read,
       [](AuthzWorld& w) { return ProgrammeRequest(w); }},
      {"PUT", "/api/v1/programmes/{id}/targets", "", admin_writes,
       [targets](AuthzWorld& w) { return ProgrammeRequest(w, targets); }},
      {"GET", "/api/v1/programmes/{id}/metrics", "commune level", officials_read,
       [](AuthzWorld& w) { return ProgrammeRequest(w, nullptr, "level=commune"); }},
      {"GET", "/api/v1/programmes/{id}/metrics", "province level", admin_only_read,
       [](AuthzWorld& w) { return ProgrammeRequest(w, nullptr, "level=province"); }},
      {"GET", "/api/v1/programmes/{id}/demand", "the whole province (an officer: their communes)",
       officials_read, [](AuthzWorld& w) { return ProgrammeRequest(w); }},
      {"GET", "/api/v1/programmes/{id}/demand", "the officer's commune", officials_commune,
       [](AuthzWorld& w) { return ProgrammeRequest(w, nullptr, std::string("unit=") + kCommuneIn); }},
      {"GET", "/api/v1/programmes/{id}/report.xlsx", "", officials_read,
       [](AuthzWorld& w) { return ProgrammeRequest(w); }},
      {"GET", "/api/v1/programmes/{id}/report.csv", "", officials_read,
       [](AuthzWorld& w) { return ProgrammeRequest(w); }},
      {"GET", "/api/v1/programmes/{id}/report.pdf", "", officials_read,
       [](AuthzWorld& w) { return ProgrammeRequest(w); }},

      {"POST", "/api/v1/support-requests", "", shop_and_officials_create,
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.body = {{"shop_id", w.shop_a}, {"kind", "website"}, {"note", "Cần trang web"}};
         return r;
       }},
      {"GET", "/api/v1/support-requests", "a shop's own", shop_and_officials,
       [](AuthzWorld& w) {
         SupportRequest(w);
         AuthzRequest r;
         r.query = "shop_id=" + std::to_string(w.shop_a);
         return r;
       }},
      {"GET", "/api/v1/support-requests", "the officer's queue", officers_queue,
       [](AuthzWorld& w) {
         SupportRequest(w);
         return AuthzRequest{};
       }},
      {"GET", "/api/v1/support-requests/{id}", "", shop_and_officials,
       [](AuthzWorld& w) { return SupportRequest(w); }},
      {"POST", "/api/v1/trainings", "in kCommuneIn", training_create,
       [](AuthzWorld&) {
         AuthzRequest r;
         r.body = {{"title", "Bán hàng qua livestream"},
                   {"kind", "livestream"},
                   {"held_on", "2026-11-20"},
                   {"commune_code", kCommuneIn},
                   {"attendees", {"0912345678"}}};
         return r;
       }},
      {"GET", "/api/v1/trainings", "one commune", training_list,
       [](AuthzWorld&) {
         AuthzRequest r;
         r.query = std::string("commune_code=") + kCommuneIn;
         return r;
       }},
      {"POST", "/api/v1/support-requests/{id}/transitions", "", officials_move,
       [](AuthzWorld& w) {
         return SupportRequest(w, {{"to", "assigned"}, {"assignee_id", w.UserId(Actor::kOfficerIn)}});
       }},
  };
}

// The programme's pages, as a browser asks for them.
NONGSAN_AUTHZ_CASES(programme_pages) {
  using namespace nongsan::testing::pages;
  const Expect officials{kSeeOther, 404, 404, 404, 404, 404, 200, 200, 200};
  const Expect commune_officials{kSeeOther, 404, 404, 404, 404, 404, 200, 403, 200};
  auto with_programme = [](AuthzWorld& w) {
    MakeProgramme(w);
    return AuthzRequest{};
  };
  return {
      Get("/chuong-trinh", "", officials, kSignedInWhere, with_programme),
      Get("/chuong-trinh/xa/{code}", "the officer's commune", commune_officials, kSignedInWhere,
          [](AuthzWorld& w) {
            MakeProgramme(w);
            AuthzRequest r;
            r.params["code"] = kCommuneIn;
            return r;
          }),
      Get("/so-lieu", "", kEveryone, kAnywhere, with_programme),
  };
}

}  // namespace nongsan::testing
