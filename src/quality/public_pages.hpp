// What the public sees of the quality module without signing in: the
// register of quality-assured products as an HTML page and a CSV file, and
// the verification page behind each certificate's QR code, which tells a
// consumer holding a pack whether its certificate is genuine and valid today.
// Plain HTML with one static stylesheet and no scripts, readable on a cheap
// phone on slow data, in Vietnamese or (with ?lang=en) English. Pure
// functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "quality/ports.hpp"
#include "quality/quality_service.hpp"

namespace nongsan::quality {

// CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read
// Vietnamese correctly); cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe.
std::string RegisterCsv(const std::vector<RegisterEntry>& rows, const AreaPort& areas);
// "so-dang-ky-chat-luong-2026-11-29.csv"
std::string RegisterCsvFilename(std::int64_t today);

// {code, genuine, valid_today, status, kind, ocop_stars, number, issuer,
//  issued_on, expires_on, shop, products[], verified_at, as_of}
nlohmann::json PublicCheckJson(const PublicCheck& check, const std::string& verify_url);

// The language of the public pages: Vietnamese, or English for visitors.
enum class PageLang { kVi, kEn };
// kEn for "?lang=en", else kVi.
PageLang PageLangOf(const std::optional<std::string>& lang_query);

std::string VerificationPage(const PublicCheck& check, const std::string& verify_url,
                             PageLang lang = PageLang::kVi);
std::string VerificationPageUnknown(const std::string& code, PageLang lang = PageLang::kVi);
std::string VerificationPageUnavailable(PageLang lang = PageLang::kVi);

std::string RegisterPageHtml(const std::vector<RegisterEntry>& rows, const RegisterQuery& query,
                             const AreaPort& areas, std::int64_t today, PageLang lang = PageLang::kVi);

// A QR code of text as an SVG image (error correction M, quiet zone
// included), for printing on packs.
Result<std::string> QrSvg(const std::string& text);

}  // namespace nongsan::quality
