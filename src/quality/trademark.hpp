// What a certificate of kind `trademark` carries beyond the common fields: the
// application filed with the Vietnamese IP Office (Cục Sở hữu trí tuệ), its
// filing date and where it stands — filed, granted or refused.
//
// A granted trademark's certificate number (số Giấy chứng nhận đăng ký nhãn
// hiệu) is the certificate's own `number`. Before the grant there is none, so
// a filed or refused trademark may leave `number` empty and the application
// number is stored there instead; the duplicate check on numbers then stops
// the same application being entered twice. Only a granted, verified
// trademark counts as a badge (see QualityService::GrantedTrademarks).
// Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::quality {

enum class TrademarkStatus { kFiled, kGranted, kRefused };

// Application numbers are "4-YYYY-NNNNN": 4 is the IP Office's prefix for
// trademarks, then the filing year and a five-digit serial.
inline constexpr std::string_view kTrademarkApplicationPrefix = "4-";
inline constexpr std::size_t kTrademarkSerialDigits = 5;
// A trademark is protected for ten years from its filing date (Luật SHTT, art. 93).
inline constexpr int kTrademarkTermMonths = 10 * 12;

std::string_view TrademarkStatusName(TrademarkStatus status);  // "filed", "granted", "refused"
std::optional<TrademarkStatus> ParseTrademarkStatus(std::string_view name);
// Whether `s` is written as an application number "4-2024-12345".
bool IsTrademarkApplicationNumber(std::string_view s);

struct Trademark {
  std::string application_number;
  std::int64_t filing_day = 0;  // days since 1970-01-01
  TrademarkStatus status = TrademarkStatus::kFiled;
  std::string refusal_reason;  // only when refused, may be empty
};

// The trademark fields as the API or a form received them.
struct TrademarkInput {
  std::optional<std::string> application_number;
  std::optional<std::string> filing_date;  // YYYY-MM-DD
  std::optional<std::string> trademark_status;
  std::optional<std::string> refusal_reason;

  bool Any() const { return application_number || filing_date || trademark_status || refusal_reason; }
};

// Checks the trademark fields of a certificate of kind trademark, appending a
// field error per problem; `number` is the certificate number as typed (a
// granted trademark needs one). nullopt when something is wrong.
std::optional<Trademark> CheckTrademark(const TrademarkInput& in, const std::string& number,
                                        std::int64_t today, std::vector<FieldError>& errors);

}  // namespace nongsan::quality
