// Authorization rows of the held-orders page (/can-bo/don-hang-tam-giu): the
// officer of shop_a's commune and the province admin list and decide; the
// officer of another commune sees an empty list and gets 404 for the order,
// as does anyone with no part in it; the shop's managers are refused (403).
// Rows check that a hold is lifted only by those allowed.
#include <atomic>
#include <stdexcept>

#include "orders/order_service.hpp"
#include "quality/held_order_pages.hpp"
#include "quality/quality_module.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using namespace pages;
using A = Actor;

// anon buyer owner staff other coop offIn offOut admin
constexpr Expect kList{kSeeOther, 403, 403, 403, 403, 403, 200, 200, 200};
constexpr Expect kDecide{kSeeOther, 404, 403, 403, 404, 403, kSeeOther, 404, kSeeOther};
constexpr Expect kDecideRefused{kSeeOther, 404, 403, 403, 404, 403, 422, 404, 422};
const Where kDecideWhere{kSignIn,
                         nullptr,
                         nullptr,
                         nullptr,
                         nullptr,
                         nullptr,
                         "/can-bo/don-hang-tam-giu",
                         nullptr,
                         "/can-bo/don-hang-tam-giu"};

Principal As(AuthzWorld& w, Actor a) { return w.world.PrincipalOf(w.UserId(a)); }

std::string Key() {
  static std::atomic<int> next{0};
  return "held-pages-" + std::to_string(next.fetch_add(1));
}

// An order of a new product of shop_a, held by suspending the product.
std::int64_t HeldOrder(AuthzWorld& w) {
  const std::int64_t product = MakeAuthzProduct(w, w.shop_a);
  nlohmann::json body = {{"items", {{{"product_id", product}, {"quantity", 1}}}},
                         {"shipping_address",
                          {{"full_name", "Nguyễn Thị Hoa"},
                           {"phone", "0912345678"},
                           {"address_line", "Số 5, tổ 3"},
                           {"commune_code", kCommuneIn}}},
                         {"payment_method", "cod"},
                         {"note", ""}};
  auto placed = Services(w).orders->Checkout(As(w, A::kBuyer), Key(), body);
  if (!placed.ok()) throw std::runtime_error("checkout: " + placed.error().detail);
  const Principal officer = As(w, A::kOfficerIn);
  auto suspended = Services(w).quality->complaints.Suspend(
      &officer, quality::EnforcementTarget::kProduct, product, "Mẫu kiểm nghiệm vượt dư lượng", std::nullopt);
  if (!suspended.ok()) throw std::runtime_error("suspend: " + suspended.error().detail);
  return placed->body["orders"][0]["id"].get<std::int64_t>();
}

// The table's world is shared by every module's rows and the list shows the
// oldest holds first: earlier rows' leftovers are released so that the row's
// own order is on the list.
void ReleaseEarlierHolds(AuthzWorld& w) {
  const Principal admin = As(w, A::kProvinceAdmin);
  for (;;) {
    auto held = Services(w).quality->held_orders.ForOfficer(&admin);
    if (!held.ok()) throw std::runtime_error("held orders: " + held.error().detail);
    if (held->items.empty()) return;
    for (const auto& view : held->items) {
      auto released = Services(w).quality->held_orders.Decide(
          &admin, view.order.id, quality::HoldOutcome::kRelease, "Dọn dữ liệu của bảng kiểm thử phân quyền");
      if (!released.ok()) throw std::runtime_error("release: " + released.error().detail);
    }
  }
}

bool StillHeld(AuthzWorld& w, std::int64_t order_id) {
  auto held = Services(w).orders->FindHeld(order_id);
  if (!held.ok()) throw std::runtime_error("held order: " + held.error().detail);
  return held->has_value();
}

AuthzRequest Decision(AuthzWorld& w, bool forged, const std::string& note) {
  const std::int64_t id = HeldOrder(w);
  AuthzRequest r;
  r.params["id"] = std::to_string(id);
  r.form = "reason=" + Encode(note);
  r.csrf_page = "/";
  const bool valid = note.size() >= quality::kMinReasonChars;
  r.after = [forged, id, valid](AuthzWorld& w, const ClientResponse&) {
    const bool decides = Genuine(w, forged) && valid && In(w.actor, {A::kOfficerIn, A::kProvinceAdmin});
    EXPECT_EQ(StillHeld(w, id), !decides);
  };
  return r;
}

}  // namespace

NONGSAN_AUTHZ_CASES(held_order_pages) {
  AuthzCaseList rows;
  const std::string path(quality::kHeldOrdersPath);
  rows.push_back(Get(path, "a held order of shop_a", kList, kSignedInWhere, [](AuthzWorld& w) {
    ReleaseEarlierHolds(w);
    const std::int64_t id = HeldOrder(w);
    AuthzRequest r;
    r.after = [id](AuthzWorld& w, const ClientResponse& response) {
      if (response.status != 200) return;
      EXPECT_EQ(Contains(response, "id=\"don-" + std::to_string(id) + "\""),
                In(w.actor, {A::kOfficerIn, A::kProvinceAdmin}))
          << "the list shows only the officer's area";
    };
    return r;
  }));
  AddPost(rows, path + "/{id}/tiep-tuc", "held order", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) { return Decision(w, forged, "Lô hàng của đơn đạt kiểm nghiệm"); });
  AddPost(rows, path + "/{id}/huy", "held order", kDecide, kDecideWhere,
          [](AuthzWorld& w, bool forged) { return Decision(w, forged, "Hàng giả nhãn, huỷ đơn"); });
  rows.push_back(Page("POST", path + "/{id}/huy", "no note", kDecideRefused, kDecideWhere,
                      [](AuthzWorld& w) { return Decision(w, false, ""); }));
  return rows;
}

}  // namespace nongsan::testing
