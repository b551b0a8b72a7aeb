// Authorization rows of the HTML pages (support/authz_table.hpp): every page
// route, run as a browser would — the actor signed in by the session cookie,
// forms posted x-www-form-urlencoded (multipart for the product forms) with
// the CSRF token taken from a page's form.
//
// Besides the status, rows check what a status alone cannot tell apart: where
// a redirect goes (sign in, open a shop, back with an error), whether the
// state changed only for those allowed to change it, and that a page run for
// another shop shows nothing of shop_a. Every POST route also has rows with
// no CSRF token and with a wrong one: 403 for anyone with a session (an
// anonymous visitor has no session, so no token is asked of them), and
// nothing changes.
#include <gtest/gtest.h>

#include <atomic>
#include <initializer_list>
#include <stdexcept>

#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "catalog/categories.hpp"
#include "core/clock.hpp"
#include "http/request.hpp"
#include "orders/cart_service.hpp"
#include "orders/order_service.hpp"
#include "quality/quality_module.hpp"
#include "quality/quality_test_fixture.hpp"
#include "sellers/seller_service.hpp"
#include "support/authz_table.hpp"
#include "web/format.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using namespace pages;
using sellers::SellerType;

// Seller-centre pages: the shop's people and the cooperative manager run
// shop_a, the other owner runs shop_b; people without a shop are sent to open
// one (an assisting officer works from /can-bo and the API).
constexpr Expect kCentre{kSeeOther, kSeeOther, 200, 200, 200, 200, kSeeOther, kSeeOther, kSeeOther};
constexpr Where kCentreWhere{kSignIn, kOpenShop, nullptr,   nullptr,  nullptr,
                             nullptr, kOpenShop, kOpenShop, kOpenShop};
// With ?shop=shop_a: the officer of its commune and the province admin run
// it on the household's behalf (officer help is on); the other officer may not.
constexpr Expect kCentreChosen{kSeeOther, kSeeOther, 200, 200, 200, 200, 200, kSeeOther, 200};
constexpr Where kCentreChosenWhere{kSignIn, kOpenShop, nullptr,   nullptr, nullptr,
                                   nullptr, nullptr,   kOpenShop, nullptr};

// Those who run shop_a in the seller centre (with ?shop=shop_a).
bool RunsShopA(Actor actor) { return In(actor, {Actor::kOwner, Actor::kStaff, Actor::kCoopManager}); }
// Who sees shop_a in the seller centre when the page names it with ?shop=.
bool RunsChosenShopA(Actor actor) {
  return RunsShopA(actor) || In(actor, {Actor::kOfficerIn, Actor::kProvinceAdmin});
}

// The parties of an order of the buyer's from shop_a: the buyer and whoever
// may manage shop_a (OrderService).
bool PartyOfOrder(Actor actor) {
  return In(actor, {Actor::kBuyer, Actor::kOwner, Actor::kStaff, Actor::kCoopManager, Actor::kOfficerIn,
                    Actor::kProvinceAdmin});
}

std::string Slug(std::string_view prefix, const std::string& path) { return path.substr(prefix.size()); }

std::string ShopName(AuthzWorld& w, std::int64_t shop) {
  auto seller = Services(w).sellers->Get(shop);
  if (!seller.ok()) throw std::runtime_error("no shop " + std::to_string(shop));
  return seller->name;
}

// The shop and, with it, its products leave the public catalogue (the
// sellers service tells the catalogue; app.cpp wires it).
void SuspendShopA(AuthzWorld& w) { w.world.Suspend(w.UserId(Actor::kOfficerIn), w.shop_a); }

std::int64_t MakeProduct(AuthzWorld& w, std::int64_t shop, std::int64_t owner_id,
                         catalog::ProductStatus status = catalog::ProductStatus::kActive) {
  return MakeAuthzProduct(w, shop, status, owner_id);
}

std::string ProductName(AuthzWorld& w, std::int64_t product) {
  const Principal owner = w.world.PrincipalOf(w.UserId(Actor::kOwner));
  auto found = Services(w).catalog->catalog.GetForManage(&owner, product);
  return found.ok() ? found->name : "";
}

struct PlacedOrder {
  std::int64_t id = 0;
  std::string code;
  std::string checkout_id;
};

nlohmann::json ShippingAddress() {
  return {{"full_name", "Nguyễn Thị Hoa"},
          {"phone", "0912345678"},
          {"address_line", "Số 5, tổ 3"},
          {"commune_code", kCommuneIn}};
}

// The buyer's order of one shop_a product, placed.
PlacedOrder PlaceOrder(AuthzWorld& w) {
  static std::atomic<int> key{0};
  const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(Actor::kOwner));
  nlohmann::json body = {{"shipping_address", ShippingAddress()}, {"payment_method", "cod"}, {"note", ""}};
  body["items"] = nlohmann::json::array({{{"product_id", product}, {"quantity", 1}}});
  auto placed = Services(w).orders->Checkout(w.world.PrincipalOf(w.UserId(Actor::kBuyer)),
                                             "authz-web-" + std::to_string(key.fetch_add(1)), body);
  if (!placed.ok()) throw std::runtime_error("checkout: " + placed.error().detail);
  const nlohmann::json& order = placed->body.at("orders").at(0);
  return {order.at("id").get<std::int64_t>(), order.at("code").get<std::string>(),
          placed->body.at("checkout_id").get<std::string>()};
}

