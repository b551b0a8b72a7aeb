#include "payments/gateways/vnpay.hpp"

#include <charconv>

#include "payments/gateways/signing.hpp"

namespace nongsan::payments::gateways {

namespace {

constexpr std::string_view kFieldPrefix = "vnp_";
constexpr std::string_view kSecureHash = "vnp_SecureHash";
constexpr std::string_view kSecureHashType = "vnp_SecureHashType";
constexpr std::int64_t kMinorUnitsPerVnd = 100;

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string JoinWithBars(const nlohmann::json& body, std::initializer_list<const char*> names) {
  std::string joined;
  bool first = true;
  for (const char* name : names) {
    if (!first) joined += '|';
    first = false;
    joined += JsonFieldText(body, name);
  }
  return joined;
}

}  // namespace

std::string VnpaySignedData(const std::map<std::string, std::string>& fields) {
  std::string data;
  for (const auto& [name, value] : fields) {  // std::map: sorted by name
    if (!name.starts_with(kFieldPrefix) || name == kSecureHash || name == kSecureHashType) continue;
    if (value.empty()) continue;  // VNPay's samples leave empty fields out of the hash and the URL
    if (!data.empty()) data += '&';
    data += FormEncode(name);
    data += '=';
    data += FormEncode(value);
  }
  return data;
}

std::string SignVnpayQuery(std::string_view hash_secret, const std::map<std::string, std::string>& fields) {
  const std::string data = VnpaySignedData(fields);
  return data + "&" + std::string(kSecureHash) + "=" + HmacSha512Hex(hash_secret, data);
}

std::string BuildVnpayPaymentUrl(const VnpayCredentials& credentials, const VnpayPaymentRequest& request) {
  const std::map<std::string, std::string> fields = {
      {"vnp_Version", std::string(kVnpayVersion)},
      {"vnp_Command", "pay"},
      {"vnp_TmnCode", credentials.tmn_code},
      {"vnp_Amount", std::to_string(request.amount_vnd * kMinorUnitsPerVnd)},
      {"vnp_CurrCode", "VND"},
      {"vnp_TxnRef", request.txn_ref},
      {"vnp_OrderInfo", request.order_info},
      {"vnp_OrderType", request.order_type},
      {"vnp_Locale", request.locale},
      {"vnp_ReturnUrl", request.return_url},
      {"vnp_IpAddr", request.ip_addr},
      {"vnp_CreateDate", VietnamTimestamp(request.created_ms)},
      {"vnp_ExpireDate", VietnamTimestamp(request.expires_ms)},
  };
  return credentials.pay_url + "?" + SignVnpayQuery(credentials.hash_secret, fields);
}

VnpayVerification VerifyVnpayCallback(const VnpayCredentials& credentials,
                                      const std::vector<std::pair<std::string, std::string>>& params) {
  std::map<std::string, std::string> fields;
  std::string received_hash;
  for (const auto& [name, value] : params) {
    if (name == kSecureHash) {
      received_hash = value;
    } else if (name.starts_with(kFieldPrefix)) {
      // A field sent twice would let the signed and the used value differ.
      if (!fields.emplace(name, value).second) return {std::nullopt, VnpayCallbackProblem::kBadSignature};
    }
  }
  const std::string expected = HmacSha512Hex(credentials.hash_secret, VnpaySignedData(fields));
  if (received_hash.empty() || !SignatureMatches(expected, received_hash)) {
    return {std::nullopt, VnpayCallbackProblem::kBadSignature};
  }
  if (fields["vnp_TmnCode"] != credentials.tmn_code)
    return {std::nullopt, VnpayCallbackProblem::kBadSignature};

  VnpayCallback callback;
  callback.tmn_code = fields["vnp_TmnCode"];
  callback.txn_ref = fields["vnp_TxnRef"];
  callback.response_code = fields["vnp_ResponseCode"];
  callback.transaction_status = fields["vnp_TransactionStatus"];
  callback.transaction_no = fields["vnp_TransactionNo"];
  callback.pay_date = fields["vnp_PayDate"];
  callback.bank_code = fields["vnp_BankCode"];
  const auto minor_units = ParseInt(fields["vnp_Amount"]);
  if (callback.txn_ref.empty() || !minor_units || *minor_units < 0 || *minor_units % kMinorUnitsPerVnd != 0) {
    return {std::nullopt, VnpayCallbackProblem::kMalformed};
  }
  callback.amount_vnd = *minor_units / kMinorUnitsPerVnd;
  return {std::move(callback), std::nullopt};
}

std::string VnpayRefundSignedData(const nlohmann::json& body) {
  return JoinWithBars(body,
                      {"vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                       "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                       "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"});
}

nlohmann::json BuildVnpayRefundBody(const VnpayCredentials& credentials, const VnpayRefundRequest& request) {
  nlohmann::json body = {
      {"vnp_RequestId", request.request_id},
      {"vnp_Version", std::string(kVnpayVersion)},
      {"vnp_Command", "refund"},
      {"vnp_TmnCode", credentials.tmn_code},
      {"vnp_TransactionType", request.transaction_type},
      {"vnp_TxnRef", request.txn_ref},
      {"vnp_Amount", request.amount_vnd * kMinorUnitsPerVnd},
      {"vnp_TransactionNo", request.transaction_no},
      {"vnp_TransactionDate", request.transaction_date},
      {"vnp_CreateBy", request.create_by},
      {"vnp_CreateDate", VietnamTimestamp(request.created_ms)},
      {"vnp_IpAddr", request.ip_addr},
      {"vnp_OrderInfo", request.order_info},
  };
  body["vnp_SecureHash"] = HmacSha512Hex(credentials.hash_secret, VnpayRefundSignedData(body));
  return body;
}

std::string VnpayRefundResponseSignedData(const nlohmann::json& body) {
  return JoinWithBars(
      body, {"vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
             "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
             "vnp_TransactionStatus", "vnp_OrderInfo"});
}

bool VerifyVnpayRefundResponse(std::string_view hash_secret, const nlohmann::json& body) {
  const std::string received = JsonFieldText(body, "vnp_SecureHash");
  if (received.empty()) return false;
  return SignatureMatches(HmacSha512Hex(hash_secret, VnpayRefundResponseSignedData(body)), received);
}

}  // namespace nongsan::payments::gateways
