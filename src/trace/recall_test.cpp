// Lots on orders and recalls on both backends, over real HTTP with the real
// orders module: packing takes the lot with the earliest expiry (or the ones
// the shop names), a bad choice names its field and writes nothing, a recall
// notifies the buyer (in-app and the SMS outbox), stops the unshipped order
// from shipping, shows on the order and the provenance page, and the lot's
// order lines are listed for the shop and the officials of its area; a recalled
// lot's destruction is recorded once, as an EPCIS destroying event.
#include <gtest/gtest.h>

#include "accounts/auth.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::trace::testing {
namespace {

using nlohmann::json;
using orders::testing::CheckoutBody;
using orders::testing::Move;
using orders::testing::PostCheckout;

class LotsOnOrders : public TraceWorld {
 protected:
  std::int64_t NewLot(std::int64_t product, const orders::testing::Shop& shop, const std::string& code,
                      const std::string& expires_on, std::int64_t quantity) {
    json body = LotBody(code);
    body["expires_on"] = expires_on;
    body["quantity"] = quantity;
    auto res = app_->Client().Post(ProductPath(product) + "/lots", body, shop.owner.auth);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? res.Json()["id"].get<std::int64_t>() : 0;
  }
  // A confirmed order of `quantity` of tea by the buyer.
  std::int64_t ConfirmedOrder(std::int64_t quantity) {
    auto client = app_->Client();
    auto placed =
        PostCheckout(client, buyer_, "trace-" + std::to_string(++orders_), CheckoutBody({{tea_, quantity}}));
    EXPECT_EQ(placed.status, 201) << placed.body;
    if (placed.status != 201) return 0;
    const std::int64_t id = placed.Json()["orders"][0]["id"].get<std::int64_t>();
    EXPECT_EQ(Move(client, shop_.owner, id, "confirmed").status, 200);
    return id;
  }
  nongsan::testing::ClientResponse Pack(std::int64_t order, const json& lots) {
    json body = {{"to", "packed"}, {"lots", lots}};
    return app_->Client().Post("/api/v1/orders/" + std::to_string(order) + "/transitions", body.dump(),
                               shop_.owner.auth);
  }
  json Lot(std::int64_t id) {
    return app_->Client().Get("/api/v1/lots/" + std::to_string(id), shop_.owner.auth).Json();
  }
  int orders_ = 0;
};

TEST_P(LotsOnOrders, ShippingAndDeliveryAreRecordedAsEpcisEvents) {
  const std::int64_t lot = NewLot(tea_, shop_, "CHE-S", "2027-03-01", 10);
  const std::int64_t order = ConfirmedOrder(3);
  auto client = app_->Client();
  ASSERT_EQ(Pack(order, json::array()).status, 200);
  ASSERT_EQ(Move(client, shop_.owner, order, "shipped", "", "VN777").status, 200);
  ASSERT_EQ(Move(client, shop_.owner, order, "delivered").status, 200);

  auto res = client.Get("/api/v1/epcis/events?EQ_bizStep=shipping%7Creceiving");
  ASSERT_EQ(res.status, 200) << res.body;
  const json doc = res.Json();
  const json& events = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
  ASSERT_EQ(events.size(), 2u) << doc.dump(2);
  const std::string lot_uri =
      std::string(kBaseUrl) + "/truy-xuat/" + Lot(lot)["public_code"].get<std::string>();
  EXPECT_EQ(events[0]["bizStep"], "shipping");
  EXPECT_EQ(events[0]["quantityList"][0]["epcClass"], lot_uri);
  EXPECT_EQ(events[0]["quantityList"][0]["quantity"], 3);
  EXPECT_EQ(events[0]["bizLocation"]["id"], std::string(kBaseUrl) + "/dia-ban/" + kShopCommune);
  EXPECT_EQ(events[1]["bizStep"], "receiving");
  EXPECT_EQ(events[1]["quantityList"][0]["quantity"], 3);
  EXPECT_FALSE(events[1].contains("bizLocation"));  // the buyer's commune is not published
  EXPECT_EQ(SchemaComplaints(doc), "");
}

TEST_P(LotsOnOrders, PackingTakesTheEarliestExpiryOrTheChosenLot) {
  const std::int64_t late = NewLot(tea_, shop_, "CHE-A", "2027-03-01", 5);
  const std::int64_t early = NewLot(tea_, shop_, "CHE-B", "2026-12-15", 10);
  auto client = app_->Client();

  const std::int64_t first = ConfirmedOrder(3);
  auto packed = Move(client, shop_.owner, first, "packed");
  ASSERT_EQ(packed.status, 200) << packed.body;
  EXPECT_EQ(packed.Json()["lines"][0]["id"], 1);
  EXPECT_EQ(packed.Json()["lines"][0]["lots"][0]["lot_id"], early);
  EXPECT_EQ(Lot(early)["remaining"], 7);
  EXPECT_EQ(Lot(late)["remaining"], 5);

  const std::int64_t second = ConfirmedOrder(5);
  auto chosen = Pack(second, json::array({{{"line_id", 1}, {"lot_id", late}, {"quantity", 5}}}));
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(Lot(late)["remaining"], 0);
  EXPECT_EQ(Lot(late)["status"], "closed");
  // Nothing is packed yet from "early" beyond the first order.
  EXPECT_EQ(Lot(early)["remaining"], 7);
  // A lot something was packed from is fixed.
  EXPECT_EQ(
      client.Patch("/api/v1/lots/" + std::to_string(early), json{{"quantity", 50}}, shop_.owner.auth).status,
      409);
}

TEST_P(LotsOnOrders, CancellingAPackedOrderGivesItsQuantityBackToTheLot) {
  const std::int64_t lot = NewLot(tea_, shop_, "CHE-C", "2027-03-01", 4);
  const std::int64_t order = ConfirmedOrder(4);
  auto client = app_->Client();
  ASSERT_EQ(Pack(order, json::array()).status, 200);
  ASSERT_EQ(Lot(lot)["remaining"], 0);
  ASSERT_EQ(Lot(lot)["status"], "closed");
  auto listed = client.Get("/api/v1/lots/" + std::to_string(lot) + "/orders", shop_.owner.auth);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["items"].size(), 1u) << listed.body;

