// The traceability module's rows of the authorization table (tests/support/
// authz_table.hpp). Objects are made through TraceService in each row's
// prepare, on shop_a (the owner's household in kCommuneIn with officer help
// on, kStaff its staff, a member of coop_c). A shop's prefix, GTINs and lots
// are written by those who manage it and read by them and the officials of
// its area; barcodes of public products answer everyone.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "app/services.hpp"
#include "support/authz_table.hpp"
#include "trace/trace_module.hpp"

namespace nongsan::testing {
namespace {

using nlohmann::json;

std::string Id(std::int64_t id) { return std::to_string(id); }

// Distinct per call in this process: prefixes and lot codes.
int Unique() {
  static std::atomic<int> n{0};
  return n.fetch_add(1) + 1;
}

// A GS1 Vietnam prefix no other row has recorded: 893 + 7 digits.
std::string FreshPrefix() { return "893" + std::to_string(1000000 + Unique()); }

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.error().detail);
  return std::move(r).value();
}

trace::TraceService& Trace(AuthzWorld& w) { return w.app.app().services().trace->trace; }
Principal As(AuthzWorld& w, Actor a) { return w.world.PrincipalOf(w.UserId(a)); }

AuthzRequest WithId(std::int64_t id, json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = Id(id);
  r.body = std::move(body);
  return r;
}

// shop_a's prefix, recorded by its owner and verified by its officer.
void VerifiedPrefix(AuthzWorld& w) {
  const Principal owner = As(w, Actor::kOwner);
  const Principal officer = As(w, Actor::kOfficerIn);
  Must(Trace(w).SetPrefix(&owner, w.shop_a, FreshPrefix()), "set prefix");
  Must(Trace(w).VerifyPrefix(&officer, w.shop_a), "verify prefix");
}

// A public product of shop_a with a GTIN numbered from its prefix.
std::int64_t ProductWithGtin(AuthzWorld& w) {
  VerifiedPrefix(w);
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  const Principal owner = As(w, Actor::kOwner);
  Must(Trace(w).AssignGtin(&owner, product, std::nullopt), "assign GTIN");
  return product;
}

// A lot of a new public product of shop_a that has a GTIN.
trace::Lot LotWithGtin(AuthzWorld& w) {
  const std::int64_t product = ProductWithGtin(w);
  const Principal owner = As(w, Actor::kOwner);
  trace::LotInput input;
  input.code = "LOT-" + std::to_string(Unique());
  input.produced_on = "2026-11-20";
  input.expires_on = "2027-05-20";
  input.quantity = 50;
  return Must(Trace(w).CreateLot(&owner, product, input), "create lot");
}

json LotBody() {
  return {{"code", "LOT-" + std::to_string(Unique())},
          {"produced_on", "2026-11-20"},
          {"expires_on", "2027-05-20"},
          {"quantity", 50}};
}

// A lot of a new product of shop_a, made by its owner.
std::int64_t MakeLot(AuthzWorld& w) {
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  const Principal owner = As(w, Actor::kOwner);
  trace::LotInput input;
  input.code = "LOT-" + std::to_string(Unique());
  input.produced_on = "2026-11-20";
  input.quantity = 50;
  return Must(Trace(w).CreateLot(&owner, product, input), "create lot").id;
}

// The lot form as a browser posts it, with the CSRF token handled by the
// runner (`csrf`); after it, a lot exists only when the post was genuine and
// the actor manages shop_a.
// A hold, release or recall form on one of shop_a's lots (held first for a release).
AuthzRequest DecisionForm(AuthzWorld& w, const std::string& form, bool held, AuthzRequest::Csrf csrf) {
  const std::int64_t lot = MakeLot(w);
  if (held) {
    const Principal owner = As(w, Actor::kOwner);
    Must(w.app.app().services().trace->recalls.Hold(&owner, lot, "Chờ kết quả kiểm nghiệm"), "hold lot");
  }
  AuthzRequest r;
  r.params["id"] = Id(lot);
  r.form = form;
  r.csrf = csrf;
  return r;
}

