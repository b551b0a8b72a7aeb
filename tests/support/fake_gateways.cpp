#include "support/fake_gateways.hpp"

#include <gtest/gtest.h>

#include <map>

#include "payments/gateways/signing.hpp"

namespace nongsan::testing {

namespace {

namespace gw = payments::gateways;

// A JSON field as it is signed: strings as they are, integers in decimal.
std::string Text(const nlohmann::json& body, const char* name) { return gw::JsonFieldText(body, name); }

http::Response JsonReply(const nlohmann::json& body) {
  http::Response response;
  response.status = 200;
  response.body = body.dump();
  return response;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

FakeGatewayServer::FakeGatewayServer() = default;

FakeGatewayServer::~FakeGatewayServer() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
}

void FakeGatewayServer::Start() {
  http::ServerConfig config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.access_log = false;
  server_ = std::make_unique<http::Server>(config, router_);
  const Status listening = server_->Listen();
  ASSERT_TRUE(listening.ok()) << listening.error().detail;
  port_ = server_->port();
  thread_ = std::thread([this] { server_->Run(); });
}

void FakeGatewayServer::Record(const nlohmann::json& body) {
  std::lock_guard lock(mutex_);
  requests_.push_back(body);
}

std::vector<nlohmann::json> FakeGatewayServer::Requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

// ---- VNPay ----

FakeVnpay::FakeVnpay() {
  router_.Post("/merchant_webapi/api/transaction",
               [this](http::Request& r) { return HandleTransactionApi(r); });
  Start();
}

http::Response FakeVnpay::HandleTransactionApi(const http::Request& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  Record(body);
  // VNPay's refund checksum: the request's values joined by '|' in this order.
  const std::string signed_data =
      Text(body, "vnp_RequestId") + "|" + Text(body, "vnp_Version") + "|" + Text(body, "vnp_Command") + "|" +
      Text(body, "vnp_TmnCode") + "|" + Text(body, "vnp_TransactionType") + "|" + Text(body, "vnp_TxnRef") +
      "|" + Text(body, "vnp_Amount") + "|" + Text(body, "vnp_TransactionNo") + "|" +
      Text(body, "vnp_TransactionDate") + "|" + Text(body, "vnp_CreateBy") + "|" +
      Text(body, "vnp_CreateDate") + "|" + Text(body, "vnp_IpAddr") + "|" + Text(body, "vnp_OrderInfo");
  const bool valid = Text(body, "vnp_Command") == "refund" &&
                     Text(body, "vnp_TmnCode") == kFakeVnpayTmnCode &&
                     Text(body, "vnp_SecureHash") == gw::HmacSha512Hex(kFakeVnpaySecret, signed_data);
  if (valid) ++valid_refunds_;
  nlohmann::json answer = {
      {"vnp_ResponseId", Text(body, "vnp_RequestId") + "R"},
      {"vnp_Command", "refund"},
      {"vnp_ResponseCode", valid ? refund_code_ : std::string("97")},
      {"vnp_Message", !valid                 ? "Invalid checksum"
                      : refund_code_ == "00" ? "Refund success"
                                             : "Refund refused"},
      {"vnp_TmnCode", kFakeVnpayTmnCode},
      {"vnp_TxnRef", Text(body, "vnp_TxnRef")},
      {"vnp_Amount", Text(body, "vnp_Amount")},
      {"vnp_BankCode", "NCB"},
      {"vnp_PayDate", gw::VietnamTimestamp(NowMs())},
      {"vnp_TransactionNo", "14226199"},
      {"vnp_TransactionType", Text(body, "vnp_TransactionType")},
      {"vnp_TransactionStatus", "05"},
      {"vnp_OrderInfo", Text(body, "vnp_OrderInfo")},
  };
  const std::string answer_data = Text(answer, "vnp_ResponseId") + "|" + Text(answer, "vnp_Command") + "|" +
                                  Text(answer, "vnp_ResponseCode") + "|" + Text(answer, "vnp_Message") + "|" +
                                  Text(answer, "vnp_TmnCode") + "|" + Text(answer, "vnp_TxnRef") + "|" +
                                  Text(answer, "vnp_Amount") + "|" + Text(answer, "vnp_BankCode") + "|" +
                                  Text(answer, "vnp_PayDate") + "|" + Text(answer, "vnp_TransactionNo") +
                                  "|" + Text(answer, "vnp_TransactionType") + "|" +
                                  Text(answer, "vnp_TransactionStatus") + "|" + Text(answer, "vnp_OrderInfo");
  answer["vnp_SecureHash"] = gw::HmacSha512Hex(kFakeVnpaySecret, answer_data);
  return JsonReply(answer);
}

std::string FakeVnpay::CallbackQuery(const std::string& txn_ref, std::int64_t amount_vnd,
                                     const std::string& response_code, const std::string& transaction_no,
                                     const std::string& secret) {
  // The fields VNPay sends, already in name order; values here are plain
  // ASCII without spaces so their form encoding is themselves.
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"vnp_Amount", std::to_string(amount_vnd * 100)},
      {"vnp_BankCode", "NCB"},
      {"vnp_BankTranNo", "VNP" + transaction_no},
      {"vnp_CardType", "ATM"},
      {"vnp_OrderInfo", "Thanh+toan+don+hang+" + txn_ref},
      {"vnp_PayDate", "20261129103000"},
      {"vnp_ResponseCode", response_code},
      {"vnp_TmnCode", kFakeVnpayTmnCode},
      {"vnp_TransactionNo", transaction_no},
      {"vnp_TransactionStatus", response_code},
      {"vnp_TxnRef", txn_ref},
  };
  std::string query;
  for (const auto& [name, value] : fields) {
    if (!query.empty()) query += '&';
    query += name + "=" + value;
  }
  return query + "&vnp_SecureHash=" + gw::HmacSha512Hex(secret, query);
}

