// Authorization rows of the review pages: only the buyer of an order reviews
// its products (the shop and officers see the order, but its review form is
// "not found" to them), and only once it is delivered; anyone signed in may
// report a review; the shop's people, and officers helping it, reply; the
// officers of the shop's area decide reported reviews and complaints.
#include <atomic>
#include <stdexcept>

#include "orders/order_service.hpp"
#include "orders/orders_test_support.hpp"
#include "quality/quality_module.hpp"
#include "web/web_authz_rows.hpp"

namespace nongsan::testing {
namespace {

using namespace pages;
using A = Actor;

Principal As(AuthzWorld& w, Actor a) { return w.world.PrincipalOf(w.UserId(a)); }

std::string Unique() {
  static std::atomic<int> next{0};
  return std::to_string(next.fetch_add(1));
}

struct BuyerOrder {
  std::int64_t order_id = 0;
  std::int64_t product_id = 0;
};

// kBuyer's order of a new shop_a product; moved by the owner to delivered
// when `deliver`.
BuyerOrder Order(AuthzWorld& w, bool deliver) {
  BuyerOrder o;
  o.product_id = MakeAuthzProduct(w, w.shop_a);
  auto& orders = *Services(w).orders;
  auto placed = orders.Checkout(As(w, A::kBuyer), "review-pages-" + Unique(),
                                orders::testing::CheckoutBody({{o.product_id, 1}}));
  if (!placed.ok()) throw std::runtime_error("checkout: " + placed.error().detail);
  o.order_id = placed->body.at("orders").at(0).at("id").get<std::int64_t>();
  if (!deliver) return o;
  const Principal owner = As(w, A::kOwner);
  for (const char* to : {"confirmed", "packed", "shipped", "delivered"}) {
    orders::TransitionInput move;
    move.to = to;
    if (std::string_view(to) == "shipped") move.tracking_code = "VNP" + Unique();
    if (!orders.Transition(owner, o.order_id, move).ok())
      throw std::runtime_error(std::string("order to ") + to);
  }
  return o;
}

quality::Review PublishedReview(AuthzWorld& w) {
  const BuyerOrder o = Order(w, true);
  quality::ReviewInput input;
  input.order_id = o.order_id;
  input.product_id = o.product_id;
  input.rating = 4;
  input.body = "Chè thơm, đóng gói cẩn thận";
  const Principal buyer = As(w, A::kBuyer);
  auto review = Services(w).quality->reviews.Create(&buyer, std::move(input));
  if (!review.ok()) throw std::runtime_error("review: " + review.error().detail);
  return *review;
}

// The review above, reported by the spare account: waiting for an officer.
quality::Review ReportedReview(AuthzWorld& w) {
  const quality::Review review = PublishedReview(w);
  const Principal reporter = w.world.PrincipalOf(w.cast.spare.id);
  auto reported = Services(w).quality->reviews.Report(&reporter, review.id, "Đánh giá không đúng sự thật");
  if (!reported.ok()) throw std::runtime_error("report: " + reported.error().detail);
  return *reported;
}

quality::Complaint OpenComplaint(AuthzWorld& w) {
  const BuyerOrder o = Order(w, true);
  quality::ComplaintInput input;
  input.order_id = o.order_id;
  input.product_id = o.product_id;
  input.body = "Chè bị ẩm mốc, có mùi lạ khi mở gói";
  const Principal buyer = As(w, A::kBuyer);
  auto filed = Services(w).quality->complaints.File(&buyer, std::move(input));
  if (!filed.ok()) throw std::runtime_error("complaint: " + filed.error().detail);
  return *filed;
}

std::size_t ReviewsOf(AuthzWorld& w, std::int64_t product_id) {
  auto page = Services(w).quality->reviews.ForProduct(product_id, "", 10);
  if (!page.ok()) throw std::runtime_error("reviews: " + page.error().detail);
  return page->items.size();
}

AuthzRequest ReviewForm(AuthzWorld& w, bool forged, bool delivered) {
  const BuyerOrder o = Order(w, delivered);
  AuthzRequest r;
  r.params["id"] = std::to_string(o.order_id);
  r.multipart = {{"product_id", std::to_string(o.product_id)}, {"rating", "5"}, {"text", "Rất ngon"}};
  r.csrf_page = "/";
  r.after = [forged, delivered, product = o.product_id](AuthzWorld& w, const ClientResponse&) {
    const bool reviewed = delivered && !forged && w.actor == A::kBuyer;
    EXPECT_EQ(ReviewsOf(w, product), reviewed ? 1u : 0u) << "a review stored";
  };
  return r;
}

// anon buyer owner staff other coop offIn offOut admin
constexpr Expect kBuyerOnly{kSeeOther, 200, 404, 404, 404, 404, 404, 404, 404};
// Run with ?shop=shop_a: its people and the officers helping it; the other
// owner runs their own shop; the buyer and the other officer open one.
constexpr Expect kShopCentre{kSeeOther, kSeeOther, 200, 200, 200, 200, 200, kSeeOther, 200};

}  // namespace

NONGSAN_AUTHZ_CASES(review_pages) {
  AuthzCaseList rows;
  rows.push_back(Get("/don-hang/{id}/danh-gia", "the buyer's delivered order", kBuyerOnly, kSignedInWhere,
                     [](AuthzWorld& w) {
                       const BuyerOrder o = Order(w, true);
                       AuthzRequest r;
                       r.params["id"] = std::to_string(o.order_id);
                       r.query = "san-pham=" + std::to_string(o.product_id);
                       return r;
                     }));
  AddPost(rows, "/don-hang/{id}/danh-gia", "the buyer's delivered order",
          Expect{kSeeOther, kSeeOther, 404, 404, 404, 404, 404, 404, 404}, Where{kSignIn, "/san-pham/"},
          [](AuthzWorld& w, bool forged) { return ReviewForm(w, forged, true); });
  // Not delivered yet: the buyer's form comes back with the reason.
  AddPost(rows, "/don-hang/{id}/danh-gia", "the buyer's order, not delivered",
          Expect{kSeeOther, 422, 404, 404, 404, 404, 404, 404, 404}, Where{kSignIn},
          [](AuthzWorld& w, bool forged) { return ReviewForm(w, forged, false); });
  AddPost(rows, "/danh-gia/{id}/bao-cao", "a published review",
          Expect{kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther,
                 kSeeOther},
          Where{kSignIn, "/san-pham/", "/san-pham/", "/san-pham/", "/san-pham/", "/san-pham/", "/san-pham/",
                "/san-pham/", "/san-pham/"},
          [](AuthzWorld& w, bool forged) {
            const quality::Review review = PublishedReview(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(review.id);
            r.form = "reason=" + Encode("Đánh giá không đúng sự thật") +
                     "&back=" + Encode("/san-pham/x-" + std::to_string(review.product_id));
            r.after = [forged, id = review.id](AuthzWorld& w, const ClientResponse&) {
              const Principal officer = As(w, A::kOfficerIn);
              auto seen = Services(w).quality->reviews.Get(&officer, id);
              ASSERT_TRUE(seen.ok());
              EXPECT_EQ(seen->report_count, Genuine(w, forged) && w.actor != A::kAnonymous ? 1 : 0);
            };
            return r;
          });
  // "Hữu ích": anyone signed in but the review's author (the buyer), who is
  // told so on the product page; one vote each.
  AddPost(rows, "/danh-gia/{id}/huu-ich", "a published review by the buyer",
          Expect{kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther, kSeeOther,
                 kSeeOther},
          Where{kSignIn, "/san-pham/", "/san-pham/", "/san-pham/", "/san-pham/", "/san-pham/", "/san-pham/",
                "/san-pham/", "/san-pham/"},
          [](AuthzWorld& w, bool forged) {
            const quality::Review review = PublishedReview(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(review.id);
            r.form = "back=" + Encode("/san-pham/x-" + std::to_string(review.product_id));
            r.after = [forged, id = review.id](AuthzWorld& w, const ClientResponse&) {
              auto counts = Services(w).quality->votes.Counts({id});
              ASSERT_TRUE(counts.ok());
              const bool counts_vote = Genuine(w, forged) && w.actor != A::kAnonymous && w.actor != A::kBuyer;
              EXPECT_EQ(counts->count(id) ? counts->at(id) : 0, counts_vote ? 1 : 0);
            };
            return r;
          });
  rows.push_back(Get("/kenh-ban/danh-gia", "shop_a chosen", kShopCentre, kAnywhere, [](AuthzWorld& w) {
    const quality::Review review = PublishedReview(w);
    AuthzRequest r;
    r.query = "shop=" + std::to_string(w.shop_a);
    r.after = [id = review.id](AuthzWorld& w, const ClientResponse& response) {
      if (response.status != 200) return;
      const bool runs_a =
          In(w.actor, {A::kOwner, A::kStaff, A::kCoopManager, A::kOfficerIn, A::kProvinceAdmin});
      EXPECT_EQ(Contains(response, "id=\"dg-" + std::to_string(id) + "\""), runs_a) << "shop_a's review";
    };
    return r;
  }));
  AddPost(rows, "/kenh-ban/danh-gia/{id}/tra-loi", "a published review of shop_a",
          Expect{kSeeOther, 403, kSeeOther, kSeeOther, 404, kSeeOther, kSeeOther, 404, kSeeOther},
          Where{kSignIn, nullptr, "/kenh-ban/danh-gia?da-tra-loi=1", "/kenh-ban/danh-gia?da-tra-loi=1",
                nullptr, "/kenh-ban/danh-gia?da-tra-loi=1", "/kenh-ban/danh-gia?da-tra-loi=1", nullptr,
                "/kenh-ban/danh-gia?da-tra-loi=1"},
          [](AuthzWorld& w, bool forged) {
            const quality::Review review = PublishedReview(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(review.id);
            r.form = "reply=" + Encode("Cảm ơn chị đã ủng hộ");
            r.after = [forged, id = review.id](AuthzWorld& w, const ClientResponse&) {
              const Principal officer = As(w, A::kOfficerIn);
              auto seen = Services(w).quality->reviews.Get(&officer, id);
              ASSERT_TRUE(seen.ok());
              const bool replies = Genuine(w, forged) && In(w.actor, {A::kOwner, A::kStaff, A::kCoopManager,
                                                                      A::kOfficerIn, A::kProvinceAdmin});
              EXPECT_EQ(seen->reply.has_value(), replies) << "the shop's reply";
            };
            return r;
          });

  // ---- the officials' page of reports and complaints
  // anon buyer owner staff other coop offIn offOut admin: as the API, the
  // buyer (a party) 403, those outside the area 404.
  constexpr Expect kOfficialsDecideParty{kSeeOther, 403, 403, 403, 404, 403, kSeeOther, 404, kSeeOther};
  const Where decided_where{kSignIn,
                            nullptr,
                            nullptr,
                            nullptr,
                            nullptr,
                            nullptr,
                            "/can-bo/bao-cao?xong=",
                            nullptr,
                            "/can-bo/bao-cao?xong="};
  rows.push_back(Get("/can-bo/bao-cao", "a reported review of shop_a",
                     Expect{kSeeOther, 403, 403, 403, 403, 403, 200, 200, 200}, kSignedInWhere,
                     [](AuthzWorld& w) {
                       const quality::Review review = ReportedReview(w);
                       AuthzRequest r;
                       r.after = [id = review.id](AuthzWorld& w, const ClientResponse& response) {
                         if (response.status != 200) return;
                         EXPECT_EQ(Contains(response, "id=\"dg-" + std::to_string(id) + "\""),
                                   In(w.actor, {A::kOfficerIn, A::kProvinceAdmin}))
                             << "only the officer's area";
                       };
                       return r;
                     }));
  AddPost(rows, "/can-bo/bao-cao/danh-gia/{id}", "reported, hidden", kOfficialsDecideParty, decided_where,
          [](AuthzWorld& w, bool forged) {
            const quality::Review review = ReportedReview(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(review.id);
            r.form = "decision=hide&reason=" + Encode("Nội dung xúc phạm cửa hàng");
            r.after = [forged, id = review.id](AuthzWorld& w, const ClientResponse&) {
              const Principal officer = As(w, A::kOfficerIn);
              auto seen = Services(w).quality->reviews.Get(&officer, id);
              ASSERT_TRUE(seen.ok());
              const bool hides = Genuine(w, forged) && In(w.actor, {A::kOfficerIn, A::kProvinceAdmin});
              EXPECT_EQ(seen->status == quality::ReviewStatus::kHidden, hides) << "hidden";
            };
            return r;
          });
  AddPost(rows, "/can-bo/bao-cao/khieu-nai/{id}", "open complaint", kOfficialsDecideParty, decided_where,
          [](AuthzWorld& w, bool forged) {
            const quality::Complaint complaint = OpenComplaint(w);
            AuthzRequest r;
            r.params["id"] = std::to_string(complaint.id);
            r.form = "resolution=upheld&note=" + Encode("Đã kiểm tra mẫu chè, bị ẩm");
            r.after = [forged, id = complaint.id](AuthzWorld& w, const ClientResponse&) {
              const Principal officer = As(w, A::kOfficerIn);
              auto seen = Services(w).quality->complaints.Get(&officer, id);
              ASSERT_TRUE(seen.ok());
              const bool resolves = Genuine(w, forged) && In(w.actor, {A::kOfficerIn, A::kProvinceAdmin});
              EXPECT_EQ(seen->status == quality::ComplaintStatus::kResolved, resolves) << "resolved";
            };
            return r;
          });
  return rows;
}

}  // namespace nongsan::testing
