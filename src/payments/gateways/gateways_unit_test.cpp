// The gateways' protocol code: signatures checked against `openssl dgst` (an
// implementation we did not write), RFC 4231's HMAC vectors, VNPay's field
// rules and the calls to the fake VNPay and MoMo servers of tests/support.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/ids.hpp"
#include "http/request.hpp"
#include "payments/gateways/gateway_clients.hpp"
#include "payments/gateways/gateway_http.hpp"
#include "payments/gateways/momo.hpp"
#include "payments/gateways/signing.hpp"
#include "payments/gateways/vnpay.hpp"
#include "support/fake_gateways.hpp"
#include "support/test_app.hpp"

namespace nongsan::payments::gateways {
namespace {

using testing::FakeMomo;
using testing::FakeVnpay;

// `openssl dgst -<digest> -hmac KEY` over `message` (sent through a file so
// no shell quoting touches it), as lower-case hex.
std::string OpensslHmac(const std::string& digest, const std::string& key, const std::string& message) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("nongsan-hmac-" + std::to_string(::getpid()) + "-" + ids::RandomDigits(8));
  std::ofstream(path, std::ios::binary) << message;
  // Keys in these tests are [A-Za-z0-9]; quote anyway.
  const std::string command = "openssl dgst -" + digest + " -hmac '" + key + "' -r " + path.string();
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    ::pclose(pipe);
  }
  std::filesystem::remove(path);
  return out.substr(0, out.find(' '));  // "-r": "<hex> *file"
}

std::map<std::string, std::string> QueryFields(const std::string& url) {
  std::map<std::string, std::string> fields;
  for (auto& [name, value] : http::ParseUrlEncoded(url.substr(url.find('?') + 1))) fields[name] = value;
  return fields;
}

VnpayCredentials Vnpay(const FakeVnpay* fake = nullptr) {
  return {testing::kFakeVnpayTmnCode, testing::kFakeVnpaySecret,
          fake ? fake->PayUrl() : "http://vnpay.test/pay", fake ? fake->ApiUrl() : "http://vnpay.test/api"};
}

MomoCredentials Momo(const FakeMomo* fake = nullptr) {
  return {testing::kFakeMomoPartnerCode, testing::kFakeMomoAccessKey, testing::kFakeMomoSecretKey,
          fake ? fake->Endpoint() : "http://momo.test"};
}

VnpayPaymentRequest APayment() {
  VnpayPaymentRequest request;
  request.txn_ref = "NS1042A1";
  request.amount_vnd = 185'000;
  request.order_info = "Thanh toan don hang NS1042";
  request.return_url = "https://cho.example.vn/thanh-toan/vnpay/ket-qua";
  request.ip_addr = "203.0.113.7";
  request.created_ms = testing::kTestNowMs;
  request.expires_ms = testing::kTestNowMs + 15 * 60 * 1000;
  return request;
}

std::vector<std::pair<std::string, std::string>> Params(const std::string& query) {
  return http::ParseUrlEncoded(query);
}

TEST(GatewaySigning, HmacMatchesRfc4231AndOpenssl) {
  // RFC 4231, test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha512Hex("Jefe", "what do ya want for nothing?"),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
            "caeab1a34d4a6b4b636e070a38bce737");
  // A key longer than a block (merchant secrets are 32+ characters) and a
  // message with Vietnamese text, against openssl.
  const std::string key =
      std::string(testing::kFakeVnpaySecret) + std::string(testing::kFakeVnpaySecret) + "XYZ";
  const std::string message = "vnp_OrderInfo=Ch%C3%A8+Th%C3%A1i+Nguy%C3%AAn&x=1";
  EXPECT_EQ(HmacSha512Hex(key, message), OpensslHmac("sha512", key, message));
  EXPECT_EQ(HmacSha256Hex(key, message), OpensslHmac("sha256", key, message));
}

TEST(GatewaySigning, FormEncodingAndVietnamTime) {
  EXPECT_EQ(FormEncode("Thanh toan don NS-1.2_3*"), "Thanh+toan+don+NS-1.2_3*");
  EXPECT_EQ(FormEncode("https://a.vn/x?y=1&z=~"), "https%3A%2F%2Fa.vn%2Fx%3Fy%3D1%26z%3D%7E");
  EXPECT_EQ(FormEncode("Chè"), "Ch%C3%A8");
  EXPECT_EQ(VietnamTimestamp(testing::kTestNowMs), "20261129100000");
  // 16:59:59 UTC is 23:59:59 in Vietnam; a second later it is the next day.
  EXPECT_EQ(VietnamTimestamp(1795971599000), "20261129235959");
  EXPECT_EQ(VietnamTimestamp(1795971600000), "20261130000000");
}

