// The catalogue's rows of the authorization table (tests/support/authz_table.hpp):
// reference data, search, products, photos and the bulk import.
//
// Who manages a product: its shop's owner and staff, the cooperative shop_a
// belongs to, and (shop_a has officer help on) the officer of kCommuneIn and
// the province's admin. Everyone else sees only what the public sees, and a
// product they may not see or manage answers 404, as if it did not exist.
#include <atomic>
#include <stdexcept>
#include <vips/vips8>

#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "catalog/photo_service.hpp"
#include "support/authz_table.hpp"

namespace nongsan::testing {
namespace {

std::string Id(std::int64_t id) { return std::to_string(id); }

Principal OwnerOf(AuthzWorld& w, std::int64_t shop) {
  return w.world.PrincipalOf(w.UserId(shop == w.shop_b ? Actor::kOtherOwner : Actor::kOwner));
}

catalog::CatalogModule& Catalog(AuthzWorld& w) { return *w.app.app().services().catalog; }

// A product of `shop` made through the catalogue service as its owner.
std::int64_t MakeProduct(AuthzWorld& w, std::int64_t shop,
                         catalog::ProductStatus status = catalog::ProductStatus::kActive) {
  return MakeAuthzProduct(w, shop, status);
}

// A small JPEG, made once.
const std::string& Jpeg() {
  static const std::string bytes = [] {
    if (!catalog::InitImageLibrary()) throw std::runtime_error("libvips did not start");
    std::vector<double> colour = {40, 160, 60};
    VipsBlob* blob =
        vips::VImage::black(200, 150).new_from_image(colour).cast(VIPS_FORMAT_UCHAR).jpegsave_buffer();
    std::size_t n = 0;
    const void* data = vips_blob_get(blob, &n);
    std::string out(static_cast<const char*>(data), n);
    vips_area_unref(VIPS_AREA(blob));
    return out;
  }();
  return bytes;
}

catalog::Photo AddPhoto(AuthzWorld& w, std::int64_t product) {
  const Principal owner = OwnerOf(w, w.shop_a);
  auto photo = Catalog(w).photos.Add(&owner, product, Jpeg());
  if (!photo.ok()) throw std::runtime_error("photo: " + photo.error().detail);
  return *photo;
}

// Suspends shop_a as its commune officer; the sellers service tells the
// catalogue (wired in app.cpp), so its products leave at once.
void SuspendShopA(AuthzWorld& w) { w.world.Suspend(w.UserId(Actor::kOfficerIn), w.shop_a); }

AuthzRequest OnProduct(std::int64_t id, nlohmann::json body = nullptr) {
  AuthzRequest r;
  r.params["id"] = Id(id);
  r.body = std::move(body);
  return r;
}

nlohmann::json ProductBody() {
  return {{"sku", "MOI-1"},
          {"name", "Miến dong Bình Liêu"},
          {"description", "Miến sợi nhỏ."},
          {"category", "tea-bud"},
          {"unit", "gói"},
          {"price_vnd", 95000},
          {"stock", 10},
          {"weight_grams", 500},
          {"status", "active"}};
}

}  // namespace

NONGSAN_AUTHZ_CASES(catalog) {
  using catalog::ProductStatus;
  auto none = [](AuthzWorld&) { return AuthzRequest{}; };
  auto active_a = [](AuthzWorld& w) { return OnProduct(MakeProduct(w, w.shop_a)); };
  auto draft_a = [](AuthzWorld& w) { return OnProduct(MakeProduct(w, w.shop_a, ProductStatus::kDraft)); };
  auto suspended_a = [](AuthzWorld& w) {
    const std::int64_t id = MakeProduct(w, w.shop_a);
    if (!Catalog(w).catalog.SetSuspended(id, true, "Nhãn sai nguồn gốc").ok())
      throw std::runtime_error("suspend");
    return OnProduct(id);
  };
  auto of_suspended_shop = [](AuthzWorld& w) {
    const std::int64_t id = MakeProduct(w, w.shop_a);
    SuspendShopA(w);
    return OnProduct(id);
  };
  auto csv = [](const std::string& phone) {
    AuthzRequest r;
    r.raw_body =
        std::string(
            "seller_phone,seller_name,seller_type,commune_code,sku,product_name,description,category,"
            "unit,price_vnd,stock,weight_grams\n") +
        phone + ",Hộ Hoàng Văn Sơn,household," + kCommuneIn + ",NHAP-1,Chè Đức Xuân,Chè ngon,tea-bud,gói," +
        "180000,10,500\n";
    r.headers["Content-Type"] = "text/csv";
    return r;
  };
  //                      anon buyer owner staff other coop offIn offOut admin
  const Expect kPublic{200, 200, 200, 200, 200, 200, 200, 200, 200};
  const Expect kManagersSee{404, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect kManagersDo{401, 404, 200, 200, 404, 200, 200, 404, 200};
  const Expect kManagersCreate{401, 404, 201, 201, 404, 201, 201, 404, 201};
  const Expect kManagersDelete{401, 404, 204, 204, 404, 204, 204, 404, 204};
  return {
      // ---- reference data and search: public
      {"GET", "/api/v1/categories", "", kPublic, none},
      {"GET", "/api/v1/admin-units", "", kPublic,
       [](AuthzWorld&) {
         return AuthzRequest{{}, nullptr, "parent=19"};
       }},
      {"GET", "/api/v1/admin-units/{code}", "", kPublic,
       [](AuthzWorld&) {
         return AuthzRequest{{{"code", kCommuneIn}}};
       }},
      {"GET", "/api/v1/products", "", kPublic,
       [](AuthzWorld&) {
         return AuthzRequest{{}, nullptr, "q=ch%C3%A8"};
       }},
      {"GET", "/api/v1/search/suggest", "", kPublic,
       [](AuthzWorld&) {
         return AuthzRequest{{}, nullptr, "q=ch%C3%A8"};
       }},

      // ---- one product
      {"GET", "/api/v1/products/{id}", "active product", kPublic, active_a},
      {"GET", "/api/v1/products/{id}", "draft product", kManagersSee, draft_a},
      {"GET", "/api/v1/products/{id}", "suspended product", kManagersSee, suspended_a},
      {"GET", "/api/v1/products/{id}", "product of a suspended shop", kManagersSee, of_suspended_shop},
      {"PATCH", "/api/v1/products/{id}", "active product", kManagersDo,
       [](AuthzWorld& w) {
         return OnProduct(MakeProduct(w, w.shop_a), {{"price_vnd", 190000}});
       }},
      {"PATCH", "/api/v1/products/{id}", "draft product", kManagersDo,
       [](AuthzWorld& w) {
         return OnProduct(MakeProduct(w, w.shop_a, ProductStatus::kDraft), {{"description", "Vụ xuân."}});
       }},
      {"PATCH", "/api/v1/products/{id}", "shop_b's product",
       Expect{401, 404, 404, 404, 200, 404, 404, 404, 404},
       [](AuthzWorld& w) {
         return OnProduct(MakeProduct(w, w.shop_b), {{"price_vnd", 190000}});
       }},
      {"DELETE", "/api/v1/products/{id}", "active product", kManagersDelete, active_a},
      {"DELETE", "/api/v1/products/{id}", "shop_b's product",
       Expect{401, 404, 404, 404, 204, 404, 404, 404, 404},
       [](AuthzWorld& w) { return OnProduct(MakeProduct(w, w.shop_b)); }},

      // ---- a shop's products
      {"GET", "/api/v1/sellers/{id}/products", "listed shop", kPublic,
       [](AuthzWorld& w) {
         MakeProduct(w, w.shop_a);
         return OnProduct(w.shop_a);
       }},
      {"GET", "/api/v1/sellers/{id}/products", "suspended shop", kManagersSee,
       [](AuthzWorld& w) {
         MakeProduct(w, w.shop_a);
         SuspendShopA(w);
         return OnProduct(w.shop_a);
       }},
      {"POST", "/api/v1/sellers/{id}/products", "shop_a", kManagersCreate,
       [](AuthzWorld& w) { return OnProduct(w.shop_a, ProductBody()); }},
      {"POST", "/api/v1/sellers/{id}/products", "shop_b", Expect{401, 404, 404, 404, 201, 404, 404, 404, 404},
       [](AuthzWorld& w) { return OnProduct(w.shop_b, ProductBody()); }},

      // ---- photos
      {"POST", "/api/v1/products/{id}/photos", "JPEG body", kManagersCreate,
       [](AuthzWorld& w) {
         AuthzRequest r = OnProduct(MakeProduct(w, w.shop_a));
         r.raw_body = Jpeg();
         r.headers["Content-Type"] = "image/jpeg";
         return r;
       }},
      {"DELETE", "/api/v1/products/{id}/photos/{photo_id}", "the product's photo", kManagersDelete,
       [](AuthzWorld& w) {
         const std::int64_t product = MakeProduct(w, w.shop_a);
         AuthzRequest r = OnProduct(product);
         r.params["photo_id"] = Id(AddPhoto(w, product).id);
         return r;
       }},
      {"DELETE", "/api/v1/products/{id}/photos/{photo_id}", "a photo of another product of the shop",
       Expect{401, 404, 404, 404, 404, 404, 404, 404, 404},
       [](AuthzWorld& w) {
         const std::int64_t with_photo = MakeProduct(w, w.shop_a);
         const std::int64_t photo = AddPhoto(w, with_photo).id;
         AuthzRequest r = OnProduct(MakeProduct(w, w.shop_a));
         r.params["photo_id"] = Id(photo);
         return r;
       }},
      {"GET", "/photos/{name}", "photo of an active product", kPublic,
       [](AuthzWorld& w) {
         const catalog::Photo photo = AddPhoto(w, MakeProduct(w, w.shop_a));
         return AuthzRequest{{{"name", catalog::PhotoFileName(photo.key, catalog::kPhotoWidths[0], "webp")}}};
       }},

      // ---- bulk import: officers and province admins, each for their own
      // area (rows outside it are refused one by one in the 200 report).
      {"POST", "/api/v1/imports/products", "a new household of kCommuneIn",
       Expect{401, 403, 403, 403, 403, 403, 200, 200, 200}, [csv](AuthzWorld&) { return csv(FreshPhone()); }},
  };
}

}  // namespace nongsan::testing