  auto cancelled = Move(client, shop_.owner, order, "cancelled", "Khách đổi ý trước khi gửi");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Lot(lot)["remaining"], 4);
  EXPECT_EQ(Lot(lot)["status"], "active");
  listed = client.Get("/api/v1/lots/" + std::to_string(lot) + "/orders", shop_.owner.auth);
  EXPECT_TRUE(listed.Json()["items"].empty()) << listed.body;
  // The quantity is there to pack again.
  const std::int64_t again = ConfirmedOrder(4);
  auto repacked = Pack(again, json::array({{{"line_id", 1}, {"lot_id", lot}, {"quantity", 4}}}));
  EXPECT_EQ(repacked.status, 200) << repacked.body;
}

TEST_P(LotsOnOrders, BadLotChoicesNameTheFieldAndWriteNothing) {
  const std::int64_t mine = NewLot(tea_, shop_, "CHE-A", "2027-03-01", 10);
  const std::int64_t theirs = NewLot(rice_, other_shop_, "GAO-A", "2027-03-01", 10);
  const std::int64_t order = ConfirmedOrder(2);

  auto other_shop = Pack(order, json::array({{{"line_id", 1}, {"lot_id", theirs}, {"quantity", 2}}}));
  EXPECT_EQ(other_shop.status, 400) << other_shop.body;
  EXPECT_TRUE(HasField(other_shop.Json(), "lots[0].lot_id")) << other_shop.body;
  auto no_line = Pack(order, json::array({{{"line_id", 7}, {"lot_id", mine}, {"quantity", 2}}}));
  EXPECT_EQ(no_line.status, 400);
  EXPECT_TRUE(HasField(no_line.Json(), "lots[0].line_id")) << no_line.body;
  auto short_sum = Pack(order, json::array({{{"line_id", 1}, {"lot_id", mine}, {"quantity", 1}}}));
  EXPECT_EQ(short_sum.status, 400);
  EXPECT_TRUE(HasField(short_sum.Json(), "lots")) << short_sum.body;
  auto junk = Pack(order, json::array({{{"line_id", "one"}, {"lot_id", mine}, {"quantity", 2}}}));
  EXPECT_EQ(junk.status, 400);
  EXPECT_TRUE(HasField(junk.Json(), "lots[0].line_id")) << junk.body;

  EXPECT_EQ(Lot(mine)["remaining"], 10);
  EXPECT_EQ(CountRows("trace_lot_lines"), 0);
  auto order_now = app_->Client().Get("/api/v1/orders/" + std::to_string(order), shop_.owner.auth);
  EXPECT_EQ(order_now.Json()["status"], "confirmed");

  // A held lot cannot be packed either.
  ASSERT_EQ(app_->Client()
                .Post("/api/v1/lots/" + std::to_string(mine) + "/hold", json{{"reason", "Chờ kiểm nghiệm"}},
                      shop_.owner.auth)
                .status,
            200);
  auto held = Pack(order, json::array({{{"line_id", 1}, {"lot_id", mine}, {"quantity", 2}}}));
  EXPECT_EQ(held.status, 409) << held.body;
  auto client = app_->Client();
  EXPECT_EQ(Move(client, shop_.owner, order, "packed").status, 409) << "no active lot left to default to";
}

