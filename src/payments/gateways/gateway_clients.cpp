#include "payments/gateways/gateway_clients.hpp"

#include <spdlog/spdlog.h>

#include "payments/gateways/gateway_http.hpp"
#include "payments/gateways/signing.hpp"

namespace nongsan::payments::gateways {

namespace {

Error Refused(std::string_view gateway, const std::string& code, const std::string& message) {
  spdlog::warn("{} refused a request: code {} ({})", gateway, code, message);
  return Error::Unavailable(std::string(gateway) + " refused the request (code " + code + ").");
}

}  // namespace

std::string VnpayClient::PaymentUrl(const VnpayPaymentRequest& request) const {
  return BuildVnpayPaymentUrl(credentials_, request);
}

Result<GatewayRefund> VnpayClient::Refund(const VnpayRefundRequest& request) const {
  TRY_ASSIGN(const GatewayReply reply,
             PostJson(credentials_.api_url, BuildVnpayRefundBody(credentials_, request)));
  if (reply.status != 200 || !reply.body.is_object()) {
    return Refused("VNPay", "HTTP " + std::to_string(reply.status), "no JSON answer");
  }
  // An unsigned or wrongly signed answer is not VNPay's: treat as unanswered.
  if (!VerifyVnpayRefundResponse(credentials_.hash_secret, reply.body)) {
    spdlog::warn("VNPay: the refund answer for {} has a bad signature", request.txn_ref);
    return Error::Unavailable("VNPay's answer could not be verified.");
  }
  const std::string code = JsonFieldText(reply.body, "vnp_ResponseCode");
  if (code != "00") return Refused("VNPay", code, JsonFieldText(reply.body, "vnp_Message"));
  return GatewayRefund{code, JsonFieldText(reply.body, "vnp_TransactionNo")};
}

Result<std::string> MomoClient::CreatePayment(const MomoCreateRequest& request) const {
  TRY_ASSIGN(const GatewayReply reply, PostJson(credentials_.endpoint + std::string(kMomoCreatePath),
                                                BuildMomoCreateBody(credentials_, request)));
  if (!reply.body.is_object())
    return Refused("MoMo", "HTTP " + std::to_string(reply.status), "no JSON answer");
  const std::string code = JsonFieldText(reply.body, "resultCode");
  const std::string pay_url = JsonFieldText(reply.body, "payUrl");
  if (code != std::to_string(kMomoSuccess) || pay_url.empty()) {
    return Refused("MoMo", code, JsonFieldText(reply.body, "message"));
  }
  return pay_url;
}

Result<GatewayRefund> MomoClient::Refund(const MomoRefundRequest& request) const {
  TRY_ASSIGN(const GatewayReply reply, PostJson(credentials_.endpoint + std::string(kMomoRefundPath),
                                                BuildMomoRefundBody(credentials_, request)));
  if (!reply.body.is_object())
    return Refused("MoMo", "HTTP " + std::to_string(reply.status), "no JSON answer");
  const std::string code = JsonFieldText(reply.body, "resultCode");
  if (code != std::to_string(kMomoSuccess))
    return Refused("MoMo", code, JsonFieldText(reply.body, "message"));
  return GatewayRefund{code, JsonFieldText(reply.body, "transId")};
}

}  // namespace nongsan::payments::gateways