TEST(GatewaySigning, SignatureComparisonIgnoresHexCaseOnly) {
  const std::string mac = HmacSha256Hex("k", "m");
  std::string upper = mac;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(SignatureMatches(mac, upper));
  std::string flipped = mac;
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  EXPECT_FALSE(SignatureMatches(mac, flipped));
  EXPECT_FALSE(SignatureMatches(mac, mac.substr(1)));
  EXPECT_FALSE(SignatureMatches(mac, ""));
}

TEST(VnpayProtocol, PaymentUrlCarriesTheDocumentedFieldsSignedAsOpensslSigns) {
  const std::string url = BuildVnpayPaymentUrl(Vnpay(), APayment());
  ASSERT_TRUE(url.starts_with("http://vnpay.test/pay?vnp_Amount=18500000&vnp_Command=pay&"));
  const auto fields = QueryFields(url);
  EXPECT_EQ(fields.at("vnp_Version"), "2.1.0");
  EXPECT_EQ(fields.at("vnp_Command"), "pay");
  EXPECT_EQ(fields.at("vnp_TmnCode"), testing::kFakeVnpayTmnCode);
  EXPECT_EQ(fields.at("vnp_Amount"), "18500000");  // VND × 100
  EXPECT_EQ(fields.at("vnp_CurrCode"), "VND");
  EXPECT_EQ(fields.at("vnp_TxnRef"), "NS1042A1");
  EXPECT_EQ(fields.at("vnp_OrderInfo"), "Thanh toan don hang NS1042");
  EXPECT_EQ(fields.at("vnp_OrderType"), "other");
  EXPECT_EQ(fields.at("vnp_Locale"), "vn");
  EXPECT_EQ(fields.at("vnp_ReturnUrl"), "https://cho.example.vn/thanh-toan/vnpay/ket-qua");
  EXPECT_EQ(fields.at("vnp_IpAddr"), "203.0.113.7");
  EXPECT_EQ(fields.at("vnp_CreateDate"), "20261129100000");
  EXPECT_EQ(fields.at("vnp_ExpireDate"), "20261129101500");
  // The hash covers exactly what precedes it in the URL: the sorted, encoded fields.
  const std::string query = url.substr(url.find('?') + 1);
  const std::string signed_part = query.substr(0, query.find("&vnp_SecureHash="));
  EXPECT_EQ(fields.at("vnp_SecureHash"), OpensslHmac("sha512", testing::kFakeVnpaySecret, signed_part));
  std::vector<std::string> names;
  for (auto& [name, value] : Params(signed_part)) names.push_back(name);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.size(), 13u);
}