TEST_P(LotsOnOrders, RecallNotifiesBuyersStopsShippingAndShowsEverywhere) {
  const std::int64_t bad = NewLot(tea_, shop_, "CHE-BAD", "2026-12-15", 10);
  const std::int64_t good = NewLot(tea_, shop_, "CHE-OK", "2027-03-01", 10);
  auto client = app_->Client();
  const std::int64_t unshipped = ConfirmedOrder(2);
  ASSERT_EQ(Move(client, shop_.owner, unshipped, "packed").status, 200);
  const std::int64_t other = ConfirmedOrder(1);
  ASSERT_EQ(Pack(other, json::array({{{"line_id", 1}, {"lot_id", good}, {"quantity", 1}}})).status, 200);

  const std::string lot_path = "/api/v1/lots/" + std::to_string(bad);
  EXPECT_EQ(client.Post(lot_path + "/recall", json{{"reason", ""}}, shop_.owner.auth).status, 400);
  EXPECT_EQ(client.Post(lot_path + "/recall", json{{"reason", "Dư lượng"}}, far_officer_.auth).status, 404);
  EXPECT_EQ(client.Post(lot_path + "/recall", json{{"reason", "Dư lượng"}}, buyer_.auth).status, 404);
  auto recalled =
      client.Post(lot_path + "/recall", json{{"reason", "Dư lượng thuốc trừ sâu vượt mức"}}, officer_.auth);
  ASSERT_EQ(recalled.status, 200) << recalled.body;
  EXPECT_EQ(recalled.Json()["status"], "recalled");
  EXPECT_EQ(recalled.Json()["buyers_notified"], 1);
  EXPECT_EQ(client.Post(lot_path + "/recall", json{{"reason", "lần hai"}}, officer_.auth).status, 409);

  // The buyer hears of it, in the app and by SMS (the outbox).
  auto notes = client.Get("/api/v1/me/notifications", buyer_.auth);
  ASSERT_EQ(notes.status, 200);
  EXPECT_NE(notes.body.find("Thu hồi: lô CHE-BAD"), std::string::npos) << notes.body;
  auto sms = app_->app().db().Read([](db::Connection& c) {
    return c.QueryInt("SELECT COUNT(*) FROM orders_outbox WHERE recipient_kind = 'buyer' AND message LIKE ?",
                      {std::string("Thu hồi: lô CHE-BAD%")});
  });
  ASSERT_TRUE(sms.ok());
  EXPECT_EQ(*sms, 1);

  // The order that holds it cannot ship; the other one can.
  auto blocked = Move(client, shop_.owner, unshipped, "shipped", "", "VN123");
  EXPECT_EQ(blocked.status, 409) << blocked.body;
  EXPECT_NE(blocked.body.find("lot_recalled"), std::string::npos);
  EXPECT_EQ(Move(client, shop_.owner, other, "shipped", "", "VN124").status, 200);
  auto buyer_view = client.Get("/api/v1/orders/" + std::to_string(unshipped), buyer_.auth);
  ASSERT_EQ(buyer_view.status, 200);
  ASSERT_EQ(buyer_view.Json()["recalls"].size(), 1u);
  EXPECT_EQ(buyer_view.Json()["recalls"][0]["code"], "CHE-BAD");
  EXPECT_EQ(client.Get("/api/v1/orders/" + std::to_string(other), buyer_.auth).Json()["recalls"].size(), 0u);

  // The lot's order lines, for the shop and the officials of its area only.
  auto lines = client.Get(lot_path + "/orders", officer_.auth);
  ASSERT_EQ(lines.status, 200) << lines.body;
  ASSERT_EQ(lines.Json()["items"].size(), 1u);
  EXPECT_EQ(lines.Json()["items"][0]["order_id"], unshipped);
  EXPECT_EQ(lines.Json()["items"][0]["quantity"], 2);
  EXPECT_EQ(client.Get(lot_path + "/orders", buyer_.auth).status, 404);
  EXPECT_EQ(client.Get(lot_path + "/orders", far_officer_.auth).status, 404);

  // Officials see the recalls of their area; others do not.
  auto area = client.Get("/api/v1/recalls", officer_.auth);
  ASSERT_EQ(area.status, 200) << area.body;
  ASSERT_EQ(area.Json()["items"].size(), 1u);
  EXPECT_EQ(area.Json()["items"][0]["code"], "CHE-BAD");
  EXPECT_EQ(area.Json()["items"][0]["order_lines"], 1);
  EXPECT_EQ(client.Get("/api/v1/recalls", far_officer_.auth).Json()["items"].size(), 0u);
  EXPECT_EQ(client.Get("/api/v1/recalls", shop_.owner.auth).status, 403);

  // The provenance page carries the banner.
  auto page = client.Get("/truy-xuat/" + Lot(bad)["public_code"].get<std::string>());
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("THU HỒI SẢN PHẨM"), std::string::npos);
  EXPECT_NE(page.body.find("Dư lượng thuốc trừ sâu vượt mức"), std::string::npos);
}

