#include "fuzz/targets.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "catalog/gtin.hpp"
#include "core/csv_reader.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "http/json_input.hpp"
#include "http/multipart.hpp"
#include "http/request.hpp"
#include "http/server.hpp"
#include "orders/lifecycle.hpp"
#include "payments/bank_csv.hpp"
#include "payments/bank_input.hpp"
#include "payments/gateways/momo.hpp"
#include "payments/gateways/vnpay.hpp"
#include "payments/vietqr.hpp"
#include "quality/evidence.hpp"
#include "trace/epcis_document.hpp"
#include "trace/gs1.hpp"

namespace nongsan::fuzz {
namespace {

// A property that must hold; otherwise a crash libFuzzer can report (and
// minimise), with the property named on stderr.
void Require(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", property);
  std::abort();
}

// Results go here so the optimiser cannot drop the work that made them.
volatile std::size_t g_sink = 0;
void Keep(std::size_t n) { g_sink = g_sink + n; }

// Splits the input at the first NUL, so one input drives two values (e.g. a
// header and a body); without a NUL the second part is empty.
std::pair<std::string_view, std::string_view> SplitAtNul(std::string_view bytes) {
  const std::size_t nul = bytes.find('\0');
  if (nul == std::string_view::npos) return {bytes, {}};
  return {bytes.substr(0, nul), bytes.substr(nul + 1)};
}

}  // namespace

void HttpHead(std::string_view bytes) {
  // Built once: a ServerConfig's default thread count asks the kernel for
  // the CPU count (a file read in /sys), which cost more than the parse.
  static const http::ServerConfig kDirect;
  static const http::ServerConfig kBehindProxy = [] {
    http::ServerConfig config;
    config.trust_proxy = true;
    return config;
  }();
  const bool proxied = !bytes.empty() && (static_cast<unsigned char>(bytes.back()) & 1U);
  const http::ParsedHead head = http::ParseRequestHead(bytes, proxied ? kBehindProxy : kDirect);
  Require(head.incomplete + head.request.has_value() + head.error.has_value() == 1, "exactly one outcome");
  if (head.error) {
    Require(head.error->status == 400 || head.error->status == 431, "a refused head is 400 or 431");
    Require(head.error->close, "a refused head closes the connection");
  }
  if (head.request) {
    const http::Request& request = *head.request;
    Require(!request.path.empty() && request.path.front() == '/', "the path is absolute");
    Require(request.path.find('\0') == std::string::npos, "no NUL in the path");
    Require(text::IsValidUtf8(request.path), "the path is UTF-8");
    for (const auto& [name, value] : http::ParseUrlEncoded(request.query_string)) {
      Require(name.find('\0') == std::string::npos && value.find('\0') == std::string::npos,
              "no NUL in the query");
      Keep(name.size() + value.size());
    }
    Keep(request.Cookie("nongsan_session").value_or("").size());
    Keep(request.headers.size());
  }
}

void UrlEncoded(std::string_view bytes) {
  for (const bool plus_as_space : {false, true}) {
    if (const auto decoded = http::UrlDecode(bytes, plus_as_space)) {
      Require(text::IsValidUtf8(*decoded), "decoded text is UTF-8");
      Require(decoded->size() <= bytes.size(), "decoding never grows");
      // Encoding what was decoded and decoding again gives it back.
      Require(http::UrlDecode(http::UrlEncode(*decoded), false) == *decoded, "encode/decode round trip");
    }
  }
  for (const auto& [name, value] : http::ParseUrlEncoded(bytes)) {
    Require(!name.empty(), "pairs have names");
    Require(name.find('\0') == std::string::npos && value.find('\0') == std::string::npos, "no NUL in pairs");
    Keep(value.size());
  }
  http::Request request;
  request.query_string = std::string(bytes);
  request.headers = {{"cookie", std::string(bytes)}, {"content-type", "application/x-www-form-urlencoded"}};
  request.body = std::string(bytes);
  Keep(request.Query("q").value_or("").size() + request.QueryAll("a").size());
  Keep(request.Cookie("nongsan_session").value_or("").size() +
       request.Form("csrf_token").value_or("").size());
}

void JsonBody(std::string_view bytes) {
  http::Request request;
  request.body = std::string(bytes);
  const auto parsed = request.JsonBody();
  if (parsed.ok()) {
    Require(parsed->is_object(), "a JSON body is an object");
    Keep(parsed->size());
  } else {
    Require(parsed.error().code == ErrorCode::kInvalid, "a bad body is a 400");
    Require(!parsed.error().detail.empty(), "a refusal says why");
  }
}

void Csv(std::string_view bytes) {
  CsvReader reader(bytes);
  std::size_t last_offset = 0;
  std::size_t last_line = 0;
  while (auto record = reader.Next()) {
    Require(reader.offset() > last_offset, "every record consumes input");
    Require(record->line > last_line, "records come in line order");
    Require(reader.offset() <= reader.size(), "the reader stays in the input");
    for (const auto& field : record->fields) {
      Require(field.size() <= kMaxCsvFieldBytes, "fields respect their limit");
      Keep(field.size());
    }
    last_offset = reader.offset();
    last_line = record->line;
  }
}

void Multipart(std::string_view bytes) {
  // First line: the Content-Type header value (so the fuzzer finds the
  // boundary); the rest: the body.
  const std::size_t newline = bytes.find('\n');
  http::Request request;
  request.method = "POST";
  request.headers = {{"content-type", std::string(bytes.substr(0, newline))}};
  request.body = newline == std::string_view::npos ? std::string() : std::string(bytes.substr(newline + 1));
  const auto parts = http::ParseMultipart(request);
  if (!parts.ok()) return;
  Require(parts->size() <= http::kMaxMultipartParts, "at most kMaxMultipartParts parts");
  const char* body_begin = request.body.data();
  const char* body_end = body_begin + request.body.size();
  for (const auto& part : *parts) {
    Require(part.data.empty() ||
                (part.data.data() >= body_begin && part.data.data() + part.data.size() <= body_end),
            "part data lies inside the body");
    Keep(part.name.size() + part.filename.size() + part.data.size());
  }
}

void VietnameseText(std::string_view bytes) {
  const bool valid = text::IsValidUtf8(bytes);
  const std::string folded = text::FoldVietnamese(bytes);
  if (valid) {
    Require(text::IsValidUtf8(folded), "folding keeps UTF-8 valid");
    Require(text::FoldVietnamese(folded) == folded, "folding is idempotent");
    Keep(text::CodePointCount(bytes));
  }
  for (const auto& word : text::FoldedWords(bytes)) {
    Require(!word.empty(), "words are not empty");
    Keep(word.size());
  }
  const std::size_t max_len = 1 + static_cast<unsigned char>(bytes.empty() ? 0 : bytes[0]) % 100;
  const std::string slug = text::Slugify(bytes, max_len);
  Require(slug.size() <= max_len, "a slug respects its length");
  Require(slug.empty() || (slug.front() != '-' && slug.back() != '-'), "a slug has no dash at its ends");
  if (valid) Require(text::IsValidUtf8(slug), "a slug is cut on character boundaries");
  const std::string escaped = text::HtmlEscape(bytes);
  Require(escaped.find_first_of("<>\"'") == std::string::npos, "escaped text has no markup characters");
  if (valid) Keep(text::ToNfc(bytes).size());
  Keep(text::Trim(bytes).size());
}

void Uploads(std::string_view bytes) {
  if (const auto kind = quality::SniffFile(bytes)) {
    Require(bytes.size() >= quality::kMinUploadBytes, "nothing shorter than kMinUploadBytes is a file");
    Keep(quality::ContentTypeOf(*kind).size());
  }
  const auto [text, limit_byte] = SplitAtNul(bytes);
  const std::size_t max_decoded =
      1 + (limit_byte.empty() ? 4096 : static_cast<unsigned char>(limit_byte[0]) * 64);
  const auto decoded = quality::DecodeBase64(text, max_decoded, "file");
  if (decoded.ok()) {
    Require(decoded->size() <= max_decoded, "decoded files respect their limit");
  } else {
    Require(decoded.error().code == ErrorCode::kInvalid || decoded.error().code == ErrorCode::kTooLarge,
            "bad base64 is a 400 or a 413");
  }
}

void DigitalLink(std::string_view bytes) {
  constexpr std::string_view kBase = "https://truyxuat.example.vn";
  // The bytes as a whole URI and as a path under the platform's base URL.
  for (const std::string& uri : {std::string(bytes), std::string(kBase) + std::string(bytes)}) {
    const auto parts = trace::ParseLotUri(kBase, uri);
    if (!parts) continue;
    if (parts->public_code.empty()) {
      Require(parts->gtin14.size() == 14 && !parts->lot_code.empty(), "a lot URI names a GTIN-14 and a lot");
      // What the resolver does with the parts: checks, and builds the link
      // again, which reads back as the same lot when the code is a lot code.
      if (!catalog::gtin::Problem(parts->gtin14) && !trace::gs1::LotCodeProblem(parts->lot_code)) {
        const std::string link = trace::gs1::DigitalLink(kBase, parts->gtin14, parts->lot_code, std::nullopt);
        const auto again = trace::ParseLotUri(kBase, link);
        Require(again && again->gtin14 == parts->gtin14 && again->lot_code == parts->lot_code,
                "a Digital Link the platform builds parses back to its lot");
      }
    } else {
      Require(parts->gtin14.empty() && parts->lot_code.empty(), "a public code URI names nothing else");
    }
  }
  // The resolver's path segments: a GTIN of any length, a lot code.
  const auto [gtin, lot] = SplitAtNul(bytes);
  if (!catalog::gtin::Problem(gtin)) {
    Require(trace::gs1::ToGtin14(gtin).size() == 14, "a valid GTIN has a 14-digit form");
  }
  if (!trace::gs1::LotCodeProblem(lot)) {
    const std::string encoded = trace::gs1::EncodePathSegment(lot);
    Require(encoded.find('/') == std::string::npos && encoded.find('?') == std::string::npos,
            "an encoded lot code stays one path segment");
    Require(http::UrlDecode(encoded, false) == std::string(lot), "an encoded lot code decodes back");
  }
  Keep(timefmt::ParseRfc3339(bytes).value_or(0) != 0);
}

void EpcisCapture(std::string_view bytes) {
  const nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return;
  const trace::CaptureCheck check = trace::CheckCaptureDocument(doc);
  for (const auto& e : check.errors)
    Require(!e.field.empty() && !e.message.empty(), "every complaint names its field");
  if (check.not_epcis) {
    Require(!check.errors.empty(), "a document that is not EPCIS says why");
    return;
  }
  const auto& list = doc["epcisBody"]["eventList"];
  Require(list.is_array() && !list.empty() && list.size() <= trace::kMaxCaptureEvents,
          "an accepted list fits");
  Require(check.events.size() == list.size(), "every event is checked");
  if (!check.errors.empty()) return;
  for (const auto& event : check.events) {
    Require(!event.lots.empty(), "an accepted event names a lot");
    const auto& e = list[event.index];
    Require(e["type"] == "ObjectEvent" && e["eventTime"].is_string() && e["action"].is_string(),
            "an accepted event has what the store reads");
    Require(trace::ParseRfc3339(e["eventTime"].get<std::string>()).has_value(),
            "an accepted event has a time");
    for (const auto& lot : event.lots) Keep(lot.uri.size() + lot.field.size());
  }
}

namespace {

// Takes the next `n` bytes of the input (fewer at its end).
std::string_view Take(std::string_view& bytes, std::size_t n) {
  const std::string_view out = bytes.substr(0, std::min(n, bytes.size()));
  bytes.remove_prefix(out.size());
  return out;
}
std::string Digits(std::string_view from, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i)
    out += static_cast<char>('0' + (i < from.size() ? static_cast<unsigned char>(from[i]) % 10 : 0));
  return out;
}

// Walks an EMVCo TLV string (two-digit id, two-digit length, value) into
// {id, value} pairs; nullopt when it is not one.
std::optional<std::vector<std::pair<std::string, std::string>>> WalkTlv(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    if (s.size() < 4 || !std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    const std::size_t length = static_cast<std::size_t>((s[2] - '0') * 10 + (s[3] - '0'));
    if (s.size() < 4 + length) return std::nullopt;
    out.emplace_back(std::string(s.substr(0, 2)), std::string(s.substr(4, length)));
    s.remove_prefix(4 + length);
  }
  return out;
}

const payments::gateways::VnpayCredentials& Vnpay() {
  static const payments::gateways::VnpayCredentials credentials{"NONGSAN1", "FUZZSECRETFUZZSECRET", "", ""};
  return credentials;
}
const payments::gateways::MomoCredentials& Momo() {
  static const payments::gateways::MomoCredentials credentials{"MOMOFUZZ", "accesskey", "secretkey", ""};
  return credentials;
}

}  // namespace