// One of shop_a's lots, recalled by its owner (what a destroying decision needs).
std::int64_t MakeRecalledLot(AuthzWorld& w) {
  const std::int64_t lot = MakeLot(w);
  const Principal owner = As(w, Actor::kOwner);
  Must(w.app.app().services().trace->recalls.Recall(&owner, lot, "Dư lượng thuốc bảo vệ thực vật vượt mức"),
       "recall lot");
  return lot;
}

AuthzRequest LotForm(AuthzWorld& w, AuthzRequest::Csrf csrf, bool creates) {
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  const std::string code = "WEB-" + std::to_string(Unique());
  AuthzRequest r;
  r.params["id"] = Id(product);
  r.form = "code=" + code + "&produced_on=2026-11-20&expires_on=2027-01-20&quantity=10";
  r.csrf = csrf;
  r.after = [product, creates](AuthzWorld& w, const ClientResponse&) {
    const Principal owner = As(w, Actor::kOwner);
    auto lots = Must(Trace(w).ListLots(&owner, product), "list lots");
    EXPECT_EQ(lots.size(), creates ? 1u : 0u) << "lot created";
  };
  return r;
}

bool ManagesShopA(Actor a) {
  return a == Actor::kOwner || a == Actor::kStaff || a == Actor::kCoopManager || a == Actor::kOfficerIn ||
         a == Actor::kProvinceAdmin;
}

