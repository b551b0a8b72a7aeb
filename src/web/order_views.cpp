#include "web/order_views.hpp"

#include <array>

#include "web/format.hpp"

namespace nongsan::web::detail {

namespace {

// The normal path of an order, shown as the timeline's steps.
constexpr std::array<std::string_view, 6> kSteps = {"placed",  "confirmed", "packed",
                                                    "shipped", "delivered", "completed"};
constexpr std::string_view kBuyerOrdersPath = "/don-hang/";
constexpr std::string_view kShopOrdersPath = "/kenh-ban/don-hang/";

std::string StatusLabel(const Renderer& renderer, const http::Request& request, const std::string& status) {
  return renderer.T(request, "order_status." + status);
}

std::int64_t Int(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string Text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string DisplayTimestamp(std::string_view s) {
  // "YYYY-MM-DDTHH:MM…": fixed positions.
  constexpr std::size_t kMinLength = 16;
  if (s.size() < kMinLength || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':') return "";
  std::string out;
  out.append(s.substr(8, 2)).append("/").append(s.substr(5, 2)).append("/").append(s.substr(0, 4));
  out.append(" ").append(s.substr(11, 5));
  return out;
}

nlohmann::json OrderSummary(const Renderer& renderer, const http::Request& request,
                            const nlohmann::json& order) {
  const std::string status = Text(order, "status");
  std::int64_t items = 0;
  if (auto lines = order.find("lines"); lines != order.end() && lines->is_array()) {
    for (const auto& line : *lines) items += Int(line, "quantity");
  }
  const std::string shop_name = order.contains("shop") ? Text(order["shop"], "name") : "";
  return {{"id", Int(order, "id")},
          {"code", Text(order, "code")},
          {"url", std::string(kBuyerOrdersPath) + std::to_string(Int(order, "id"))},
          {"shop_url", std::string(kShopOrdersPath) + std::to_string(Int(order, "id"))},
          {"status", status},
          {"status_label", StatusLabel(renderer, request, status)},
          {"shop", shop_name},
          {"buyer", order.contains("shipping_address") ? Text(order["shipping_address"], "full_name") : ""},
          {"items", items},
          {"total", Price(Int(order, "total_vnd"))},
          {"date", DisplayTimestamp(Text(order, "created_at"))}};
}

nlohmann::json OrderDetail(const Renderer& renderer, const http::Request& request,
                           const nlohmann::json& order, OrderAudience audience) {
  nlohmann::json view = OrderSummary(renderer, request, order);
  const std::string status = Text(order, "status");

  // Once the buyer has the goods, each product may be reviewed (the review
  // service checks it again).
  const bool reviewable =
      audience == OrderAudience::kBuyer && (status == "delivered" || status == "completed");
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : order.value("lines", nlohmann::json::array())) {
    nlohmann::json view = {{"name", Text(line, "name")},
                           {"unit", Text(line, "unit")},
                           {"quantity", Int(line, "quantity")},
                           {"price", Price(Int(line, "unit_price_vnd"))},
                           {"total", Price(Int(line, "line_total_vnd"))}};
    if (reviewable) {
      view["review_url"] = "/don-hang/" + std::to_string(Int(order, "id")) +
                           "/danh-gia?san-pham=" + std::to_string(Int(line, "product_id"));
    }
    lines.push_back(std::move(view));
  }
  view["lines"] = std::move(lines);
  view["subtotal"] = Price(Int(order, "subtotal_vnd"));
  view["shipping_fee"] = Price(Int(order, "shipping_fee_vnd"));
  view["payment"] = renderer.T(request, "checkout.cod");
  const nlohmann::json address = order.value("shipping_address", nlohmann::json::object());
  view["address"] = {{"full_name", Text(address, "full_name")},
                     {"phone", Text(address, "phone")},
                     {"line", Text(address, "address_line")},
                     {"place", Text(address, "commune_name")}};
  view["note"] = Text(order, "note");
  view["tracking_code"] = order.contains("shipping") ? Text(order["shipping"], "tracking_code") : "";

  // Timeline: the normal steps, each done when the history reached it, plus
  // the final cancellation or return when there is one.
  std::map<std::string, nlohmann::json> reached;
  for (const auto& entry : order.value("history", nlohmann::json::array())) {
    reached[Text(entry, "to")] = entry;
  }
  nlohmann::json timeline = nlohmann::json::array();
  for (std::string_view step : kSteps) {
    auto it = reached.find(std::string(step));
    timeline.push_back({{"label", StatusLabel(renderer, request, std::string(step))},
                        {"done", it != reached.end()},
                        {"current", status == step},
                        {"at", it != reached.end() ? DisplayTimestamp(Text(it->second, "at")) : ""}});
  }
  for (const char* final_status : {"cancelled", "returned"}) {
    auto it = reached.find(final_status);
    if (it == reached.end()) continue;
    timeline.push_back({{"label", StatusLabel(renderer, request, final_status)},
                        {"done", true},
                        {"current", true},
                        {"at", DisplayTimestamp(Text(it->second, "at"))},
                        {"reason", Text(it->second, "reason")}});
  }
  view["timeline"] = std::move(timeline);

  nlohmann::json actions = nlohmann::json::array();
  for (const auto& to_json : order.value("allowed_transitions", nlohmann::json::array())) {
    const std::string to = to_json.is_string() ? to_json.get<std::string>() : "";
    const bool needs_reason = to == "cancelled" || to == "returned";
    actions.push_back({{"to", to},
                       {"label", renderer.T(request, "order_action." + to)},
                       {"needs_reason", needs_reason},
                       {"needs_tracking", to == "shipped"},
                       {"danger", needs_reason},
                       {"default_tracking", Text(order, "code")}});
  }
  view["actions"] = std::move(actions);
  view["has_actions"] = !view["actions"].empty();
  const std::string id = std::to_string(Int(order, "id"));
  view["action_url"] = audience == OrderAudience::kBuyer ? std::string(kBuyerOrdersPath) + id + "/trang-thai"
                                                         : std::string(kShopOrdersPath) + id + "/trang-thai";
  view["for_shop"] = audience == OrderAudience::kShop;
  // Recalled lots this order took (the traceability module puts them on the order).
  view["recalls"] = order.value("recalls", nlohmann::json::array());
  view["has_recalls"] = !view["recalls"].empty();
  // Held after a suspension (the orders module puts the hold on the order).
  if (const auto hold = order.find("hold"); hold != order.end() && hold->is_object()) {
    view["hold"] = {{"reason", Text(*hold, "reason")}, {"since", DisplayTimestamp(Text(*hold, "since"))}};
  }
  return {{"order", std::move(view)}};
}

}  // namespace nongsan::web::detail
