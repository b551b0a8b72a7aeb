#include "sellers/routes.hpp"

#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "accounts/signed_in_route.hpp"

namespace nongsan::sellers {

namespace {

using accounts::ClientOf;
using accounts::IdParam;
using accounts::JsonInput;
using accounts::Presence;
using accounts::Reply;
using accounts::RequireSignIn;
using accounts::SignedIn;
using accounts::SignedInWithId;

constexpr http::RouteOptions kBodyRoute{.max_body = kSellersMaxBody};
constexpr http::RouteOptions kNoBody{.max_body = 0};

const char* CapacityName(Capacity c) {
  switch (c) {
    case Capacity::kOwner:
      return "owner";
    case Capacity::kStaff:
      return "staff";
    case Capacity::kCoopManager:
      return "coop_manager";
    case Capacity::kOfficer:
      return "officer";
    case Capacity::kNone:
      break;
  }
  return "none";
}

nlohmann::json StaffJson(const StaffMember& m) {
  return {{"user_id", m.user_id},
          {"phone", m.phone},
          {"full_name", m.full_name},
          {"role", RoleName(m.role)},
          {"status", accounts::UserStatusName(m.status)}};
}

nlohmann::json MembershipJson(const SellerService& svc, const Membership& m, bool full) {
  return {{"coop_id", m.coop_id},
          {"member_id", m.member_id},
          {"status", MembershipStatusName(m.status)},
          {"created_at", timefmt::Rfc3339(m.created_at)},
          {"member", svc.SellerJson(m.member, full)}};
}

nlohmann::json SellerList(const SellerService& svc, const std::vector<Seller>& sellers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : sellers) list.push_back(svc.SellerJson(s, true));
  return list;
}

Result<HouseholdInput> ReadHousehold(const nlohmann::json& body) {
  JsonInput in(body);
  HouseholdInput input;
  input.phone = in.String("phone", Presence::kRequired).value_or("");
  input.full_name = in.String("full_name", Presence::kRequired).value_or("");
  input.shop_name = in.String("shop_name", Presence::kRequired).value_or("");
  input.commune_code = in.String("commune_code", Presence::kRequired).value_or("");
  input.address_line = in.String("address_line", Presence::kRequired).value_or("");
  input.description = in.String("description", Presence::kOptional);
  TRY(in.Finish());
  return input;
}

http::Response OnboardedResponse(const SellerService& svc, const Onboarded& done) {
  return http::Response::Json(201, {{"seller", svc.SellerJson(done.seller, true)},
                                    {"user",
                                     {{"id", done.user.id},
                                      {"phone", done.user.phone},
                                      {"full_name", done.user.full_name},
                                      {"status", accounts::UserStatusName(done.user.status)}}},
                                    {"claim_code_sent", done.claim_code_sent}});
}

}  // namespace