// An EPCISDocument receiving a new lot of shop_a; after it, the lot has a
// captured event only when the actor manages shop_a (anyone else is told the
// lot is not theirs: 400 naming the field, nothing stored).
AuthzRequest CaptureAboutShopA(AuthzWorld& w) {
  const trace::Lot lot = LotWithGtin(w);
  const std::string base = w.app.app().services().trace->epcis.base_url();
  AuthzRequest r;
  r.body = {{"@context", json::array({"https://ref.gs1.org/standards/epcis/epcis-context.jsonld"})},
            {"type", "EPCISDocument"},
            {"schemaVersion", "2.0"},
            {"creationDate", "2026-11-25T09:00:00+07:00"},
            {"epcisBody",
             {{"eventList",
               json::array({{{"type", "ObjectEvent"},
                             {"eventTime", "2026-11-25T08:30:00+07:00"},
                             {"eventTimeZoneOffset", "+07:00"},
                             {"quantityList", json::array({{{"epcClass", base + trace::LotClassPath(lot)}}})},
                             {"action", "OBSERVE"},
                             {"bizStep", "receiving"}}})}}}};
  const std::int64_t lot_id = lot.id;
  r.after = [lot_id](AuthzWorld& w, const ClientResponse&) {
    auto timeline = Must(w.app.app().services().trace->epcis.RecordedTimeline(lot_id), "timeline");
    EXPECT_EQ(timeline.size(), ManagesShopA(w.actor) ? 1u : 0u) << "event captured";
  };
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(trace) {
  const Expect everyone{200, 200, 200, 200, 200, 200, 200, 200, 200};
  // Written by those who manage shop_a (the assisting officers included).
  const Expect managers_write{401, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect managers_create{401, 404, 201, 201, 404, 201, 201, 404, 201};
  // Read by its managers and the officials of its area.
  const Expect shop_and_officials{401, 404, 200, 200, 404, 200, 200, 404, 200};
  // An official's decision: the shop side may not (403), others learn nothing.
  const Expect officials_decide{401, 404, 403, 403, 404, 403, 200, 404, 200};

  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"PUT", "/api/v1/sellers/{id}/gs1-prefix", "", managers_write,
       [](AuthzWorld& w) {
         return WithId(w.shop_a, {{"company_prefix", FreshPrefix()}});
       }},
      {"GET", "/api/v1/sellers/{id}/gs1-prefix", "", shop_and_officials,
       [](AuthzWorld& w) {
         const Principal owner = As(w, Actor::kOwner);
         Must(Trace(w).SetPrefix(&owner, w.shop_a, FreshPrefix()), "set prefix");
         return WithId(w.shop_a);
       }},
      {"POST", "/api/v1/sellers/{id}/gs1-prefix/verify", "", officials_decide,
       [](AuthzWorld& w) {
         const Principal owner = As(w, Actor::kOwner);
         Must(Trace(w).SetPrefix(&owner, w.shop_a, FreshPrefix()), "set prefix");
         return WithId(w.shop_a, json::object());
       }},
      {"POST", "/api/v1/products/{id}/gtin", "", managers_create,
       [](AuthzWorld& w) {
         VerifiedPrefix(w);
         return WithId(MakeAuthzProduct(w, w.shop_a), json::object());
       }},
      {"GET", "/api/v1/products/{id}/barcode.svg", "public product", everyone,
       [](AuthzWorld& w) { return WithId(ProductWithGtin(w)); }},
      {"GET", "/api/v1/products/{id}/barcode.png", "public product", everyone,
       [](AuthzWorld& w) { return WithId(ProductWithGtin(w)); }},
      {"POST", "/api/v1/products/{id}/lots", "", managers_create,
       [](AuthzWorld& w) { return WithId(MakeAuthzProduct(w, w.shop_a), LotBody()); }},
      {"GET", "/api/v1/products/{id}/lots", "", shop_and_officials,
       [](AuthzWorld& w) {
         const std::int64_t lot = MakeLot(w);
         return WithId(Must(Trace(w).FindLot(lot), "find lot")->product_id);
       }},
      {"GET", "/api/v1/lots/{id}", "", shop_and_officials, [](AuthzWorld& w) { return WithId(MakeLot(w)); }},
      {"PATCH", "/api/v1/lots/{id}", "", managers_write,
       [](AuthzWorld& w) {
         return WithId(MakeLot(w), {{"quantity", 60}});
       }},
      {"GET", "/api/v1/lots/{id}/qr.svg", "", shop_and_officials,
       [](AuthzWorld& w) { return WithId(MakeLot(w)); }},
      {"GET", "/api/v1/lots/{id}/qr.png", "", shop_and_officials,
       [](AuthzWorld& w) { return WithId(MakeLot(w)); }},
      // ---------------------------------------------------------------- holds and recalls
      {"POST", "/api/v1/lots/{id}/recall", "", managers_write,
       [](AuthzWorld& w) {
         return WithId(MakeLot(w), {{"reason", "Dư lượng thuốc bảo vệ thực vật vượt mức"}});
       }},
      {"POST", "/api/v1/lots/{id}/hold", "", managers_write,
       [](AuthzWorld& w) {
         return WithId(MakeLot(w), {{"reason", "Chờ kết quả kiểm nghiệm"}});
       }},
      {"POST", "/api/v1/lots/{id}/release", "a held lot", managers_write,
       [](AuthzWorld& w) {
         const std::int64_t lot = MakeLot(w);
         const Principal owner = As(w, Actor::kOwner);
         Must(w.app.app().services().trace->recalls.Hold(&owner, lot, "Chờ kết quả kiểm nghiệm"), "hold lot");
         return WithId(lot, json::object());
       }},
      {"POST", "/api/v1/lots/{id}/destroy", "a recalled lot", managers_write,
       [](AuthzWorld& w) {
         return WithId(MakeRecalledLot(w), {{"reason", "Đã tiêu hủy tại cơ sở, biên bản số 12"}});
       }},
      {"GET", "/api/v1/lots/{id}/orders", "", shop_and_officials,
       [](AuthzWorld& w) { return WithId(MakeLot(w)); }},
      {"GET", "/api/v1/recalls", "", Expect{401, 403, 403, 403, 403, 403, 200, 200, 200},
       [](AuthzWorld&) { return AuthzRequest{}; }},
      // ---------------------------------------------------------------- EPCIS events
      {"GET", "/api/v1/epcis/events", "public, like the provenance page", everyone,
       [](AuthzWorld& w) {
         MakeLot(w);
         return AuthzRequest{};
       }},
      {"POST", "/api/v1/epcis/capture", "about shop_a's lot",
       Expect{401, 400, 201, 201, 400, 201, 201, 400, 201},
       [](AuthzWorld& w) { return CaptureAboutShopA(w); }},
      // ---------------------------------------------------------------- the seller centre's lot page
      {"GET", "/kenh-ban/san-pham/{id}/lo", "browser", Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.browser = true;
         r.params["id"] = Id(MakeAuthzProduct(w, w.shop_a));
         return r;
       }},
      {"POST", "/kenh-ban/san-pham/{id}/lo", "browser", Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) { return LotForm(w, AuthzRequest::Csrf::kFromPage, ManagesShopA(w.actor)); }},
      {"POST", "/kenh-ban/san-pham/{id}/lo", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return LotForm(w, AuthzRequest::Csrf::kMissing, false); }},
      {"POST", "/kenh-ban/san-pham/{id}/lo", "wrong CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) { return LotForm(w, AuthzRequest::Csrf::kWrong, false); }},
      {"GET", "/kenh-ban/lo/{id}", "browser", Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.browser = true;
         r.params["id"] = Id(MakeLot(w));
         return r;
       }},
      {"POST", "/kenh-ban/lo/{id}/tam-dung", "browser", Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) {
         return DecisionForm(w, "reason=Ch%E1%BB%9D", false, AuthzRequest::Csrf::kFromPage);
       }},
      {"POST", "/kenh-ban/lo/{id}/mo-ban", "browser, a held lot",
       Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) { return DecisionForm(w, "", true, AuthzRequest::Csrf::kFromPage); }},
      {"POST", "/kenh-ban/lo/{id}/thu-hoi", "browser, confirmed",
       Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) {
         return DecisionForm(w, "reason=D%C6%B0+l%C6%B0%E1%BB%A3ng&xac_nhan=1", false,
                             AuthzRequest::Csrf::kFromPage);
       }},
      {"POST", "/kenh-ban/lo/{id}/thu-hoi", "no CSRF token",
       Expect{303, 403, 403, 403, 403, 403, 403, 403, 403},
       [](AuthzWorld& w) {
         return DecisionForm(w, "reason=x&xac_nhan=1", false, AuthzRequest::Csrf::kMissing);
       }},
      {"POST", "/kenh-ban/lo/{id}/tieu-huy", "browser, a recalled lot",
       Expect{303, 404, 303, 303, 404, 303, 303, 404, 303},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.params["id"] = Id(MakeRecalledLot(w));
         r.form = "reason=Bi%C3%AAn+b%E1%BA%A3n+12&quantity=5";
         r.csrf = AuthzRequest::Csrf::kFromPage;
         return r;
       }},
      // ---------------------------------------------------------------- what a pack's QR opens
      {"GET", "/01/{gtin}", "a product with a GTIN", everyone,
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.params["gtin"] = *LotWithGtin(w).gtin14;
         return r;
       }},
      {"GET", "/01/{gtin}/10/{lot}", "", everyone,
       [](AuthzWorld& w) {
         const trace::Lot lot = LotWithGtin(w);
         AuthzRequest r;
         r.params["gtin"] = *lot.gtin14;
         r.params["lot"] = lot.code;
         return r;
       }},
      {"GET", "/truy-xuat/{code}", "", everyone,
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.params["code"] = Must(Trace(w).FindLot(MakeLot(w)), "find lot")->public_code;
         return r;
       }},
  };
}

}  // namespace nongsan::testing