void VietQr(std::string_view bytes) {
  // References inside whatever a bank writes in a transfer's description.
  for (const std::string& reference : payments::FindReferences(bytes)) {
    Require(reference.size() == payments::kReferencePrefix.size() + payments::kReferenceCodeChars,
            "a reference has its length");
    Require(reference.starts_with(payments::kReferencePrefix), "a reference has its prefix");
    Require(payments::FindReferences(reference) == std::vector<std::string>{reference},
            "a reference finds itself");
  }
  // A payload built from fields as the service checks them: a 6-digit BIN,
  // 6–19 digits of account, any amount (0: a static QR), a reference or none.
  std::string_view rest = bytes;
  payments::VietQrTransfer transfer;
  transfer.bank_bin = Digits(Take(rest, 6), 6);
  const std::string_view account = Take(rest, 1);
  const std::size_t account_digits =
      payments::kMinAccountDigits + (account.empty() ? 0 : static_cast<unsigned char>(account[0])) %
                                        (payments::kMaxAccountDigits - payments::kMinAccountDigits + 1);
  transfer.account_number = Digits(Take(rest, account_digits), account_digits);
  for (char c : Take(rest, 5))
    transfer.amount_vnd = transfer.amount_vnd * 256 + static_cast<unsigned char>(c);
  const std::string_view code = Take(rest, payments::kReferenceCodeChars);
  if (code.size() == payments::kReferenceCodeChars) {
    static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    std::string order_code;
    for (char c : code) order_code += kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
    transfer.reference = payments::ReferenceFor(order_code);
  }
  Require(payments::IsAccountNumber(transfer.account_number), "the account is one");
  const std::string payload = payments::VietQrPayload(transfer);
  const auto fields = WalkTlv(payload);
  Require(fields.has_value(), "the payload is TLV");
  Require(fields->size() >= 6 && fields->back().first == "63" && fields->back().second.size() == 4,
          "the payload ends with its CRC");
  char crc[5];
  std::snprintf(crc, sizeof crc, "%04X",
                static_cast<unsigned>(
                    payments::Crc16CcittFalse(std::string_view(payload).substr(0, payload.size() - 4))));
  Require(fields->back().second == crc, "the CRC is of the payload before it");
  std::map<std::string, std::string> by_id;
  std::string previous;
  for (const auto& [id, value] : *fields) {
    Require(id > previous, "ids ascend");
    previous = id;
    by_id[id] = value;
  }
  Require(by_id["01"] == (transfer.amount_vnd > 0 ? "12" : "11"), "dynamic exactly when there is an amount");
  Require(
      transfer.amount_vnd > 0 ? by_id["54"] == std::to_string(transfer.amount_vnd) : by_id.count("54") == 0,
      "the amount reads back");
  const auto merchant = WalkTlv(by_id["38"]);
  Require(merchant && merchant->size() == 3 && (*merchant)[0].second == "A000000727", "field 38 is NAPAS's");
  const auto beneficiary = WalkTlv((*merchant)[1].second);
  Require(beneficiary && beneficiary->size() == 2 && (*beneficiary)[0].second == transfer.bank_bin &&
              (*beneficiary)[1].second == transfer.account_number,
          "the bank and account read back");
  if (!transfer.reference.empty()) {
    const auto additional = WalkTlv(by_id["62"]);
    Require(additional && additional->size() == 1 && (*additional)[0].second == transfer.reference,
            "the reference reads back");
    const auto found = payments::FindReferences(payload);
    Require(std::find(found.begin(), found.end(), transfer.reference) != found.end(),
            "the reference is found in the payload");
  }
  Keep(payload.size());
}