void AddRoutes(http::Router& router, SellerService& sellers) {
  SellerService* svc = &sellers;

  router.Post("/api/v1/sellers",
              SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
                TRY_ASSIGN(auto body, req.JsonBody());
                JsonInput in(body);
                SellerInput input;
                input.name = in.String("name", Presence::kRequired).value_or("");
                input.type = in.String("type", Presence::kRequired).value_or("");
                input.commune_code = in.String("commune_code", Presence::kRequired).value_or("");
                input.address_line = in.String("address_line", Presence::kRequired).value_or("");
                input.phone = in.String("phone", Presence::kOptional);
                input.description = in.String("description", Presence::kOptional);
                TRY(in.Finish());
                TRY_ASSIGN(Seller seller, svc->Create(me, input, ClientOf(req)));
                http::Response response = http::Response::Json(201, svc->SellerJson(seller, true));
                response.SetHeader("Location", "/api/v1/sellers/" + std::to_string(seller.id));
                return response;
              }),
              kBodyRoute);

  router.Get(
      "/api/v1/sellers/{id}",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t id, IdParam(req, "id", "shop"));
          const Principal* me = req.principal ? &*req.principal : nullptr;
          TRY_ASSIGN(Access access, svc->View(me, id));
          const bool full = access.capacity != Capacity::kNone ||
                            (me && svc->OfficerCovers(*me, access.seller.commune_code));
          nlohmann::json body = svc->SellerJson(access.seller, full);
          if (access.capacity != Capacity::kNone) body["your_role"] = CapacityName(access.capacity);
          svc->AddFactsTo(id, body);
          return http::Response::Json(200, body);
        });
      },
      kNoBody);

  router.Patch("/api/v1/sellers/{id}",
               SignedInWithId(
                   "shop",
                   [svc](http::Request& req, const Principal& me, std::int64_t id) -> Result<http::Response> {
                     TRY_ASSIGN(auto body, req.JsonBody());
                     JsonInput in(body);
                     SellerPatch patch;
                     patch.name = in.String("name", Presence::kOptional);
                     patch.commune_code = in.String("commune_code", Presence::kOptional);
                     patch.address_line = in.String("address_line", Presence::kOptional);
                     patch.phone = in.String("phone", Presence::kOptional);
                     patch.description = in.String("description", Presence::kOptional);
                     patch.officer_assist = in.Bool("officer_assist", Presence::kOptional);
                     TRY(in.Finish());
                     TRY_ASSIGN(Seller seller, svc->Update(me, id, patch, ClientOf(req)));
                     return http::Response::Json(200, svc->SellerJson(seller, true));
                   }),
               kBodyRoute);

  router.Get(
      "/api/v1/me/sellers", SignedIn([svc](http::Request&, const Principal& me) -> Result<http::Response> {
        TRY_ASSIGN(auto list, svc->ListMine(me));
        return http::Response::Json(200, {{"items", SellerList(*svc, list)}, {"next_cursor", nullptr}});
      }),
      kNoBody);

  // ---- officer decisions
  auto status_route = [svc](const char* action) {
    return SignedInWithId(
        "shop",
        [svc, action](http::Request& req, const Principal& me, std::int64_t id) -> Result<http::Response> {
          const std::string name = action;
          Result<Seller> changed = Error::Internal("unreachable");
          if (name == "suspend") {
            TRY_ASSIGN(auto body, req.JsonBody());
            JsonInput in(body);
            auto reason = in.String("reason", Presence::kRequired);
            TRY(in.Finish());
            changed = svc->Suspend(me, id, *reason, ClientOf(req));
          } else if (name == "verify") {
            changed = svc->Verify(me, id, ClientOf(req));
          } else {
            changed = svc->Reinstate(me, id, ClientOf(req));
          }
          TRY_ASSIGN(Seller seller, std::move(changed));
          return http::Response::Json(200, svc->SellerJson(seller, true));
        });
  };
  router.Post("/api/v1/sellers/{id}/verify", status_route("verify"), kBodyRoute);
  router.Post("/api/v1/sellers/{id}/suspend", status_route("suspend"), kBodyRoute);
  router.Post("/api/v1/sellers/{id}/reinstate", status_route("reinstate"), kBodyRoute);

  // ---- staff
  router.Get("/api/v1/sellers/{id}/staff",
             SignedInWithId(
                 "shop",
                 [svc](http::Request&, const Principal& me, std::int64_t id) -> Result<http::Response> {
                   TRY_ASSIGN(auto staff, svc->ListStaff(me, id));
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& m : staff) list.push_back(StaffJson(m));
                   return http::Response::Json(200, {{"items", std::move(list)}, {"next_cursor", nullptr}});
                 }),
             kNoBody);

  router.Post("/api/v1/sellers/{id}/staff",
              SignedInWithId(
                  "shop",
                  [svc](http::Request& req, const Principal& me, std::int64_t id) -> Result<http::Response> {
                    TRY_ASSIGN(auto body, req.JsonBody());
                    JsonInput in(body);
                    auto phone = in.String("phone", Presence::kRequired);
                    Role role = Role::kShopStaff;
                    if (auto name = in.String("role", Presence::kOptional);
                        name && !ParseRole(*name, &role)) {
                      in.Fail("role", "Use shop_staff or coop_manager.");
                    }
                    TRY(in.Finish());
                    TRY_ASSIGN(StaffMember member, svc->AddStaff(me, id, *phone, role, ClientOf(req)));
                    return http::Response::Json(201, StaffJson(member));
                  }),
              kBodyRoute);

  router.Delete("/api/v1/sellers/{id}/staff/{user_id}",
                SignedInWithId("shop",
                               [svc](http::Request& req, const Principal& me,
                                     std::int64_t id) -> Result<http::Response> {
                                 TRY_ASSIGN(std::int64_t user_id, IdParam(req, "user_id", "staff member"));
                                 TRY(svc->RemoveStaff(me, id, user_id, ClientOf(req)));
                                 return http::Response::NoContent();
                               }),
                kNoBody);

  // ---- cooperative members
  router.Get(
      "/api/v1/sellers/{id}/members",
      [svc](http::Request& req) {
        return Reply(req, [&]() -> Result<http::Response> {
          TRY_ASSIGN(std::int64_t id, IdParam(req, "id", "cooperative"));
          const Principal* me = req.principal ? &*req.principal : nullptr;
          TRY_ASSIGN(auto members, svc->ListMemberships(me, id));
          nlohmann::json list = nlohmann::json::array();
          for (const auto& m : members) list.push_back(MembershipJson(*svc, m, false));
          return http::Response::Json(200, {{"items", std::move(list)}, {"next_cursor", nullptr}});
        });
      },
      kNoBody);

  router.Post("/api/v1/sellers/{id}/members",
              SignedInWithId(
                  "cooperative",
                  [svc](http::Request& req, const Principal& me, std::int64_t id) -> Result<http::Response> {
                    TRY_ASSIGN(auto body, req.JsonBody());
                    JsonInput in(body);
                    auto member_id = in.Int("seller_id", Presence::kRequired);
                    TRY(in.Finish());
                    TRY_ASSIGN(Membership m, svc->AddMember(me, id, *member_id, ClientOf(req)));
                    return http::Response::Json(201, MembershipJson(*svc, m, false));
                  }),
              kBodyRoute);

  router.Post("/api/v1/sellers/{id}/members/{member_id}/accept",
              SignedInWithId(
                  "cooperative",
                  [svc](http::Request& req, const Principal& me, std::int64_t id) -> Result<http::Response> {
                    TRY_ASSIGN(std::int64_t member_id, IdParam(req, "member_id", "membership"));
                    TRY_ASSIGN(Membership m, svc->AcceptMember(me, id, member_id, ClientOf(req)));
                    return http::Response::Json(200, MembershipJson(*svc, m, false));
                  }),
              kBodyRoute);

  router.Delete("/api/v1/sellers/{id}/members/{member_id}",
                SignedInWithId("cooperative",
                               [svc](http::Request& req, const Principal& me,
                                     std::int64_t id) -> Result<http::Response> {
                                 TRY_ASSIGN(std::int64_t member_id, IdParam(req, "member_id", "membership"));
                                 TRY(svc->RemoveMember(me, id, member_id, ClientOf(req)));
                                 return http::Response::NoContent();
                               }),
                kNoBody);

  // ---- assisted onboarding
  router.Post("/api/v1/sellers/{id}/households",
              SignedInWithId(
                  "cooperative",
                  [svc](http::Request& req, const Principal& me, std::int64_t id) -> Result<http::Response> {
                    TRY_ASSIGN(auto body, req.JsonBody());
                    TRY_ASSIGN(HouseholdInput input, ReadHousehold(body));
                    TRY_ASSIGN(Onboarded done, svc->OnboardHousehold(me, input, id, ClientOf(req)));
                    return OnboardedResponse(*svc, done);
                  }),
              kBodyRoute);

  router.Post("/api/v1/officer/households",
              SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
                TRY_ASSIGN(auto body, req.JsonBody());
                TRY_ASSIGN(HouseholdInput input, ReadHousehold(body));
                TRY_ASSIGN(Onboarded done, svc->OnboardHousehold(me, input, std::nullopt, ClientOf(req)));
                return OnboardedResponse(*svc, done);
              }),
              kBodyRoute);

  router.Post("/api/v1/sellers/{id}/claim-code",
              SignedInWithId(
                  "shop",
                  [svc](http::Request&, const Principal& me, std::int64_t id) -> Result<http::Response> {
                    TRY(svc->ResendClaimCode(me, id));
                    return http::Response::Json(202, {{"detail", "A new claim code is on its way by SMS."}});
                  }),
              kBodyRoute);

  router.Get(
      "/api/v1/officer/sellers",
      SignedIn([svc](http::Request& req, const Principal& me) -> Result<http::Response> {
        TRY_ASSIGN(auto list, svc->ListForOfficer(me, req.Query("status").value_or(""),
                                                  req.Query("commune_code").value_or("")));
        return http::Response::Json(200, {{"items", SellerList(*svc, list)}, {"next_cursor", nullptr}});
      }),
      kNoBody);
}

}  // namespace nongsan::sellers