TEST_P(LotsOnOrders, HoldAndRelease) {
  const std::int64_t lot = NewLot(tea_, shop_, "CHE-A", "2027-03-01", 10);
  auto client = app_->Client();
  const std::string path = "/api/v1/lots/" + std::to_string(lot);
  EXPECT_EQ(client.Post(path + "/release", "", shop_.owner.auth).status, 409);
  auto held = client.Post(path + "/hold", json{{"reason", "Chờ kiểm nghiệm"}}, shop_.owner.auth);
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(held.Json()["status"], "on_hold");
  const std::int64_t order = ConfirmedOrder(1);
  EXPECT_EQ(Move(client, shop_.owner, order, "packed").status, 409);
  auto released = client.Post(path + "/release", "", officer_.auth);
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(released.Json()["status"], "active");
  EXPECT_EQ(Move(client, shop_.owner, order, "packed").status, 200);
}

// The seller centre's lot page, as a shop's phone uses it: the order lines
// that took the lot, then hold, release and a recall that needs its box ticked.
TEST_P(LotsOnOrders, TheLotPageListsItsOrdersAndHoldsReleasesAndRecallsWithAConfirmStep) {
  const std::int64_t lot = NewLot(tea_, shop_, "CHE-TRANG", "2027-03-01", 10);
  const std::int64_t order = ConfirmedOrder(2);
  ASSERT_EQ(Pack(order, json::array()).status, 200);
  auto client = app_->Client();
  const nongsan::testing::ClientHeaders browser = {
      {"Cookie", std::string(accounts::kSessionCookieName) + "=" + shop_.owner.token},
      {"Content-Type", "application/x-www-form-urlencoded"}};
  const std::string csrf = "&csrf_token=" + accounts::CsrfTokenForSessionToken(shop_.owner.token);
  const std::string page = "/kenh-ban/lo/" + std::to_string(lot);

  auto shown = client.Get(page, browser);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find("/kenh-ban/don-hang/" + std::to_string(order)), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("Đang bán"), std::string::npos);
  EXPECT_EQ(
      client.Get(page, {{"Cookie", std::string(accounts::kSessionCookieName) + "=" + buyer_.token}}).status,
      404);

  ASSERT_EQ(client.Post(page + "/tam-dung", "reason=Ch%E1%BB%9D+ki%E1%BB%83m+nghi%E1%BB%87m" + csrf, browser)
                .status,
            303);
  EXPECT_EQ(Lot(lot)["status"], "on_hold");
  ASSERT_EQ(client.Post(page + "/mo-ban", csrf.substr(1), browser).status, 303);
  EXPECT_EQ(Lot(lot)["status"], "active");
  auto again = client.Post(page + "/mo-ban", csrf.substr(1), browser);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("Chỉ mở bán lại được lô đang tạm dừng."), std::string::npos);

  // Not confirmed: nothing recalled, the message beside the box, the reason kept.
  auto unconfirmed = client.Post(page + "/thu-hoi", "reason=D%C6%B0+l%C6%B0%E1%BB%A3ng" + csrf, browser);
  EXPECT_EQ(unconfirmed.status, 422);
  EXPECT_NE(unconfirmed.body.find("id=\"xac_nhan-err\""), std::string::npos) << unconfirmed.body;
  EXPECT_NE(unconfirmed.body.find("value=\"Dư lượng\""), std::string::npos);
  EXPECT_EQ(Lot(lot)["status"], "active");
  // No reason: refused beside the reason.
  auto no_reason = client.Post(page + "/thu-hoi", "reason=&xac_nhan=1" + csrf, browser);
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("id=\"recall-reason-err\""), std::string::npos) << no_reason.body;
  EXPECT_EQ(Lot(lot)["status"], "active");
  // Without the page's CSRF token: refused.
  EXPECT_EQ(client.Post(page + "/thu-hoi", "reason=x&xac_nhan=1", browser).status, 403);

  auto recalled =
      client.Post(page + "/thu-hoi", "reason=D%C6%B0+l%C6%B0%E1%BB%A3ng&xac_nhan=1" + csrf, browser);
  ASSERT_EQ(recalled.status, 303) << recalled.body;
  EXPECT_EQ(Lot(lot)["status"], "recalled");
  EXPECT_EQ(CountRows("audit_log WHERE action = 'lot.recall' AND actor_user_id = " +
                      std::to_string(shop_.owner.user_id)),
            1);
  auto after = client.Get(page + "?xong=1", browser);
  EXPECT_NE(after.body.find("ĐÃ THU HỒI"), std::string::npos);
  EXPECT_EQ(after.body.find("action=\"" + page + "/thu-hoi\""), std::string::npos)
      << "no second recall offered";
  auto buyer_view = client.Get("/api/v1/orders/" + std::to_string(order), buyer_.auth);
  ASSERT_EQ(buyer_view.Json()["recalls"].size(), 1u);

  // Its destruction, recorded from the same page: a quantity that is not a
  // number is refused beside the field; left empty, the 8 units never sold.
  ASSERT_NE(after.body.find("action=\"" + page + "/tieu-huy\""), std::string::npos) << after.body;
  auto bad_quantity = client.Post(
      page + "/tieu-huy", "reason=Bi%C3%AAn+b%E1%BA%A3n+12&quantity=m%C6%B0%E1%BB%9Di" + csrf, browser);
  EXPECT_EQ(bad_quantity.status, 422);
  EXPECT_NE(bad_quantity.body.find("id=\"destroy-quantity-err\""), std::string::npos) << bad_quantity.body;
  EXPECT_EQ(CountRows("trace_epcis_events WHERE biz_step = 'destroying'"), 0);
  auto destroyed =
      client.Post(page + "/tieu-huy", "reason=Bi%C3%AAn+b%E1%BA%A3n+12&quantity=" + csrf, browser);
  ASSERT_EQ(destroyed.status, 303) << destroyed.body;
  auto done = client.Get(page + "?xong=1", browser);
  EXPECT_NE(done.body.find("Đã ghi tiêu hủy 8 đơn vị."), std::string::npos) << done.body;
  EXPECT_EQ(done.body.find("action=\"" + page + "/tieu-huy\""), std::string::npos) << "recorded once";
}

