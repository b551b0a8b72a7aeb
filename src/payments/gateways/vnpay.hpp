// VNPay's payment gateway protocol, version 2.1.0, as pure functions: the
// payment URL a buyer is sent to, the verification of what VNPay sends back
// (the IPN and the buyer's return, both query strings), and the refund call
// of VNPay's transaction API (a JSON POST with a "|"-joined signature).
//
// Signatures: the payment URL and callbacks are signed with HMAC-SHA512 over
// the vnp_* fields sorted by name, each name and value form-encoded, joined
// "k=v&…" (vnp_SecureHash and vnp_SecureHashType left out); the transaction
// API signs its fields' values joined by "|" in the order VNPay documents.
// Amounts travel as VND × 100. No I/O here (VnpayClient does the POST).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace nongsan::payments::gateways {

inline constexpr std::string_view kVnpayVersion = "2.1.0";
// VNPay's answer codes to an IPN (its docs; see DOMAIN.md).
inline constexpr std::string_view kVnpayIpnConfirmed = "00";
inline constexpr std::string_view kVnpayIpnOrderNotFound = "01";
inline constexpr std::string_view kVnpayIpnAlreadyConfirmed = "02";
inline constexpr std::string_view kVnpayIpnInvalidAmount = "04";
inline constexpr std::string_view kVnpayIpnInvalidSignature = "97";
inline constexpr std::string_view kVnpayIpnOtherError = "99";
// vnp_TransactionType of a refund: the whole payment or part of it.
inline constexpr std::string_view kVnpayFullRefund = "02";
inline constexpr std::string_view kVnpayPartialRefund = "03";

struct VnpayCredentials {
  std::string tmn_code;     // vnp_TmnCode, the merchant's terminal
  std::string hash_secret;  // the HMAC key; never logged
  std::string pay_url;      // e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
  std::string api_url;      // e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction
};

struct VnpayPaymentRequest {
  std::string txn_ref;  // our reference, unique per payment attempt
  std::int64_t amount_vnd = 0;
  std::string order_info;  // shown to the buyer at VNPay; ASCII (VNPay asks for
                           // Vietnamese without diacritics), at most 255 bytes
  std::string order_type = "other";
  std::string locale = "vn";
  std::string return_url;
  std::string ip_addr;
  std::int64_t created_ms = 0;
  std::int64_t expires_ms = 0;
};

// The signature base of a set of fields: every vnp_* field except the hash
// fields, sorted by name, "k=v" form-encoded, joined with '&'.
std::string VnpaySignedData(const std::map<std::string, std::string>& fields);

// The full payment URL (pay_url?…&vnp_SecureHash=…).
std::string BuildVnpayPaymentUrl(const VnpayCredentials& credentials, const VnpayPaymentRequest& request);

// What a verified callback (IPN or return) says.
struct VnpayCallback {
  std::string tmn_code;
  std::string txn_ref;
  std::int64_t amount_vnd = 0;     // vnp_Amount / 100
  std::string response_code;       // vnp_ResponseCode
  std::string transaction_status;  // vnp_TransactionStatus
  std::string transaction_no;      // vnp_TransactionNo (VNPay's id)
  std::string pay_date;            // vnp_PayDate, yyyyMMddHHmmss Vietnam time
  std::string bank_code;
  // The buyer paid: both codes are "00".
  bool Paid() const { return response_code == "00" && transaction_status == "00"; }
};

enum class VnpayCallbackProblem { kBadSignature, kMalformed };

// Verifies a callback's decoded query parameters. kBadSignature when the hash
// is missing or wrong (compared in constant time) or the terminal is not ours;
// kMalformed when signed but a field VNPay always sends is missing or not a
// number.
struct VnpayVerification {
  std::optional<VnpayCallback> callback;
  std::optional<VnpayCallbackProblem> problem;
};
VnpayVerification VerifyVnpayCallback(const VnpayCredentials& credentials,
                                      const std::vector<std::pair<std::string, std::string>>& params);

// The signed query string VNPay would send for a callback with these fields
// (for the fake VNPay server, tests and the benchmark).
std::string SignVnpayQuery(std::string_view hash_secret, const std::map<std::string, std::string>& fields);

struct VnpayRefundRequest {
  std::string request_id;  // unique per call
  std::string transaction_type = std::string(kVnpayFullRefund);
  std::string txn_ref;  // the payment's vnp_TxnRef
  std::int64_t amount_vnd = 0;
  std::string transaction_no;    // VNPay's vnp_TransactionNo of the payment, may be empty
  std::string transaction_date;  // the payment's vnp_PayDate (or create date)
  std::string create_by;         // who asked for the refund
  std::int64_t created_ms = 0;
  std::string ip_addr;
  std::string order_info;
};

// The "|"-joined signature base of a refund request, in VNPay's order:
// RequestId|Version|Command|TmnCode|TransactionType|TxnRef|Amount|
// TransactionNo|TransactionDate|CreateBy|CreateDate|IpAddr|OrderInfo.
std::string VnpayRefundSignedData(const nlohmann::json& body);
// The refund request body, signed.
nlohmann::json BuildVnpayRefundBody(const VnpayCredentials& credentials, const VnpayRefundRequest& request);

// The "|"-joined signature base of the transaction API's answer:
// ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|
// PayDate|TransactionNo|TransactionType|TransactionStatus|OrderInfo.
std::string VnpayRefundResponseSignedData(const nlohmann::json& body);
// True when the answer carries a valid vnp_SecureHash.
bool VerifyVnpayRefundResponse(std::string_view hash_secret, const nlohmann::json& body);

}  // namespace nongsan::payments::gateways
