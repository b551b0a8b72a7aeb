// The printing module's rows of the authorization table (tests/support/
// authz_table.hpp). Labels of shop_a's products are printed by those who
// manage shop_a (owner, staff, its cooperative's manager, the assisting
// officer) and by the officials of its area; a buyer, another shop and an
// officer elsewhere learn nothing (404); anonymous callers sign in first.
#include <gtest/gtest.h>

#include <stdexcept>

#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing {
namespace {

// A public product of shop_a whose label has every mandatory field.
std::int64_t LabelledProduct(AuthzWorld& w) {
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  const Principal owner = w.world.PrincipalOf(w.UserId(Actor::kOwner));
  catalog::ProductPatch patch;
  patch.label.net_quantity = std::optional<std::string>("500 g");
  patch.label.shelf_life_days = std::optional<std::int64_t>(365);
  patch.label.storage_instructions = std::optional<std::string>("Nơi khô ráo");
  auto updated = w.app.app().services().catalog->catalog.Update(&owner, product, patch);
  if (!updated.ok()) throw std::runtime_error("label data: " + updated.error().detail);
  return product;
}

}  // namespace

NONGSAN_AUTHZ_CASES(printing) {
  const Expect shop_and_officials{401, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect everyone{200, 200, 200, 200, 200, 200, 200, 200, 200};
  //                                                  anon buyer owner staff other coop offIn offOut admin
  return {
      {"GET", "/api/v1/products/{id}/label.pdf", "", shop_and_officials,
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.params["id"] = std::to_string(LabelledProduct(w));
         r.query = "size=70x50";
         return r;
       }},
      {"GET", "/api/v1/sellers/{id}/catalogue.pdf", "a public shop", everyone,
       [](AuthzWorld& w) {
         LabelledProduct(w);
         AuthzRequest r;
         r.params["id"] = std::to_string(w.shop_a);
         r.query = "lang=vi";
         return r;
       }},
      // ---------------------------------------------------------------- the seller centre's print page
      {"GET", "/kenh-ban/san-pham/{id}/in-nhan", "browser, the form",
       Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.browser = true;
         r.params["id"] = std::to_string(LabelledProduct(w));
         return r;
       }},
      {"GET", "/kenh-ban/san-pham/{id}/in-nhan", "browser, the PDF",
       Expect{303, 404, 200, 200, 404, 200, 200, 404, 200},
       [](AuthzWorld& w) {
         AuthzRequest r;
         r.browser = true;
         r.params["id"] = std::to_string(LabelledProduct(w));
         r.query = "size=70x50&sheet=single&copies=2&lot=";
         r.after = [](AuthzWorld&, const ClientResponse& res) {
           if (res.status == 200) {
             EXPECT_EQ(res.Header("content-type"), "application/pdf");
           }
         };
         return r;
       }},
  };
}

}  // namespace nongsan::testing