void VnpayIpn(std::string_view bytes) {
  using payments::gateways::VnpayCallbackProblem;
  const auto params = http::ParseUrlEncoded(bytes);
  const auto verified = payments::gateways::VerifyVnpayCallback(Vnpay(), params);
  Require(verified.callback.has_value() != verified.problem.has_value(), "verified or refused, not both");
  if (verified.callback) {
    Require(verified.callback->tmn_code == Vnpay().tmn_code, "only our terminal verifies");
    Require(verified.callback->amount_vnd >= 0 && !verified.callback->txn_ref.empty(),
            "a verified IPN has its fields");
  }
  // The same fields, signed as VNPay signs them, always verify: what we
  // parse and what we sign agree, whatever the text.
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : params) {
    if (name.starts_with("vnp_") && name != "vnp_SecureHash" && name != "vnp_SecureHashType")
      fields.emplace(name, value);
  }
  fields["vnp_TmnCode"] = Vnpay().tmn_code;
  const std::string query = payments::gateways::SignVnpayQuery(Vnpay().hash_secret, fields);
  const auto resigned = payments::gateways::VerifyVnpayCallback(Vnpay(), http::ParseUrlEncoded(query));
  Require(resigned.problem != VnpayCallbackProblem::kBadSignature, "a query we signed verifies");
}

