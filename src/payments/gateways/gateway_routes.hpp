// The gateways' HTTP surface:
//   GET  /api/v1/payments/vnpay/ipn   VNPay's IPN; always 200 with
//                                     {"RspCode", "Message"} as VNPay expects
//   POST /api/v1/payments/momo/ipn    MoMo's IPN; 204 when taken, else problem+json
//   GET  /thanh-toan/vnpay/ket-qua    the buyer's return from VNPay (a page)
//   GET  /thanh-toan/momo/ket-qua     the buyer's return from MoMo (a page)
// The IPNs are public and authenticated by the gateway's signature alone (no
// session, no CSRF token: the gateway has neither). The return pages only
// show; nothing they receive changes an order.
#pragma once

#include "http/router.hpp"
#include "payments/gateways/gateway_service.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::payments::gateways {

// A MoMo IPN is a dozen short fields.
inline constexpr std::size_t kMaxMomoIpnBodyBytes = 8 * 1024;

void AddGatewayRoutes(http::Router& router, GatewayService& gateways);
void AddGatewayPages(http::Router& router, const web::Renderer& renderer, GatewayService& gateways);

}  // namespace nongsan::payments::gateways
