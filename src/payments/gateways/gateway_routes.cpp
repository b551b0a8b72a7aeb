#include "payments/gateways/gateway_routes.hpp"

#include "web/format.hpp"
#include "web/renderer.hpp"

namespace nongsan::payments::gateways {

namespace {

using http::Request;
using http::Response;

http::Response Page(const web::Renderer& renderer, const Request& request, std::string_view gateway,
                    const ReturnView& view) {
  nlohmann::json data = {{"title", "Kết quả thanh toán"},
                         {"noindex", true},
                         {"gateway", gateway},
                         {"verified", view.verified},
                         {"known", view.order_id > 0},
                         {"confirmed", view.confirmed},
                         {"waiting", view.gateway_says_paid && !view.confirmed},
                         {"failed", view.verified && !view.gateway_says_paid && !view.confirmed},
                         {"amount", web::Price(view.amount_vnd)},
                         {"order_url", "/don-hang/" + std::to_string(view.order_id)}};
  return renderer.Render(request, "payments/return", std::move(data));
}

}  // namespace

void AddGatewayRoutes(http::Router& router, GatewayService& gateways) {
  router.Get("/api/v1/payments/vnpay/ipn",
             [&gateways](Request& r) {
               const VnpayIpnAnswer answer =
                   gateways.HandleVnpayIpn(http::ParseUrlEncoded(r.query_string), r.remote_ip);
               if (answer.retry_after_seconds > 0) {
                 return Response::Problem(Error::RateLimited(answer.retry_after_seconds), r.path);
               }
               return Response::Json(200, answer.Json());
             },
             {.max_body = 0, .csrf_exempt = true});
  router.Post(std::string(kMomoIpnPath),
              [&gateways](Request& r) {
                const Status taken = gateways.HandleMomoIpn(r.body, r.remote_ip);
                if (!taken.ok()) return Response::Problem(taken.error(), r.path);
                Response response;
                response.status = 204;
                return response;
              },
              {.max_body = kMaxMomoIpnBodyBytes, .csrf_exempt = true});
}

void AddGatewayPages(http::Router& router, const web::Renderer& renderer, GatewayService& gateways) {
  router.Get(std::string(kVnpayReturnPath),
             [&renderer, &gateways](Request& r) {
               return Page(renderer, r, "VNPay", gateways.VnpayReturn(http::ParseUrlEncoded(r.query_string)));
             },
             {.max_body = 0});
  router.Get(std::string(kMomoReturnPath),
             [&renderer, &gateways](Request& r) {
               return Page(renderer, r, "MoMo", gateways.MomoReturn(http::ParseUrlEncoded(r.query_string)));
             },
             {.max_body = 0});
}

}  // namespace nongsan::payments::gateways