// ---- MoMo ----

FakeMomo::FakeMomo() {
  router_.Post("/v2/gateway/api/create", [this](http::Request& r) { return HandleCreate(r); });
  router_.Post("/v2/gateway/api/refund", [this](http::Request& r) { return HandleRefund(r); });
  Start();
}

http::Response FakeMomo::HandleCreate(const http::Request& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  Record(body);
  const std::string signed_data =
      std::string("accessKey=") + kFakeMomoAccessKey + "&amount=" + Text(body, "amount") +
      "&extraData=" + Text(body, "extraData") + "&ipnUrl=" + Text(body, "ipnUrl") +
      "&orderId=" + Text(body, "orderId") + "&orderInfo=" + Text(body, "orderInfo") +
      "&partnerCode=" + Text(body, "partnerCode") + "&redirectUrl=" + Text(body, "redirectUrl") +
      "&requestId=" + Text(body, "requestId") + "&requestType=" + Text(body, "requestType");
  const bool valid = Text(body, "partnerCode") == kFakeMomoPartnerCode &&
                     Text(body, "requestType") == "captureWallet" &&
                     Text(body, "signature") == gw::HmacSha256Hex(kFakeMomoSecretKey, signed_data);
  if (valid) ++valid_creates_;
  const std::int64_t code = valid ? result_code_.load() : 11007;  // 11007: invalid signature
  nlohmann::json answer = {{"partnerCode", kFakeMomoPartnerCode},
                           {"orderId", Text(body, "orderId")},
                           {"requestId", Text(body, "requestId")},
                           {"amount", body.value("amount", 0)},
                           {"responseTime", NowMs()},
                           {"message", code == 0 ? "Thành công." : "Bad request"},
                           {"resultCode", code}};
  if (code == 0) answer["payUrl"] = BaseUrl() + "/v2/gateway/pay?t=" + Text(body, "orderId");
  return JsonReply(answer);
}

http::Response FakeMomo::HandleRefund(const http::Request& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  Record(body);
  const std::string signed_data =
      std::string("accessKey=") + kFakeMomoAccessKey + "&amount=" + Text(body, "amount") +
      "&description=" + Text(body, "description") + "&orderId=" + Text(body, "orderId") +
      "&partnerCode=" + Text(body, "partnerCode") + "&requestId=" + Text(body, "requestId") +
      "&transId=" + Text(body, "transId");
  const bool valid = Text(body, "partnerCode") == kFakeMomoPartnerCode &&
                     Text(body, "signature") == gw::HmacSha256Hex(kFakeMomoSecretKey, signed_data);
  if (valid) ++valid_refunds_;
  const std::int64_t code = valid ? result_code_.load() : 11007;
  return JsonReply({{"partnerCode", kFakeMomoPartnerCode},
                    {"orderId", Text(body, "orderId")},
                    {"requestId", Text(body, "requestId")},
                    {"amount", body.value("amount", 0)},
                    {"transId", 2547009999},
                    {"resultCode", code},
                    {"message", code == 0 ? "Thành công." : "Bad request"},
                    {"responseTime", NowMs()}});
}

nlohmann::json FakeMomo::IpnBody(const std::string& order_id, std::int64_t amount_vnd,
                                 std::int64_t result_code, std::int64_t trans_id,
                                 const std::string& secret_key) {
  nlohmann::json body = {{"partnerCode", kFakeMomoPartnerCode},
                         {"orderId", order_id},
                         {"requestId", order_id + "-req"},
                         {"amount", amount_vnd},
                         {"orderInfo", "Thanh toan don hang " + order_id},
                         {"orderType", "momo_wallet"},
                         {"transId", trans_id},
                         {"resultCode", result_code},
                         {"message", result_code == 0 ? "Successful." : "Transaction denied by user."},
                         {"payType", "qr"},
                         {"responseTime", 1795921800000},
                         {"extraData", ""}};
  const std::string signed_data =
      std::string("accessKey=") + kFakeMomoAccessKey + "&amount=" + Text(body, "amount") +
      "&extraData=" + Text(body, "extraData") + "&message=" + Text(body, "message") +
      "&orderId=" + Text(body, "orderId") + "&orderInfo=" + Text(body, "orderInfo") +
      "&orderType=" + Text(body, "orderType") + "&partnerCode=" + Text(body, "partnerCode") +
      "&payType=" + Text(body, "payType") + "&requestId=" + Text(body, "requestId") +
      "&responseTime=" + Text(body, "responseTime") + "&resultCode=" + Text(body, "resultCode") +
      "&transId=" + Text(body, "transId");
  body["signature"] = gw::HmacSha256Hex(secret_key, signed_data);
  return body;
}

std::string FakeMomo::RedirectQuery(const std::string& order_id, std::int64_t amount_vnd,
                                    std::int64_t result_code, const std::string& secret_key) {
  const nlohmann::json body = IpnBody(order_id, amount_vnd, result_code, 2547000001, secret_key);
  std::string query;
  for (const auto& [name, value] : body.items()) {
    if (!query.empty()) query += '&';
    query += name + "=" + http::UrlEncode(Text(body, name.c_str()));
  }
  return query;
}

}  // namespace nongsan::testing
