#include "fuzz/targets.hpp"

#include "catalog/csv_reader.hpp"
#include "core/text.hpp"
#include "http/request.hpp"
#include "http/server.hpp"
#include "quality/evidence.hpp"
#include "http/multipart.hpp"
#include "catalog/gtin.hpp"
#include "trace/epcis_document.hpp"
#include "trace/gs1.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

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
  http::ServerConfig config;
  config.trust_proxy = !bytes.empty() && (static_cast<unsigned char>(bytes.back()) & 1U);
  const http::ParsedHead head = http::ParseRequestHead(bytes, config);
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
      Require(name.find('\0') == std::string::npos && value.find('\0') == std::string::npos, "no NUL in the query");
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
  Keep(request.Cookie("nongsan_session").value_or("").size() + request.Form("csrf_token").value_or("").size());
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
  catalog::CsvReader reader(bytes);
  std::size_t last_offset = 0;
  std::size_t last_line = 0;
  while (auto record = reader.Next()) {
    Require(reader.offset() > last_offset, "every record consumes input");
    Require(record->line > last_line, "records come in line order");
    Require(reader.offset() <= reader.size(), "the reader stays in the input");
    for (const auto& field : record->fields) {
      Require(field.size() <= catalog::kMaxCsvFieldBytes, "fields respect their limit");
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
    Require(part.data.empty() || (part.data.data() >= body_begin && part.data.data() + part.data.size() <= body_end),
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
  const std::size_t max_decoded = 1 + (limit_byte.empty() ? 4096 : static_cast<unsigned char>(limit_byte[0]) * 64);
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
  Keep(trace::ParseRfc3339(bytes).value_or(0) != 0);
}

void EpcisCapture(std::string_view bytes) {
  const nlohmann::json doc = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return;
  const trace::CaptureCheck check = trace::CheckCaptureDocument(doc);
  for (const auto& e : check.errors) Require(!e.field.empty() && !e.message.empty(), "every complaint names its field");
  if (check.not_epcis) {
    Require(!check.errors.empty(), "a document that is not EPCIS says why");
    return;
  }
  const auto& list = doc["epcisBody"]["eventList"];
  Require(list.is_array() && !list.empty() && list.size() <= trace::kMaxCaptureEvents, "an accepted list fits");
  Require(check.events.size() == list.size(), "every event is checked");
  if (!check.errors.empty()) return;
  for (const auto& event : check.events) {
    Require(!event.lots.empty(), "an accepted event names a lot");
    const auto& e = list[event.index];
    Require(e["type"] == "ObjectEvent" && e["eventTime"].is_string() && e["action"].is_string(),
            "an accepted event has what the store reads");
    Require(trace::ParseRfc3339(e["eventTime"].get<std::string>()).has_value(), "an accepted event has a time");
    for (const auto& lot : event.lots) Keep(lot.uri.size() + lot.field.size());
  }
}

std::span<const Target> Targets() {
  static constexpr std::array<Target, 9> kTargets = {{
      {"http_head", HttpHead},
      {"url_encoded", UrlEncoded},
      {"json_body", JsonBody},
      {"csv", Csv},
      {"multipart", Multipart},
      {"vietnamese_text", VietnameseText},
      {"uploads", Uploads},
      {"digital_link", DigitalLink},
      {"epcis_capture", EpcisCapture},
  }};
  return kTargets;
}

}  // namespace nongsan::fuzz
