#include "payments/gateways/gateway_http.hpp"

namespace nongsan::payments::gateways {

Result<HttpTarget> ParseHttpUrl(const std::string& url) {
  return http::ParseHttpUrl(url, "A payment gateway URL");
}

Result<GatewayReply> PostJson(const std::string& url, const nlohmann::json& body) {
  TRY_ASSIGN(const HttpTarget target, ParseHttpUrl(url));
  constexpr http::ClientLimits kLimits{kGatewayConnectTimeout, kGatewayIoTimeout, kMaxGatewayResponseBytes};
  auto answer = http::Post(target, {{"Content-Type", "application/json; charset=UTF-8"}}, body.dump(),
                           kLimits, http::ReadUntil::kClose, "payment gateway");
  if (!answer.ok()) {
    if (answer.error().type == http::kTlsUnverified) {
      return Error::Unavailable("The payment gateway's TLS certificate could not be verified.");
    }
    return Error::Unavailable("The payment gateway cannot be reached; try again shortly.");
  }
  GatewayReply reply;
  reply.status = answer->status;
  reply.body = nlohmann::json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

}  // namespace nongsan::payments::gateways
