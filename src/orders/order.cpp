#include "orders/order.hpp"

#include "core/clock.hpp"
#include "places/places.hpp"

namespace nongsan::orders {
namespace {

nlohmann::json OptionalTime(const std::optional<std::int64_t>& ms) {
  return ms ? nlohmann::json(timefmt::Rfc3339(*ms)) : nlohmann::json(nullptr);
}

nlohmann::json OptionalText(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

nlohmann::json OrderJson(const Order& order, const places::PlaceService* places, const OrderView& view) {
  nlohmann::json lines = nlohmann::json::array();
  for (const OrderLine& l : order.lines) {
    lines.push_back({{"id", l.line_no},
                     {"product_id", l.product_id},
                     {"sku", l.sku},
                     {"name", l.name},
                     {"unit", l.unit},
                     {"unit_price_vnd", l.unit_price_vnd},
                     {"quantity", l.quantity},
                     {"line_total_vnd", l.line_total_vnd},
                     {"weight_grams", l.weight_grams}});
  }
  nlohmann::json out = {
      {"id", order.id},
      {"code", order.code},
      {"checkout_id", order.checkout_id},
      {"status", StatusName(order.status)},
      {"payment_method", order.payment_method},
      {"shop", {{"id", order.seller_id}, {"name", order.seller_name}}},
      {"buyer_id", order.buyer_id},
      {"lines", std::move(lines)},
      {"subtotal_vnd", order.subtotal_vnd},
      {"shipping_fee_vnd", order.shipping_fee_vnd},
      {"total_vnd", order.total_vnd},
      {"shipping",
       {{"route", RouteName(order.route)},
        {"carrier", order.carrier},
        {"weight_grams", order.weight_grams},
        {"tracking_code", OptionalText(order.tracking_code)}}},
      {"shipping_address",
       {{"full_name", order.address.full_name},
        {"phone", order.address.phone},
        {"address_line", order.address.address_line},
        {"commune_code", order.address.commune_code},
        {"commune_name", places != nullptr ? places->FullName(order.address.commune_code) : std::string()}}},
      {"note", order.note},
      {"created_at", timefmt::Rfc3339(order.created_at)},
      {"updated_at", timefmt::Rfc3339(order.updated_at)},
      {"delivered_at", OptionalTime(order.delivered_at)},
      {"hold", order.held_at ? nlohmann::json{{"reason", order.held_reason},
                                              {"since", timefmt::Rfc3339(*order.held_at)}}
                             : nlohmann::json(nullptr)},
      {"paid_at", OptionalTime(order.paid_at)},
  };
  if (view.return_window_ms > 0 && order.delivered_at && order.status == OrderStatus::kDelivered) {
    out["return_window_ends_at"] = timefmt::Rfc3339(*order.delivered_at + view.return_window_ms);
  }
  if (view.with_history) {
    nlohmann::json history = nlohmann::json::array();
    for (const TransitionRecord& t : order.history) {
      history.push_back({{"from", t.from ? nlohmann::json(StatusName(*t.from)) : nlohmann::json(nullptr)},
                         {"to", StatusName(t.to)},
                         {"by", PartyName(t.party)},
                         {"by_user_id", t.actor_user_id},
                         {"reason", OptionalText(t.reason)},
                         {"tracking_code", OptionalText(t.tracking_code)},
                         {"at", timefmt::Rfc3339(t.at)}});
    }
    out["history"] = std::move(history);
  }
  if (view.show_allowed) {
    nlohmann::json allowed = nlohmann::json::array();
    for (OrderStatus s : view.allowed_transitions) allowed.push_back(StatusName(s));
    out["allowed_transitions"] = std::move(allowed);
  }
  return out;
}

}  // namespace nongsan::orders