void MomoIpn(std::string_view bytes) {
  using payments::gateways::MomoIpnProblem;
  // As the IPN route reads it (GatewayService::HandleMomoIpn).
  nlohmann::json body = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return;
  const auto verified = payments::gateways::VerifyMomoIpn(Momo(), body);
  Require(verified.ipn.has_value() != verified.problem.has_value(), "verified or refused, not both");
  if (verified.ipn)
    Require(verified.ipn->amount_vnd >= 0 && !verified.ipn->order_id.empty(),
            "a verified IPN has its fields");
  // Signed as MoMo signs it, the same body verifies.
  body["partnerCode"] = Momo().partner_code;
  payments::gateways::SignMomoIpn(Momo(), body);
  Require(payments::gateways::VerifyMomoIpn(Momo(), body).problem != MomoIpnProblem::kBadSignature,
          "a body we signed verifies");
}

void JsonInput(std::string_view bytes) {
  // As a route reads it: the body (duplicate keys refused), then its members.
  http::Request request;
  request.body = std::string(bytes);
  const auto parsed = request.JsonBody();
  if (!parsed.ok()) return;
  http::JsonInput in(*parsed, bytes.size() % 2 == 0 ? "" : "address.");
  constexpr std::size_t kMaxChars = 20;
  const http::TextRule rule{.min_chars = 0,
                            .max_chars = kMaxChars,
                            .lines = http::TextLines::kSingle,
                            .markup = http::Markup::kRefused};
  if (const auto text = in.Text("name", http::Presence::kOptional, rule)) {
    Require(text::IsValidUtf8(*text), "cleaned text is UTF-8");
    Require(text::CodePointCount(*text) <= kMaxChars, "cleaned text respects its limit");
    Require(std::none_of(text->begin(), text->end(),
                         [](char c) {
                           return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '<' || c == '>';
                         }),
            "cleaned text has no control characters or markup");
    Require(text::Trim(*text) == *text, "cleaned text is trimmed");
  }
  if (const auto note =
          in.Text("note", http::Presence::kRequired, {.max_chars = 200, .lines = http::TextLines::kMulti})) {
    Require(!note->empty(), "a required text is not blank");
  }
  if (const auto s = in.String("code", http::Presence::kOptional, 16))
    Require(s->size() <= 16, "strings respect their limit");
  if (const auto ids = in.IntArray("ids", http::Presence::kOptional))
    Require(ids->size() <= http::kMaxArrayItems, "arrays respect their limit");
  Keep(in.Int("n", http::Presence::kOptional).value_or(0) != 0);
  Keep(in.Bool("flag", http::Presence::kOptional).value_or(false));
  Keep(in.StringArray("tags", http::Presence::kOptional).value_or(std::vector<std::string>{}).size());
  const Status finished = in.Finish();
  Require(finished.ok() == in.errors().empty(), "Finish is ok exactly without errors");
  if (!finished.ok()) {
    Require(finished.error().code == ErrorCode::kInvalid, "bad fields are a 400");
    for (const auto& f : finished.error().fields) Require(!f.message.empty(), "every error says why");
  }
}