TEST(VnpayProtocol, CallbackVerification) {
  const auto credentials = Vnpay();
  const auto ok = VerifyVnpayCallback(credentials, Params(FakeVnpay::CallbackQuery("NS7A1", 250'000)));
  ASSERT_TRUE(ok.callback) << "a callback signed as VNPay signs must verify";
  EXPECT_EQ(ok.callback->txn_ref, "NS7A1");
  EXPECT_EQ(ok.callback->amount_vnd, 250'000);
  EXPECT_EQ(ok.callback->transaction_no, "14226112");
  EXPECT_TRUE(ok.callback->Paid());

  const auto declined =
      VerifyVnpayCallback(credentials, Params(FakeVnpay::CallbackQuery("NS7A1", 250'000, "24")));
  ASSERT_TRUE(declined.callback);
  EXPECT_FALSE(declined.callback->Paid());

  // The hash in upper case, as VNPay's own samples print it, still verifies.
  std::string upper = FakeVnpay::CallbackQuery("NS7A1", 250'000);
  const std::size_t hash_at = upper.find("vnp_SecureHash=") + 15;
  for (std::size_t i = hash_at; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(VerifyVnpayCallback(credentials, Params(upper)).callback);

  // Another amount under the same hash, another secret, no hash, a field
  // sent twice, another merchant's terminal: all a bad signature.
  std::string tampered = FakeVnpay::CallbackQuery("NS7A1", 250'000);
  tampered.replace(tampered.find("vnp_Amount=25000000"), 19, "vnp_Amount=25000100");
  EXPECT_EQ(VerifyVnpayCallback(credentials, Params(tampered)).problem, VnpayCallbackProblem::kBadSignature);
  EXPECT_EQ(VerifyVnpayCallback(
                credentials, Params(FakeVnpay::CallbackQuery("NS7A1", 250'000, "00", "1", "another-secret")))
                .problem,
            VnpayCallbackProblem::kBadSignature);
  std::string unsigned_query = FakeVnpay::CallbackQuery("NS7A1", 250'000);
  unsigned_query.resize(unsigned_query.find("&vnp_SecureHash="));
  EXPECT_EQ(VerifyVnpayCallback(credentials, Params(unsigned_query)).problem,
            VnpayCallbackProblem::kBadSignature);
  EXPECT_EQ(
      VerifyVnpayCallback(credentials, Params(FakeVnpay::CallbackQuery("NS7A1", 250'000) + "&vnp_TxnRef=NS8"))
          .problem,
      VnpayCallbackProblem::kBadSignature);
  auto other_terminal = credentials;
  other_terminal.tmn_code = "OTHER";
  EXPECT_EQ(VerifyVnpayCallback(other_terminal, Params(FakeVnpay::CallbackQuery("NS7A1", 250'000))).problem,
            VnpayCallbackProblem::kBadSignature);
}

TEST(VnpayProtocol, RefundRequestIsSignedOverTheBarJoinedFields) {
  VnpayRefundRequest request;
  request.request_id = "RF1042";
  request.txn_ref = "NS1042A1";
  request.amount_vnd = 185'000;
  request.transaction_no = "14226112";
  request.transaction_date = "20261129103000";
  request.create_by = "system";
  request.created_ms = testing::kTestNowMs;
  request.ip_addr = "127.0.0.1";
  request.order_info = "Hoan tien don hang NS1042";
  const auto body = BuildVnpayRefundBody(Vnpay(), request);
  EXPECT_EQ(body["vnp_Command"], "refund");
  EXPECT_EQ(body["vnp_TransactionType"], "02");
  EXPECT_EQ(body["vnp_Amount"], 18'500'000);
  const std::string joined =
      "RF1042|2.1.0|refund|NONGSAN1|02|NS1042A1|18500000|14226112|20261129103000|system|20261129100000|127.0."
      "0.1|"
      "Hoan tien don hang NS1042";
  EXPECT_EQ(VnpayRefundSignedData(body), joined);
  EXPECT_EQ(body["vnp_SecureHash"], OpensslHmac("sha512", testing::kFakeVnpaySecret, joined));
}

TEST(MomoProtocol, CreateRequestSignedAsOpensslSigns) {
  MomoCreateRequest request;
  request.request_id = "NS1042M1-1";
  request.order_id = "NS1042M1";
  request.amount_vnd = 185'000;
  request.order_info = "Thanh toan don hang NS1042";
  request.redirect_url = "https://cho.example.vn/thanh-toan/momo/ket-qua";
  request.ipn_url = "https://cho.example.vn/api/v1/payments/momo/ipn";
  const auto body = BuildMomoCreateBody(Momo(), request);
  EXPECT_EQ(body["requestType"], "captureWallet");
  EXPECT_EQ(body["amount"], 185'000);
  const std::string expected_base =
      "accessKey=F8BBA842ECF85&amount=185000&extraData=&ipnUrl=https://cho.example.vn/api/v1/payments/momo/"
      "ipn"
      "&orderId=NS1042M1&orderInfo=Thanh toan don hang NS1042&partnerCode=MOMONONGSAN"
      "&redirectUrl=https://cho.example.vn/thanh-toan/momo/"
      "ket-qua&requestId=NS1042M1-1&requestType=captureWallet";
  EXPECT_EQ(MomoCreateSignedData(Momo(), body), expected_base);
  EXPECT_EQ(body["signature"], OpensslHmac("sha256", testing::kFakeMomoSecretKey, expected_base));
}

TEST(MomoProtocol, IpnVerification) {
  const auto credentials = Momo();
  const auto body = FakeMomo::IpnBody("NS7M1", 250'000);
  const auto ok = VerifyMomoIpn(credentials, body);
  ASSERT_TRUE(ok.ipn);
  EXPECT_EQ(ok.ipn->order_id, "NS7M1");
  EXPECT_EQ(ok.ipn->amount_vnd, 250'000);
  EXPECT_EQ(ok.ipn->trans_id, 2547000001);
  EXPECT_TRUE(ok.ipn->Paid());
  // The signature base as MoMo documents it, checked by openssl.
  EXPECT_EQ(body["signature"], OpensslHmac("sha256", testing::kFakeMomoSecretKey,
                                           MomoIpnSignedData(testing::kFakeMomoAccessKey, body)));

  auto tampered = body;
  tampered["amount"] = 250'001;
  EXPECT_EQ(VerifyMomoIpn(credentials, tampered).problem, MomoIpnProblem::kBadSignature);
  EXPECT_EQ(VerifyMomoIpn(credentials, FakeMomo::IpnBody("NS7M1", 250'000, 0, 1, "forged")).problem,
            MomoIpnProblem::kBadSignature);
  auto unsigned_body = body;
  unsigned_body.erase("signature");
  EXPECT_EQ(VerifyMomoIpn(credentials, unsigned_body).problem, MomoIpnProblem::kBadSignature);
  EXPECT_EQ(VerifyMomoIpn(credentials, nlohmann::json::array()).problem, MomoIpnProblem::kBadSignature);
  EXPECT_FALSE(VerifyMomoIpn(credentials, FakeMomo::IpnBody("NS7M1", 250'000, 1006)).ipn->Paid());
}

TEST(MomoProtocol, RefundRequestSigned) {
  MomoRefundRequest request;
  request.request_id = "RF-NS7M1-1";
  request.order_id = "RF-NS7M1";
  request.amount_vnd = 250'000;
  request.trans_id = 2547000001;
  request.description = "Hoan tien don NS7M1";
  const auto body = BuildMomoRefundBody(Momo(), request);
  const std::string expected_base =
      "accessKey=F8BBA842ECF85&amount=250000&description=Hoan tien don NS7M1&orderId=RF-NS7M1"
      "&partnerCode=MOMONONGSAN&requestId=RF-NS7M1-1&transId=2547000001";
  EXPECT_EQ(MomoRefundSignedData(Momo(), body), expected_base);
  EXPECT_EQ(body["signature"], OpensslHmac("sha256", testing::kFakeMomoSecretKey, expected_base));
}

TEST(GatewayClients, VnpayRefundThroughTheFakeTransactionApi) {
  FakeVnpay fake;
  VnpayClient client(Vnpay(&fake));
  VnpayRefundRequest request;
  request.request_id = "RF1";
  request.txn_ref = "NS1A1";
  request.amount_vnd = 50'000;
  request.transaction_no = "14226112";
  request.transaction_date = "20261129103000";
  request.create_by = "system";
  request.created_ms = testing::kTestNowMs;
  request.ip_addr = "127.0.0.1";
  request.order_info = "Hoan tien";
  auto refunded = client.Refund(request);
  ASSERT_TRUE(refunded.ok()) << refunded.error().detail;
  EXPECT_EQ(refunded.value().gateway_code, "00");
  EXPECT_EQ(fake.ValidRefunds(), 1);
  ASSERT_EQ(fake.Requests().size(), 1u);
  EXPECT_EQ(fake.Requests()[0]["vnp_Amount"], 5'000'000);

  // VNPay refuses (e.g. "94": a refund already in progress): an error, not success.
  fake.SetRefundAnswer("94");
  EXPECT_FALSE(client.Refund(request).ok());
  // Signed with the wrong secret: the fake answers 97, and its answer (signed
  // with the real secret) does not verify for a client holding the wrong one.
  auto wrong = Vnpay(&fake);
  wrong.hash_secret = "not-the-secret";
  EXPECT_FALSE(VnpayClient(wrong).Refund(request).ok());
  EXPECT_EQ(fake.ValidRefunds(), 2);
}

TEST(GatewayClients, MomoCreateAndRefundThroughTheFakeServer) {
  FakeMomo fake;
  MomoClient client(Momo(&fake));
  MomoCreateRequest create;
  create.request_id = "NS2M1-1";
  create.order_id = "NS2M1";
  create.amount_vnd = 99'000;
  create.order_info = "Thanh toan don hang NS2";
  create.redirect_url = "http://127.0.0.1/thanh-toan/momo/ket-qua";
  create.ipn_url = "http://127.0.0.1/api/v1/payments/momo/ipn";
  auto pay_url = client.CreatePayment(create);
  ASSERT_TRUE(pay_url.ok()) << pay_url.error().detail;
  EXPECT_EQ(pay_url.value(), fake.BaseUrl() + "/v2/gateway/pay?t=NS2M1");
  EXPECT_EQ(fake.ValidCreates(), 1);

  MomoRefundRequest refund;
  refund.request_id = "RF-NS2M1-1";
  refund.order_id = "RF-NS2M1";
  refund.amount_vnd = 99'000;
  refund.trans_id = 2547000001;
  refund.description = "Hoan tien";
  EXPECT_TRUE(client.Refund(refund).ok());
  EXPECT_EQ(fake.ValidRefunds(), 1);

  auto forged = Momo(&fake);
  forged.secret_key = "wrong";
  EXPECT_FALSE(MomoClient(forged).CreatePayment(create).ok());
  EXPECT_FALSE(MomoClient(forged).Refund(refund).ok());
  EXPECT_EQ(fake.ValidCreates(), 1);
  EXPECT_EQ(fake.ValidRefunds(), 1);
}

TEST(GatewayClients, UnreachableOrNotHttpIsAnErrorValue) {
  EXPECT_FALSE(ParseHttpUrl("ftp://payment.momo.vn").ok());
  EXPECT_FALSE(ParseHttpUrl("http://:80/x").ok());
  EXPECT_EQ(ParseHttpUrl("http://127.0.0.1:9/v2").value().path, "/v2");
  // Port 9 (discard) has nothing listening on loopback here.
  auto reply = PostJson("http://127.0.0.1:9/x", nlohmann::json::object());
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace nongsan::payments::gateways
