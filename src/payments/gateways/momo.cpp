#include "payments/gateways/momo.hpp"

#include <initializer_list>

#include "payments/gateways/signing.hpp"

namespace nongsan::payments::gateways {

namespace {

// "accessKey=…&name=value&…" over the body's fields, in the given order
// (MoMo's documented order, which is alphabetical).
std::string KeyValues(std::string_view access_key, const nlohmann::json& body,
                      std::initializer_list<const char*> names) {
  std::string data = "accessKey=" + std::string(access_key);
  for (const char* name : names) {
    data += '&';
    data += name;
    data += '=';
    data += JsonFieldText(body, name);
  }
  return data;
}

std::optional<std::int64_t> IntegerField(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

}  // namespace

std::string MomoCreateSignedData(const MomoCredentials& credentials, const nlohmann::json& body) {
  return KeyValues(credentials.access_key, body,
                   {"amount", "extraData", "ipnUrl", "orderId", "orderInfo", "partnerCode", "redirectUrl",
                    "requestId", "requestType"});
}

std::string MomoIpnSignedData(std::string_view access_key, const nlohmann::json& body) {
  return KeyValues(access_key, body,
                   {"amount", "extraData", "message", "orderId", "orderInfo", "orderType", "partnerCode",
                    "payType", "requestId", "responseTime", "resultCode", "transId"});
}

std::string MomoRefundSignedData(const MomoCredentials& credentials, const nlohmann::json& body) {
  return KeyValues(credentials.access_key, body,
                   {"amount", "description", "orderId", "partnerCode", "requestId", "transId"});
}

nlohmann::json BuildMomoCreateBody(const MomoCredentials& credentials, const MomoCreateRequest& request) {
  nlohmann::json body = {
      {"partnerCode", credentials.partner_code},
      {"requestType", std::string(kMomoRequestType)},
      {"ipnUrl", request.ipn_url},
      {"redirectUrl", request.redirect_url},
      {"orderId", request.order_id},
      {"amount", request.amount_vnd},
      {"orderInfo", request.order_info},
      {"requestId", request.request_id},
      {"extraData", request.extra_data},
      {"lang", request.lang},
  };
  body["signature"] = HmacSha256Hex(credentials.secret_key, MomoCreateSignedData(credentials, body));
  return body;
}

MomoVerification VerifyMomoIpn(const MomoCredentials& credentials, const nlohmann::json& body) {
  if (!body.is_object()) return {std::nullopt, MomoIpnProblem::kBadSignature};
  const std::string received = JsonFieldText(body, "signature");
  const std::string expected =
      HmacSha256Hex(credentials.secret_key, MomoIpnSignedData(credentials.access_key, body));
  if (received.empty() || !SignatureMatches(expected, received))
    return {std::nullopt, MomoIpnProblem::kBadSignature};
  if (JsonFieldText(body, "partnerCode") != credentials.partner_code) {
    return {std::nullopt, MomoIpnProblem::kBadSignature};
  }
  MomoIpn ipn;
  ipn.order_id = JsonFieldText(body, "orderId");
  ipn.request_id = JsonFieldText(body, "requestId");
  ipn.message = JsonFieldText(body, "message");
  const auto amount = IntegerField(body, "amount");
  const auto trans_id = IntegerField(body, "transId");
  const auto result_code = IntegerField(body, "resultCode");
  if (ipn.order_id.empty() || !amount || *amount < 0 || !trans_id || !result_code) {
    return {std::nullopt, MomoIpnProblem::kMalformed};
  }
  ipn.amount_vnd = *amount;
  ipn.trans_id = *trans_id;
  ipn.result_code = *result_code;
  return {std::move(ipn), std::nullopt};
}

void SignMomoIpn(const MomoCredentials& credentials, nlohmann::json& body) {
  body["signature"] = HmacSha256Hex(credentials.secret_key, MomoIpnSignedData(credentials.access_key, body));
}

nlohmann::json BuildMomoRefundBody(const MomoCredentials& credentials, const MomoRefundRequest& request) {
  nlohmann::json body = {
      {"partnerCode", credentials.partner_code},
      {"orderId", request.order_id},
      {"requestId", request.request_id},
      {"amount", request.amount_vnd},
      {"transId", request.trans_id},
      {"lang", request.lang},
      {"description", request.description},
  };
  body["signature"] = HmacSha256Hex(credentials.secret_key, MomoRefundSignedData(credentials, body));
  return body;
}

}  // namespace nongsan::payments::gateways