// After a recall, the goods' destruction is recorded once, as EPCIS records
// it; a lot that is not recalled, a bad quantity or someone else's lot
// writes nothing.
TEST_P(LotsOnOrders, DestroyingARecalledLotIsRecordedOnceAsAnEpcisEvent) {
  const std::int64_t lot = NewLot(tea_, shop_, "CHE-HUY", "2027-03-01", 10);
  const std::int64_t order = ConfirmedOrder(2);
  ASSERT_EQ(Pack(order, json::array()).status, 200);
  auto client = app_->Client();
  const std::string path = "/api/v1/lots/" + std::to_string(lot);
  const json reason = {{"reason", "Tiêu hủy tại cơ sở, biên bản số 12"}};
  auto destroying_events = [&] {
    auto res = client.Get("/api/v1/epcis/events?EQ_bizStep=destroying");
    EXPECT_EQ(res.status, 200) << res.body;
    return res.Json();
  };

  auto not_recalled = client.Post(path + "/destroy", reason, shop_.owner.auth);
  EXPECT_EQ(not_recalled.status, 409) << not_recalled.body;
  ASSERT_EQ(client.Post(path + "/recall", json{{"reason", "Dư lượng"}}, officer_.auth).status, 200);

  EXPECT_EQ(client.Post(path + "/destroy", json{{"reason", ""}}, shop_.owner.auth).status, 400);
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-3}, std::int64_t{11}}) {
    json body = reason;
    body["quantity"] = bad;
    auto res = client.Post(path + "/destroy", body, shop_.owner.auth);
    EXPECT_EQ(res.status, 400) << bad;
    EXPECT_NE(res.body.find("quantity"), std::string::npos) << res.body;
  }
  EXPECT_EQ(client.Post(path + "/destroy", reason, buyer_.auth).status, 404);
  EXPECT_EQ(client.Post(path + "/destroy", reason, far_officer_.auth).status, 404);
  EXPECT_EQ(destroying_events()["epcisBody"]["queryResults"]["resultsBody"]["eventList"].size(), 0u);

  auto destroyed = client.Post(path + "/destroy", reason, shop_.owner.auth);
  ASSERT_EQ(destroyed.status, 200) << destroyed.body;
  EXPECT_EQ(destroyed.Json()["destroyed_quantity"], 8);  // the units never sold
  EXPECT_EQ(destroyed.Json()["status"], "recalled");
  auto again = client.Post(path + "/destroy", reason, officer_.auth);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("already_destroyed"), std::string::npos) << again.body;

  const json doc = destroying_events();
  const json& events = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
  ASSERT_EQ(events.size(), 1u) << doc.dump(2);
  EXPECT_EQ(events[0]["action"], "DELETE");
  EXPECT_EQ(events[0]["bizStep"], "destroying");
  EXPECT_EQ(events[0]["disposition"], "destroyed");
  EXPECT_EQ(events[0]["quantityList"][0]["epcClass"],
            std::string(kBaseUrl) + "/truy-xuat/" + Lot(lot)["public_code"].get<std::string>());
  EXPECT_EQ(events[0]["quantityList"][0]["quantity"], 8);
  EXPECT_EQ(SchemaComplaints(doc), "");
  EXPECT_EQ(CountRows("audit_log WHERE action = 'lot.destroy' AND actor_user_id = " +
                      std::to_string(shop_.owner.user_id)),
            1);

  // Whoever scans a pack of it reads both decisions, in order, with their reasons.
  auto scanned = client.Get("/truy-xuat/" + Lot(lot)["public_code"].get<std::string>());
  ASSERT_EQ(scanned.status, 200);
  const auto recall_line = scanned.body.find("</strong> Thu hồi — Dư lượng</li>");
  const auto destroy_line =
      scanned.body.find("</strong> Tiêu hủy 8 đơn vị — Tiêu hủy tại cơ sở, biên bản số 12</li>");
  ASSERT_NE(recall_line, std::string::npos) << scanned.body;
  ASSERT_NE(destroy_line, std::string::npos) << scanned.body;
  EXPECT_LT(recall_line, destroy_line);
}

INSTANTIATE_TEST_SUITE_P(Trace, LotsOnOrders, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::trace::testing
