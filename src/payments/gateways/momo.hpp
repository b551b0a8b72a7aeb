// MoMo's all-in-one payment gateway, API v2, as pure functions: the create
// request (requestType captureWallet) whose answer carries the payUrl, the
// verification of MoMo's IPN, and the refund request (/v2/gateway/api/refund).
//
// Every request and the IPN are signed with HMAC-SHA256 (the merchant's
// secret key) over "k=v&…" of a fixed field list in a-z order, values raw (not
// URL-encoded), accessKey included although it is not in the body. Amounts are
// whole VND. No I/O here (MomoClient does the POSTs). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace nongsan::payments::gateways {

inline constexpr std::string_view kMomoRequestType = "captureWallet";
inline constexpr std::string_view kMomoCreatePath = "/v2/gateway/api/create";
inline constexpr std::string_view kMomoRefundPath = "/v2/gateway/api/refund";
// resultCode of a successful payment, creation or refund.
inline constexpr std::int64_t kMomoSuccess = 0;

struct MomoCredentials {
  std::string partner_code;
  std::string access_key;
  std::string secret_key;  // the HMAC key; never logged
  std::string endpoint;    // e.g. https://test-payment.momo.vn (paths appended)
};

struct MomoCreateRequest {
  std::string request_id;  // unique per call (MoMo's idempotency key)
  std::string order_id;    // our reference, unique per payment attempt
  std::int64_t amount_vnd = 0;
  std::string order_info;
  std::string redirect_url;  // the buyer's return page
  std::string ipn_url;       // our POST /api/v1/payments/momo/ipn
  std::string extra_data;    // base64 or ""
  std::string lang = "vi";
};

// The signature bases, exactly as MoMo documents their field order.
std::string MomoCreateSignedData(const MomoCredentials& credentials, const nlohmann::json& body);
std::string MomoIpnSignedData(std::string_view access_key, const nlohmann::json& body);
std::string MomoRefundSignedData(const MomoCredentials& credentials, const nlohmann::json& body);

// The create request body, signed.
nlohmann::json BuildMomoCreateBody(const MomoCredentials& credentials, const MomoCreateRequest& request);

// What a verified IPN says.
struct MomoIpn {
  std::string order_id;
  std::string request_id;
  std::int64_t amount_vnd = 0;
  std::int64_t trans_id = 0;  // MoMo's transaction id (refunds need it)
  std::int64_t result_code = -1;
  std::string message;
  bool Paid() const { return result_code == kMomoSuccess; }
};

enum class MomoIpnProblem { kBadSignature, kMalformed };
struct MomoVerification {
  std::optional<MomoIpn> ipn;
  std::optional<MomoIpnProblem> problem;
};
// Verifies an IPN body: kBadSignature when the signature is missing or wrong
// (constant time) or the partner code is not ours; kMalformed when the body
// is signed but lacks a number MoMo always sends.
MomoVerification VerifyMomoIpn(const MomoCredentials& credentials, const nlohmann::json& body);

// Signs an IPN body as MoMo would (for the fake MoMo server, tests, bench).
void SignMomoIpn(const MomoCredentials& credentials, nlohmann::json& body);

struct MomoRefundRequest {
  std::string request_id;
  std::string order_id;  // a new id for the refund, not the payment's
  std::int64_t amount_vnd = 0;
  std::int64_t trans_id = 0;  // the payment's transId
  std::string description;
  std::string lang = "vi";
};
nlohmann::json BuildMomoRefundBody(const MomoCredentials& credentials, const MomoRefundRequest& request);

}  // namespace nongsan::payments::gateways