void BankStatement(std::string_view bytes) {
  const std::string account = "0123456789";
  const auto parsed = payments::ParseBankStatement(account, bytes);
  if (parsed.ok()) {
    Require(parsed->size() <= payments::kMaxStatementLines, "a statement keeps to its line limit");
    std::set<std::string> ids;
    for (const payments::IncomingMoney& m : *parsed) {
      Require(m.source == "bank" && m.channel == "statement" && m.account_number == account,
              "a statement line is the bank's money into the account");
      Require(!m.external_id.empty() && m.external_id.size() <= payments::kMaxStatementIdBytes,
              "a line has its transaction id");
      Require(text::Trim(m.external_id) == m.external_id, "the id is trimmed");
      Require(ids.insert(m.external_id).second, "no transaction twice in one statement");
      Require(m.amount_vnd > 0 && m.amount_vnd <= money::kMaxVnd, "amounts are positive and bounded");
    }
    return;
  }
  const Error& e = parsed.error();
  Require(e.code == ErrorCode::kInvalid && e.type == "statement_invalid", "a broken statement is a 400");
  Require(!e.fields.empty() && e.fields.size() <= payments::kMaxStatementErrors,
          "a refusal names its broken lines, a bounded number of them");
  for (const auto& f : e.fields) {
    Require(f.field.starts_with("line ") && !f.message.empty(), "every broken line is named and says why");
  }
}

