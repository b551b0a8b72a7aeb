// Fake VNPay and MoMo servers for tests, speaking the gateways' real
// protocols over real HTTP on a loopback port (the project's own http::Server):
//  * FakeVnpay serves VNPay's transaction API (POST
//    /merchant_webapi/api/transaction, vnp_Command=refund): it checks our
//    request's vnp_SecureHash over the documented "|"-joined field order and
//    answers a signed JSON reply with the code the test chose; a request with
//    a bad hash gets vnp_ResponseCode "97", as VNPay answers. It also builds the
//    signed callback query VNPay sends to the IPN and return URLs.
//  * FakeMomo serves /v2/gateway/api/create and /v2/gateway/api/refund: it
//    checks our HMAC-SHA256 signature over the documented fields and answers
//    resultCode 0 with a payUrl (or the code the test chose; 11007 for a bad
//    signature); it builds signed IPN bodies as MoMo posts them.
// Signature bases here are written out field by field from the gateways' docs,
// apart from the protocol code under test; the HMAC itself is checked against
// `openssl dgst` in the gateways' unit tests.
//
// Thread-safety: the servers run on their own threads; the accessors lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/router.hpp"
#include "http/server.hpp"

namespace nongsan::testing {

inline constexpr const char* kFakeVnpayTmnCode = "NONGSAN1";
inline constexpr const char* kFakeVnpaySecret = "VNPAYTESTSECRETKEY0123456789ABCD";
inline constexpr const char* kFakeMomoPartnerCode = "MOMONONGSAN";
inline constexpr const char* kFakeMomoAccessKey = "F8BBA842ECF85";
inline constexpr const char* kFakeMomoSecretKey = "K951B6PE1waDMi640xX08PD3vg6EkVlz";

// One of the fakes: a router on an http::Server on its own thread.
class FakeGatewayServer {
 public:
  FakeGatewayServer();
  virtual ~FakeGatewayServer();
  FakeGatewayServer(const FakeGatewayServer&) = delete;
  FakeGatewayServer& operator=(const FakeGatewayServer&) = delete;

  unsigned short port() const { return port_; }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // The JSON bodies received, in order.
  std::vector<nlohmann::json> Requests() const;

 protected:
  void Start();  // after the routes are added
  void Record(const nlohmann::json& body);

  http::Router router_;

 private:
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  std::vector<nlohmann::json> requests_;
};

class FakeVnpay final : public FakeGatewayServer {
 public:
  FakeVnpay();
  std::string PayUrl() const { return BaseUrl() + "/paymentv2/vpcpay.html"; }
  std::string ApiUrl() const { return BaseUrl() + "/merchant_webapi/api/transaction"; }
  // The vnp_ResponseCode the next refunds get ("00" accepted).
  void SetRefundAnswer(std::string code) { refund_code_ = std::move(code); }
  // How many refund requests carried a valid signature.
  int ValidRefunds() const { return valid_refunds_; }

  // The query string VNPay sends to the IPN/return URL for a payment of
  // `txn_ref`: signed with `secret` (kFakeVnpaySecret unless a forgery).
  static std::string CallbackQuery(const std::string& txn_ref, std::int64_t amount_vnd,
                                   const std::string& response_code = "00",
                                   const std::string& transaction_no = "14226112",
                                   const std::string& secret = kFakeVnpaySecret);

 private:
  http::Response HandleTransactionApi(const http::Request& request);
  std::string refund_code_ = "00";
  std::atomic<int> valid_refunds_{0};
};

class FakeMomo final : public FakeGatewayServer {
 public:
  FakeMomo();
  std::string Endpoint() const { return BaseUrl(); }
  void SetResultCode(std::int64_t code) { result_code_ = code; }
  int ValidCreates() const { return valid_creates_; }
  int ValidRefunds() const { return valid_refunds_; }

  // The JSON body MoMo POSTs to the IPN URL, signed with `secret_key`.
  static nlohmann::json IpnBody(const std::string& order_id, std::int64_t amount_vnd,
                                std::int64_t result_code = 0, std::int64_t trans_id = 2547000001,
                                const std::string& secret_key = kFakeMomoSecretKey);
  // The query string MoMo appends to the redirectUrl: the IPN's fields, signed alike.
  static std::string RedirectQuery(const std::string& order_id, std::int64_t amount_vnd,
                                   std::int64_t result_code = 0,
                                   const std::string& secret_key = kFakeMomoSecretKey);

 private:
  http::Response HandleCreate(const http::Request& request);
  http::Response HandleRefund(const http::Request& request);
  std::atomic<std::int64_t> result_code_{0};
  std::atomic<int> valid_creates_{0};
  std::atomic<int> valid_refunds_{0};
};

}  // namespace nongsan::testing