std::string OrderStatus(AuthzWorld& w, std::int64_t order) {
  auto found = Services(w).orders->Get(w.world.PrincipalOf(w.UserId(Actor::kBuyer)), order);
  return found.ok() ? found->value("status", "") : "";
}

bool IsStaffOfShopA(AuthzWorld& w, std::int64_t user_id) {
  auto staff = Services(w).sellers->ListStaff(w.world.PrincipalOf(w.UserId(Actor::kOwner)), w.shop_a);
  if (!staff.ok()) return false;
  for (const auto& member : *staff) {
    if (member.user_id == user_id && member.role == Role::kShopStaff) return true;
  }
  return false;
}

// shop_a chosen in the seller centre (the switcher's ?shop=).
std::string ShopAQuery(const AuthzWorld& w) { return "shop=" + std::to_string(w.shop_a); }

}  // namespace

NONGSAN_AUTHZ_CASES(web) {
  AuthzCaseList rows;
  using A = Actor;

  // ------------------------------------------------------------ storefront
  rows.push_back(Get("/", "", kEveryone));
  // Search and the sitemap list products on sale only, whoever asks.
  rows.push_back(Get("/tim-kiem", "", kEveryone, kAnywhere, [](AuthzWorld& w) {
    const std::int64_t draft = MakeProduct(w, w.shop_a, w.UserId(A::kOwner), catalog::ProductStatus::kDraft);
    AuthzRequest r;
    r.query = "q=" + Encode("chè búp");
    r.after = [draft](AuthzWorld& w, const ClientResponse& response) {
      EXPECT_FALSE(Contains(response, web::ProductPath(ProductName(w, draft), draft)))
          << "a draft in the results";
    };
    return r;
  }));
  rows.push_back(Get("/danh-muc/{slug}", "a category", kEveryone, kAnywhere, [](AuthzWorld&) {
    AuthzRequest r;
    r.params["slug"] = catalog::AllCategories().front().slug;
    return r;
  }));
  rows.push_back(Get("/danh-muc/{slug}", "no such category",
                     Expect{404, 404, 404, 404, 404, 404, 404, 404, 404}, kAnywhere, [](AuthzWorld&) {
                       AuthzRequest r;
                       r.params["slug"] = "khong-co-danh-muc-nay";
                       return r;
                     }));
  rows.push_back(Get("/goi-y", "", kEveryone, kAnywhere, [](AuthzWorld&) {
    AuthzRequest r;
    r.query = "q=che";
    return r;
  }));
  rows.push_back(Get("/san-pham/{slug}", "active product", kEveryone, kAnywhere, [](AuthzWorld& w) {
    const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(A::kOwner));
    AuthzRequest r;
    r.params["slug"] = Slug(web::kProductPrefix, web::ProductPath(ProductName(w, product), product));
    return r;
  }));
  // A draft is seen only by those who may manage its shop.
  rows.push_back(Get("/san-pham/{slug}", "draft product", Expect{404, 404, 200, 200, 404, 200, 200, 404, 200},
                     kAnywhere, [](AuthzWorld& w) {
                       const std::int64_t product =
                           MakeProduct(w, w.shop_a, w.UserId(A::kOwner), catalog::ProductStatus::kDraft);
                       AuthzRequest r;
                       r.params["slug"] =
                           Slug(web::kProductPrefix, web::ProductPath(ProductName(w, product), product));
                       return r;
                     }));
  rows.push_back(Get("/san-pham/{slug}", "product of a suspended shop",
                     Expect{404, 404, 200, 200, 404, 200, 200, 404, 200}, kAnywhere, [](AuthzWorld& w) {
                       const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(A::kOwner));
                       SuspendShopA(w);
                       AuthzRequest r;
                       r.params["slug"] =
                           Slug(web::kProductPrefix, web::ProductPath(ProductName(w, product), product));
                       return r;
                     }));
  rows.push_back(Get("/cua-hang/{slug}", "public shop", kEveryone, kAnywhere, [](AuthzWorld& w) {
    AuthzRequest r;
    r.params["slug"] = Slug(web::kShopPrefix, web::ShopPath(ShopName(w, w.shop_a), w.shop_a));
    return r;
  }));
  // As GET /api/v1/sellers/{id} for a suspended shop.
  rows.push_back(Get("/cua-hang/{slug}", "suspended shop",
                     Expect{404, 404, 200, 200, 404, 200, 200, 404, 200}, kAnywhere, [](AuthzWorld& w) {
                       SuspendShopA(w);
                       AuthzRequest r;
                       r.params["slug"] =
                           Slug(web::kShopPrefix, web::ShopPath(ShopName(w, w.shop_a), w.shop_a));
                       return r;
                     }));
  rows.push_back(Get("/hop-tac-xa/{slug}", "", kEveryone, kAnywhere, [](AuthzWorld& w) {
    AuthzRequest r;
    r.params["slug"] = Slug(web::kCoopPrefix, web::CoopPath(ShopName(w, w.coop_c), w.coop_c));
    return r;
  }));
  rows.push_back(Get("/robots.txt", "", kEveryone));
  rows.push_back(Get("/sitemap.xml", "", kEveryone, kAnywhere, [](AuthzWorld& w) {
    const std::int64_t draft = MakeProduct(w, w.shop_a, w.UserId(A::kOwner), catalog::ProductStatus::kDraft);
    AuthzRequest r;
    r.after = [draft](AuthzWorld& w, const ClientResponse& response) {
      EXPECT_FALSE(Contains(response, web::ProductPath(ProductName(w, draft), draft)))
          << "a draft in the sitemap";
    };
    return r;
  }));

  // ------------------------------------------------------------ accounts
  // A signed-in visitor has nothing to do on the sign-in page.
  rows.push_back(Get("/dang-nhap", "", Expect{200, 303, 303, 303, 303, 303, 303, 303, 303},
                     Where{nullptr, "/", "/", "/", "/", "/", "/", "/", "/"}));
  rows.push_back(Get("/dang-ky", "", kEveryone));
  rows.push_back(Get("/xac-minh", "", kSignedIn, kSignedInWhere));
  rows.push_back(Get("/quen-mat-khau", "", kEveryone));
  rows.push_back(Get("/nhan-tai-khoan", "", kEveryone));

  // An account of its own per row, so sign-in limits per phone play no part.
  AddPost(
      rows, "/dang-nhap", "another account's password", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
      Where{"/", "/", "/", "/", "/", "/", "/", "/", "/"},
      [](AuthzWorld& w, bool) {
        const TestUser user = w.world.CreateUser("Người Đăng Nhập");
        AuthzRequest r;
        r.form = "phone=" + Encode(user.phone) + "&password=" + Encode(kTestPassword) + "&next=%2F";
        r.csrf_page = "/dang-ky";  // a form page every actor may open
        return r;
      },
      VisitorToken::kRequired);
  AddPost(
      rows, "/dang-ky", "a new phone", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
      Where{"/xac-minh?next=%2F", "/xac-minh?next=%2F", "/xac-minh?next=%2F", "/xac-minh?next=%2F",
            "/xac-minh?next=%2F", "/xac-minh?next=%2F", "/xac-minh?next=%2F", "/xac-minh?next=%2F",
            "/xac-minh?next=%2F"},
      [](AuthzWorld&, bool) {
        AuthzRequest r;
        r.form = "full_name=" + Encode("Trần Thị Lan") + "&phone=" + FreshPhone() +
                 "&password=Ca-phe-sua-da-99&next=%2F";
        r.csrf_page = "/dang-ky";
        return r;
      },
      VisitorToken::kRequired);
  AddPost(rows, "/xac-minh", "a wrong code", Expect{303, 422, 422, 422, 422, 422, 422, 422, 422},
          kSignedInWhere, [](AuthzWorld&, bool) {
            AuthzRequest r;
            r.form = "code=000000&next=%2F";
            return r;
          });
  AddPost(rows, "/xac-minh/gui-lai", "", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{kSignIn, "/xac-minh?gui-lai=1", "/xac-minh?gui-lai=1", "/xac-minh?gui-lai=1",
                "/xac-minh?gui-lai=1", "/xac-minh?gui-lai=1", "/xac-minh?gui-lai=1", "/xac-minh?gui-lai=1",
                "/xac-minh?gui-lai=1"},
          [](AuthzWorld&, bool) {
            AuthzRequest r;
            r.form = "next=%2F";
            return r;
          });
  AddPost(rows, "/quen-mat-khau", "a new phone", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{"/quen-mat-khau?phone=", "/quen-mat-khau?phone=", "/quen-mat-khau?phone=",
                "/quen-mat-khau?phone=", "/quen-mat-khau?phone=", "/quen-mat-khau?phone=",
                "/quen-mat-khau?phone=", "/quen-mat-khau?phone=", "/quen-mat-khau?phone="},
          [](AuthzWorld&, bool) {
            AuthzRequest r;
            r.form = "phone=" + FreshPhone();
            return r;
          });
  AddPost(rows, "/quen-mat-khau/dat-lai", "no code sent", Expect{422, 422, 422, 422, 422, 422, 422, 422, 422},
          kAnywhere, [](AuthzWorld& w, bool) {
            AuthzRequest r;
            r.form = "phone=" + Encode(w.cast.spare.phone) + "&code=123456&password=Mat-khau-moi-2025";
            return r;
          });
  AddPost(rows, "/nhan-tai-khoan", "no code sent", Expect{422, 422, 422, 422, 422, 422, 422, 422, 422},
          kAnywhere, [](AuthzWorld&, bool) {
            AuthzRequest r;
            r.form = "phone=" + FreshPhone() + "&code=123456&password=Mat-khau-moi-2025";
            return r;
          });
  // Signing out ends the session; a forged sign-out does not.
  AddPost(rows, "/dang-xuat", "", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{"/", "/", "/", "/", "/", "/", "/", "/", "/"}, [](AuthzWorld&, bool forged) {
            AuthzRequest r;
            r.after = [forged](AuthzWorld& w, const ClientResponse&) {
              if (w.session_token.empty()) return;
              const bool ended = !w.world.accounts().Authenticate(w.session_token).ok();
              EXPECT_EQ(ended, !forged) << "session ended";
            };
            return r;
          });

  // ------------------------------------------------------------ cart, checkout, orders
  rows.push_back(Get("/gio-hang", "", kEveryone));
  AddPost(rows, "/gio-hang/them", "an active product", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{"/gio-hang?da-them=1", "/gio-hang?da-them=1", "/gio-hang?da-them=1", "/gio-hang?da-them=1",
                "/gio-hang?da-them=1", "/gio-hang?da-them=1", "/gio-hang?da-them=1", "/gio-hang?da-them=1",
                "/gio-hang?da-them=1"},
          [](AuthzWorld& w, bool forged) {
            const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(A::kOwner));
            AuthzRequest r;
            r.form = "product_id=" + std::to_string(product) + "&quantity=2";
            r.after = [forged, product](AuthzWorld& w, const ClientResponse&) {
              if (w.actor == A::kAnonymous) return;
              auto cart = Services(w).carts->Get(orders::CartOwner{w.UserId(w.actor), ""});
              ASSERT_TRUE(cart.ok());
              bool has = false;
              for (const auto& shop : cart->shops) {
                for (const auto& line : shop.lines) has = has || line.product_id == product;
              }
              EXPECT_EQ(has, !forged) << "in the actor's cart";
            };
            return r;
          });
  AddPost(rows, "/gio-hang/sua", "a line of the actor's cart",
          Expect{303, 303, 303, 303, 303, 303, 303, 303, 303}, kAnywhere, [](AuthzWorld& w, bool) {
            const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(A::kOwner));
            if (w.actor != A::kAnonymous) {
              if (!Services(w).carts->Add(orders::CartOwner{w.UserId(w.actor), ""}, product, 1).ok()) {
                throw std::runtime_error("cart add");
              }
            }
            AuthzRequest r;
            r.form = "product_id=" + std::to_string(product) + "&quantity=3";
            return r;
          });
  rows.push_back(Get("/thanh-toan", "", kSignedIn, kSignedInWhere));
  // A product of a shop none of the cast runs, in the actor's cart.
  AddPost(rows, "/thanh-toan", "cash on delivery", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{kSignIn, "/dat-hang-thanh-cong?ma=", "/dat-hang-thanh-cong?ma=", "/dat-hang-thanh-cong?ma=",
                "/dat-hang-thanh-cong?ma=", "/dat-hang-thanh-cong?ma=", "/dat-hang-thanh-cong?ma=",
                "/dat-hang-thanh-cong?ma=", "/dat-hang-thanh-cong?ma="},
          [](AuthzWorld& w, bool forged) {
            const std::int64_t spare_shop =
                w.world.CreateShop(w.cast.spare.id, SellerType::kHousehold, kCommuneIn, "Vườn chè dự phòng");
            const std::int64_t product = MakeProduct(w, spare_shop, w.cast.spare.id);
            if (w.actor != A::kAnonymous) {
              if (!Services(w).carts->Add(orders::CartOwner{w.UserId(w.actor), ""}, product, 1).ok()) {
                throw std::runtime_error("cart add");
              }
            }
            AuthzRequest r;
            r.form = "full_name=" + Encode("Nguyễn Thị Hoa") +
                     "&phone=0912345678&address_line=" + Encode("Số 5, tổ 3") +
                     "&province=19&commune_code=" + kCommuneIn + "&quoted=" + kCommuneIn +
                     "&idempotency_key=authz-web-" + FreshPhone();
            r.after = [forged, spare_shop](AuthzWorld& w, const ClientResponse&) {
              if (w.actor == A::kAnonymous) return;
              auto mine = Services(w).orders->ListForBuyer(w.world.PrincipalOf(w.UserId(w.actor)), {});
              ASSERT_TRUE(mine.ok());
              bool placed = false;
              for (const auto& order : mine->items)
                placed = placed || order.at("shop").value("id", std::int64_t{0}) == spare_shop;
              EXPECT_EQ(placed, !forged) << "an order from the spare shop";
            };
            return r;
          });
  rows.push_back(Get("/dat-hang-thanh-cong", "the buyer's checkout",
                     Expect{303, 200, 404, 404, 404, 404, 404, 404, 404}, kSignedInWhere, [](AuthzWorld& w) {
                       AuthzRequest r;
                       r.query = "ma=" + Encode(PlaceOrder(w).checkout_id);
                       return r;
                     }));
  rows.push_back(Get("/don-hang", "only one's own orders", kSignedIn, kSignedInWhere, [](AuthzWorld& w) {
    const PlacedOrder order = PlaceOrder(w);
    AuthzRequest r;
    r.after = [order](AuthzWorld& w, const ClientResponse& response) {
      if (response.status != 200) return;
      EXPECT_EQ(Contains(response, order.code), w.actor == A::kBuyer) << "the buyer's order " << order.code;
    };
    return r;
  }));
  rows.push_back(Get("/don-hang/{id}", "the buyer's order from shop_a",
                     Expect{303, 200, 200, 200, 404, 200, 200, 404, 200}, kSignedInWhere, [](AuthzWorld& w) {
                       AuthzRequest r;
                       r.params["id"] = std::to_string(PlaceOrder(w).id);
                       return r;
                     }));
  // Cancelling a placed order: the buyer, or whoever manages shop_a; to anyone
  // else the order does not exist.
  AddPost(rows, "/don-hang/{id}/trang-thai", "cancel the buyer's placed order",
          Expect{303, 303, 303, 303, 404, 303, 303, 404, 303}, kSignedInWhere,
          [](AuthzWorld& w, bool forged) {
            const PlacedOrder order = PlaceOrder(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(order.id);
            r.form = "to=cancelled&reason=" + Encode("Đổi ý");
            r.after = [forged, order](AuthzWorld& w, const ClientResponse& response) {
              const bool moves = Genuine(w, forged) && PartyOfOrder(w.actor);
              EXPECT_EQ(OrderStatus(w, order.id), moves ? "cancelled" : "placed");
              if (moves) {
                EXPECT_EQ(response.Header("location"), "/don-hang/" + std::to_string(order.id));
              }
            };
            return r;
          });

  // ------------------------------------------------------------ seller centre
  // With ?shop=shop_a: those who run shop_a see it; the other owner's centre
  // stays on shop_b and shows nothing of shop_a.
  auto centre_page = [](const std::string& route, const std::string& note) {
    return Get(route, note, kCentreChosen, kCentreChosenWhere, [](AuthzWorld& w) {
      AuthzRequest r;
      r.query = ShopAQuery(w);
      r.after = [](AuthzWorld& w, const ClientResponse& response) {
        if (response.status != 200) return;
        const std::string shop_a_page = web::ShopPath(ShopName(w, w.shop_a), w.shop_a);
        EXPECT_EQ(Contains(response, "\"" + shop_a_page + "\""), RunsChosenShopA(w.actor))
            << "link to " << shop_a_page;
        // An officer running the household's shop is told so on the page.
        EXPECT_EQ(Contains(response, "thay cho hộ sản xuất"), In(w.actor, {A::kOfficerIn, A::kProvinceAdmin}))
            << "the banner of an officer acting for the household";
      };
      return r;
    });
  };
  rows.push_back(centre_page("/kenh-ban", "shop_a chosen"));
  rows.push_back(
      Get("/kenh-ban/san-pham", "shop_a chosen", kCentreChosen, kCentreChosenWhere, [](AuthzWorld& w) {
        const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(A::kOwner));
        AuthzRequest r;
        r.query = ShopAQuery(w);
        r.after = [product](AuthzWorld& w, const ClientResponse& response) {
          if (response.status != 200) return;
          const std::string edit = "/kenh-ban/san-pham/" + std::to_string(product) + "\"";
          EXPECT_EQ(Contains(response, edit), RunsChosenShopA(w.actor)) << "shop_a's product listed";
        };
        return r;
      }));
  rows.push_back(centre_page("/kenh-ban/san-pham/moi", "shop_a chosen"));
  rows.push_back(centre_page("/kenh-ban/chung-nhan", "shop_a chosen"));
  // The certificate form posts multipart with the evidence file as a part.
  {
    constexpr const char* kSent = "/kenh-ban/chung-nhan?da-gui=";
    AddPost(rows, "/kenh-ban/chung-nhan", "shop_a chosen, its product",
            Expect{303, 303, 303, 303, 422, 303, 303, 303, 303},
            Where{kSignIn, kOpenShop, kSent, kSent, nullptr, kSent, kSent, kOpenShop, kSent},
            [](AuthzWorld& w, bool forged) {
              static std::atomic<int> n{0};
              const std::string number = "VietGAP-AUTHZ-" + std::to_string(n.fetch_add(1));
              const std::int64_t today = Services(w).quality->certificates.Today();
              AuthzRequest r;
              r.query = ShopAQuery(w);
              r.multipart = {{"kind", "vietgap"},
                             {"number", number},
                             {"issuer", "Trung tâm Kiểm nghiệm Thái Nguyên"},
                             {"issued_on", timefmt::IsoDate(today - 30)},
                             {"expires_on", timefmt::IsoDate(today + 300)},
                             {"product_id", std::to_string(MakeProduct(w, w.shop_a, w.UserId(A::kOwner)))},
                             // The runner writes name="<name>": this name carries the file name too.
                             {"evidence\"; filename=\"giay-chung-nhan.pdf", quality::testing::SamplePdf()}};
              r.after = [forged, number](AuthzWorld& w, const ClientResponse&) {
                const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
                auto listed = Services(w).quality->certificates.ListForShop(&owner, w.shop_a);
                ASSERT_TRUE(listed.ok());
                bool submitted = false;
                for (const auto& certificate : *listed) submitted = submitted || certificate.number == number;
                EXPECT_EQ(submitted, Genuine(w, forged) && RunsChosenShopA(w.actor))
                    << "submitted for shop_a";
              };
              return r;
            });
  }
  // The IP Office's grant of shop_a's filed trademark, from the form under it;
  // the service decides who may (the other owner's centre runs shop_b: 404).
  {
    constexpr const char* kDone = "/kenh-ban/chung-nhan?da-cap-nhat=";
    AddPost(rows, "/kenh-ban/chung-nhan/{id}/nhan-hieu", "shop_a's filed trademark, granted",
            Expect{303, 303, 303, 303, 404, 303, 303, 303, 303},
            Where{kSignIn, kOpenShop, kDone, kDone, nullptr, kDone, kDone, kOpenShop, kDone},
            [](AuthzWorld& w, bool forged) {
              static std::atomic<int> n{0};
              const int serial = 20000 + n.fetch_add(1);
              quality::CertificateInput input;
              input.kind = "trademark";
              input.issuer = "Cục Sở hữu trí tuệ";
              input.trademark.application_number = "4-2023-" + std::to_string(serial);
              input.trademark.filing_date = timefmt::IsoDate(Services(w).quality->certificates.Today() - 400);
              input.trademark.trademark_status = "filed";
              input.product_ids = {MakeProduct(w, w.shop_a, w.UserId(A::kOwner))};
              const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
              auto filed = Services(w).quality->certificates.Submit(&owner, w.shop_a, std::move(input));
              if (!filed.ok()) throw std::runtime_error("file trademark: " + filed.error().detail);
              const std::int64_t id = filed->certificate.id;
              const std::string number = "VB-AUTHZ-" + std::to_string(serial);
              AuthzRequest r;
              r.query = ShopAQuery(w);
              r.params["id"] = std::to_string(id);
              r.form = "trademark_status=granted&number=" + number;
              r.after = [forged, id, number](AuthzWorld& w, const ClientResponse&) {
                const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
                auto certificate = Services(w).quality->certificates.Get(&owner, id);
                ASSERT_TRUE(certificate.ok());
                const bool may = Genuine(w, forged) &&
                                 !In(w.actor, {A::kAnonymous, A::kBuyer, A::kOtherOwner, A::kOfficerOut});
                EXPECT_EQ(certificate->number == number, may) << "granted by " << static_cast<int>(w.actor);
              };
              return r;
            });
  }
  rows.push_back(Get("/kenh-ban/san-pham/{id}", "shop_a's product",
                     Expect{303, 303, 200, 200, 404, 200, 303, 303, 303}, kCentreWhere, [](AuthzWorld& w) {
                       AuthzRequest r;
                       r.params["id"] = std::to_string(MakeProduct(w, w.shop_a, w.UserId(A::kOwner)));
                       return r;
                     }));
  // The product forms post multipart; the CSRF token is a part.
  AddPost(rows, "/kenh-ban/san-pham/moi", "shop_a chosen",
          Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{kSignIn, kOpenShop, "/kenh-ban/san-pham?da-luu=1", "/kenh-ban/san-pham?da-luu=1",
                "/kenh-ban/san-pham?da-luu=1", "/kenh-ban/san-pham?da-luu=1", "/kenh-ban/san-pham?da-luu=1",
                kOpenShop, "/kenh-ban/san-pham?da-luu=1"},
          [](AuthzWorld& w, bool forged) {
            static std::atomic<int> n{0};
            const std::string name = "Chè mới số " + std::to_string(n.fetch_add(1));
            AuthzRequest r;
            r.query = ShopAQuery(w);
            r.multipart = {{"name", name},          {"price_vnd", "90000"}, {"stock", "10"},
                           {"weight_grams", "500"}, {"unit", "kg"},         {"category", "tea-green"},
                           {"status", "active"}};
            r.after = [forged, name](AuthzWorld& w, const ClientResponse&) {
              catalog::SellerListOptions options;
              options.limit = catalog::kMaxPageSize;
              const Principal owner = w.world.PrincipalOf(w.UserId(A::kOwner));
              auto page = Services(w).catalog->catalog.ListForSeller(&owner, w.shop_a, options);
              ASSERT_TRUE(page.ok());
              bool created = false;
              for (const auto& product : page->items) created = created || product.name == name;
              EXPECT_EQ(created, Genuine(w, forged) && RunsChosenShopA(w.actor)) << "created in shop_a";
            };
            return r;
          });
  AddPost(rows, "/kenh-ban/san-pham/{id}", "shop_a's product",
          Expect{303, 303, 303, 303, 404, 303, 303, 303, 303},
          Where{kSignIn, kOpenShop, "/kenh-ban/san-pham/", "/kenh-ban/san-pham/", nullptr,
                "/kenh-ban/san-pham/", kOpenShop, kOpenShop, kOpenShop},
          [](AuthzWorld& w, bool forged) {
            const std::int64_t product = MakeProduct(w, w.shop_a, w.UserId(A::kOwner));
            const std::string before = ProductName(w, product);
            AuthzRequest r;
            r.params["id"] = std::to_string(product);
            r.multipart = {{"name", "Chè đã sửa"},  {"price_vnd", "95000"}, {"stock", "9"},
                           {"weight_grams", "500"}, {"unit", "kg"},         {"category", "tea-green"},
                           {"status", "active"}};
            r.after = [forged, product, before](AuthzWorld& w, const ClientResponse&) {
              const bool edits = Genuine(w, forged) && RunsShopA(w.actor);
              EXPECT_EQ(ProductName(w, product), edits ? "Chè đã sửa" : before);
            };
            return r;
          });
  rows.push_back(
      Get("/kenh-ban/don-hang", "shop_a chosen", kCentreChosen, kCentreChosenWhere, [](AuthzWorld& w) {
        const PlacedOrder order = PlaceOrder(w);
        AuthzRequest r;
        r.query = ShopAQuery(w);
        r.after = [order](AuthzWorld& w, const ClientResponse& response) {
          if (response.status != 200) return;
          EXPECT_EQ(Contains(response, order.code), RunsChosenShopA(w.actor))
              << "shop_a's order " << order.code;
        };
        return r;
      }));
  rows.push_back(Get("/kenh-ban/don-hang/{id}", "the buyer's order from shop_a",
                     Expect{303, 303, 200, 200, 404, 200, 303, 303, 303}, kCentreWhere, [](AuthzWorld& w) {
                       AuthzRequest r;
                       r.params["id"] = std::to_string(PlaceOrder(w).id);
                       return r;
                     }));
  // Confirming is the shop's move: the buyer is sent back with an error, those
  // who are no party get 404, and only the shop's side moves the order.
  AddPost(rows, "/kenh-ban/don-hang/{id}/trang-thai", "confirm the buyer's placed order",
          Expect{303, 303, 303, 303, 404, 303, 303, 404, 303}, kSignedInWhere,
          [](AuthzWorld& w, bool forged) {
            const PlacedOrder order = PlaceOrder(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(order.id);
            r.form = "to=confirmed";
            r.after = [forged, order](AuthzWorld& w, const ClientResponse& response) {
              const bool moves = Genuine(w, forged) && PartyOfOrder(w.actor) && w.actor != A::kBuyer;
              EXPECT_EQ(OrderStatus(w, order.id), moves ? "confirmed" : "placed");
              if (w.actor == A::kBuyer && !forged) {
                EXPECT_NE(response.Header("location").find("loi="), std::string::npos)
                    << "sent back with an error";
              }
            };
            return r;
          });
  rows.push_back(
      Get("/kenh-ban/cua-hang", "shop_a chosen", kCentreChosen, kCentreChosenWhere, [](AuthzWorld& w) {
        AuthzRequest r;
        r.query = ShopAQuery(w);
        r.after = [](AuthzWorld& w, const ClientResponse& response) {
          if (response.status != 200) return;
          EXPECT_EQ(Contains(response, w.Phone(A::kStaff)), RunsChosenShopA(w.actor))
              << "shop_a's staff listed";
        };
        return r;
      }));
  // Settings: the owner, the cooperative manager, and the officer of the
  // commune or the province admin on the household's behalf (as PATCH
  // /api/v1/sellers/{id}); staff may not. The other owner's form saves shop_b.
  AddPost(rows, "/kenh-ban/cua-hang", "shop_a chosen", Expect{303, 303, 303, 403, 303, 303, 303, 303, 303},
          Where{kSignIn, kOpenShop, "/kenh-ban/cua-hang?da-luu=1", nullptr, "/kenh-ban/cua-hang?da-luu=1",
                "/kenh-ban/cua-hang?da-luu=1", "/kenh-ban/cua-hang?da-luu=1", kOpenShop,
                "/kenh-ban/cua-hang?da-luu=1"},
          [](AuthzWorld& w, bool forged) {
            const std::string before = ShopName(w, w.shop_a);
            AuthzRequest r;
            r.query = ShopAQuery(w);
            r.form = "name=" + Encode("Chè Hảo Đạt mới") + "&address_line=" + Encode("Xóm Nam Đồng") +
                     "&description=" + Encode("Chè búp khô loại 1");
            r.after = [forged, before](AuthzWorld& w, const ClientResponse&) {
              const bool saves = Genuine(w, forged) &&
                                 In(w.actor, {A::kOwner, A::kCoopManager, A::kOfficerIn, A::kProvinceAdmin});
              EXPECT_EQ(ShopName(w, w.shop_a), saves ? "Chè Hảo Đạt mới" : before);
            };
            return r;
          });
  // Resubmitting shop_a after an officer sent it back: those who run it (as
  // the sellers service says); the other owner's centre is on shop_b, which
  // was not sent back (409).
  AddPost(rows, "/kenh-ban/cua-hang/gui-lai", "shop_a sent back",
          Expect{303, 303, 303, 303, 409, 303, 303, 303, 303},
          Where{kSignIn, kOpenShop, "/kenh-ban?gui-lai=1", "/kenh-ban?gui-lai=1", nullptr,
                "/kenh-ban?gui-lai=1", "/kenh-ban?gui-lai=1", kOpenShop, "/kenh-ban?gui-lai=1"},
          [](AuthzWorld& w, bool forged) {
            const Principal officer = w.world.PrincipalOf(w.UserId(A::kOfficerIn));
            auto sent_back =
                Services(w).sellers->Reject(officer, w.shop_a, "Ảnh giấy phép bị mờ", {"127.0.0.1", "authz"});
            if (!sent_back.ok()) throw std::runtime_error("reject: " + sent_back.error().detail);
            AuthzRequest r;
            r.query = ShopAQuery(w);
            r.after = [forged](AuthzWorld& w, const ClientResponse&) {
              auto shop = Services(w).sellers->Get(w.shop_a);
              ASSERT_TRUE(shop.ok());
              EXPECT_EQ(shop->AwaitingCorrection(), !(Genuine(w, forged) && RunsChosenShopA(w.actor)));
            };
            return r;
          });
  // Staff: only the owner adds (POST /api/v1/sellers/{id}/staff); the owner
  // or the staff member themself removes (DELETE …/staff/{user_id}).
  AddPost(rows, "/kenh-ban/nhan-vien", "the spare account to shop_a",
          Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{kSignIn, kOpenShop, "/kenh-ban/cua-hang", "/kenh-ban/cua-hang?loi=", nullptr,
                "/kenh-ban/cua-hang?loi=", "/kenh-ban/cua-hang?loi=", kOpenShop, "/kenh-ban/cua-hang?loi="},
          [](AuthzWorld& w, bool forged) {
            AuthzRequest r;
            r.query = ShopAQuery(w);
            r.form = "staff_phone=" + Encode(w.cast.spare.phone);
            r.after = [forged](AuthzWorld& w, const ClientResponse& response) {
              const bool adds = Genuine(w, forged) && w.actor == A::kOwner;
              EXPECT_EQ(IsStaffOfShopA(w, w.cast.spare.id), adds) << "spare is staff of shop_a";
              if (adds) {
                EXPECT_EQ(response.Header("location"), "/kenh-ban/cua-hang");
              }
            };
            return r;
          });
  AddPost(rows, "/kenh-ban/nhan-vien/xoa", "shop_a's staff member",
          Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{kSignIn, kOpenShop, "/kenh-ban/cua-hang", "/kenh-ban/cua-hang", nullptr,
                "/kenh-ban/cua-hang?loi=", "/kenh-ban/cua-hang?loi=", kOpenShop, "/kenh-ban/cua-hang?loi="},
          [](AuthzWorld& w, bool forged) {
            AuthzRequest r;
            r.query = ShopAQuery(w);
            r.form = "user_id=" + std::to_string(w.UserId(A::kStaff));
            r.after = [forged](AuthzWorld& w, const ClientResponse&) {
              const bool removes = Genuine(w, forged) && In(w.actor, {A::kOwner, A::kStaff});
              EXPECT_EQ(IsStaffOfShopA(w, w.UserId(A::kStaff)), !removes) << "staff still in shop_a";
            };
            return r;
          });
  rows.push_back(Get("/kenh-ban/mo-cua-hang", "", kSignedIn, kSignedInWhere));
  AddPost(rows, "/kenh-ban/mo-cua-hang", "a household", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
          Where{kSignIn, "/kenh-ban?shop=", "/kenh-ban?shop=", "/kenh-ban?shop=", "/kenh-ban?shop=",
                "/kenh-ban?shop=", "/kenh-ban?shop=", "/kenh-ban?shop=", "/kenh-ban?shop="},
          [](AuthzWorld&, bool) {
            AuthzRequest r;
            r.form = "name=" + Encode("Chè Hảo Đạt") +
                     "&type=household&province=19&commune_code=" + kCommuneIn +
                     "&address_line=" + Encode("Xóm Nam Đồng");
            return r;
          });
  rows.push_back(Get("/dang-ky-ban-hang", "", Expect{303, 303, 303, 303, 303, 303, 303, 303, 303},
                     Where{kOpenShop, kOpenShop, kOpenShop, kOpenShop, kOpenShop, kOpenShop, kOpenShop,
                           kOpenShop, kOpenShop}));

  // ------------------------------------------------------------ officers
  // As GET /api/v1/officer/sellers and POST /api/v1/officer/households.
  rows.push_back(Get("/can-bo", "", Expect{303, 403, 403, 403, 403, 403, 200, 200, 200}, kSignedInWhere));
  AddPost(rows, "/can-bo", "a household in the officer's commune",
          Expect{303, 403, 403, 403, 403, 403, 303, 403, 303},
          Where{kSignIn, nullptr, nullptr, nullptr, nullptr, nullptr, "/can-bo?da-tao=", nullptr,
                "/can-bo?da-tao="},
          [](AuthzWorld&, bool forged) {
            const std::string phone = FreshPhone();
            AuthzRequest r;
            r.form = "full_name=" + Encode("Hộ Lò Thị Mai") + "&phone=" + phone +
                     "&shop_name=" + Encode("Miến dong Mai") + "&province=19&commune_code=" + kCommuneIn +
                     "&address_line=" + Encode("Bản Nà");
            r.after = [forged, phone](AuthzWorld& w, const ClientResponse&) {
              const bool onboards = Genuine(w, forged) && In(w.actor, {A::kOfficerIn, A::kProvinceAdmin});
              auto shops = Services(w).sellers->FindByPhone(phone);
              ASSERT_TRUE(shops.ok());
              EXPECT_EQ(!shops->empty(), onboards) << "a shop for " << phone;
            };
            return r;
          });
  return rows;
}

}  // namespace nongsan::testing