void BankNotification(std::string_view bytes) {
  const auto parsed = payments::ParseBankNotification(bytes);
  if (parsed.ok()) {
    const payments::IncomingMoney& m = *parsed;
    Require(m.source == "bank" && m.channel == "webhook", "a notification is the bank's webhook");
    Require(!m.external_id.empty() && m.external_id.size() <= payments::kMaxNotificationIdBytes,
            "a notification has its transaction id");
    Require(payments::IsAccountNumber(m.account_number), "the account is an account number");
    Require(m.amount_vnd > 0 && m.amount_vnd <= money::kMaxVnd, "amounts are positive and bounded");
    Require(m.description.size() <= 4 * payments::kMaxDescriptionChars, "the description is bounded");
    return;
  }
  const Error& e = parsed.error();
  Require(e.code == ErrorCode::kInvalid, "a bad notification is a 400");
  Require(!e.fields.empty() && !e.detail.empty(), "a refusal names its members");
  for (const auto& f : e.fields) Require(!f.field.empty() && !f.message.empty(), "every member says why");
}

void CodRemittance(std::string_view bytes) {
  const auto parsed = payments::ParseCodRemittance(bytes);
  if (parsed.ok()) {
    Require(parsed->size() <= payments::kMaxRemittanceLines, "a remittance keeps to its line limit");
    std::set<std::string> parcels;
    std::size_t previous_line = 1;  // the header
    for (const payments::RemittanceInput& in : *parsed) {
      Require(!in.tracking_code.empty() && in.tracking_code.size() <= orders::kMaxTrackingCodeBytes,
              "a line has its tracking code, within orders' limit");
      Require(std::all_of(in.tracking_code.begin(), in.tracking_code.end(),
                          [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' ||
                                   c == '.';
                          }),
              "a tracking code is letters, digits, '-', '_' or '.'");
      Require(parcels.insert(in.tracking_code).second, "no parcel twice in one remittance");
      Require(in.amount_vnd > 0 && in.amount_vnd <= money::kMaxVnd, "amounts are positive and bounded");
      Require(in.line > previous_line, "lines are numbered in order, after the header");
      previous_line = in.line;
    }
    return;
  }
  const Error& e = parsed.error();
  Require(e.code == ErrorCode::kInvalid && e.type == "remittance_invalid", "a broken remittance is a 400");
  Require(!e.fields.empty() && e.fields.size() <= payments::kMaxStatementErrors,
          "a refusal names its broken lines, a bounded number of them");
  for (const auto& f : e.fields) {
    Require(f.field.starts_with("line ") && !f.message.empty(), "every broken line is named and says why");
  }
}

}  // namespace nongsan::fuzz
