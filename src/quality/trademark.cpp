#include "quality/trademark.hpp"

#include "core/clock.hpp"
#include "quality/quality_service.hpp"
#include "quality/text_input.hpp"

namespace nongsan::quality {
namespace {

bool AllDigits(std::string_view s) {
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return !s.empty();
}

}  // namespace

std::string_view TrademarkStatusName(TrademarkStatus status) {
  switch (status) {
    case TrademarkStatus::kFiled:
      return "filed";
    case TrademarkStatus::kGranted:
      return "granted";
    case TrademarkStatus::kRefused:
      return "refused";
  }
  return "filed";
}

std::optional<TrademarkStatus> ParseTrademarkStatus(std::string_view name) {
  for (auto s : {TrademarkStatus::kFiled, TrademarkStatus::kGranted, TrademarkStatus::kRefused}) {
    if (TrademarkStatusName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsTrademarkApplicationNumber(std::string_view s) {
  // "4-" + four-digit year + "-" + serial.
  constexpr std::size_t kYearDigits = 4;
  const std::size_t prefix = kTrademarkApplicationPrefix.size();
  if (s.size() != prefix + kYearDigits + 1 + kTrademarkSerialDigits) return false;
  if (s.substr(0, prefix) != kTrademarkApplicationPrefix || s[prefix + kYearDigits] != '-') return false;
  return AllDigits(s.substr(prefix, kYearDigits)) && AllDigits(s.substr(prefix + kYearDigits + 1));
}

std::optional<Trademark> CheckTrademark(const TrademarkInput& in, const std::string& number,
                                        std::int64_t today, std::vector<FieldError>& errors) {
  const std::size_t before = errors.size();
  Trademark tm;
  if (!in.application_number || in.application_number->empty()) {
    errors.push_back(
        {"application_number", "is required for a trademark: the IP Office number, e.g. 4-2024-12345"});
  } else if (!IsTrademarkApplicationNumber(*in.application_number)) {
    errors.push_back({"application_number", "must be written like 4-2024-12345"});
  } else {
    tm.application_number = *in.application_number;
  }
  if (!in.filing_date || in.filing_date->empty()) {
    errors.push_back({"filing_date", "is required for a trademark: the date the application was filed"});
  } else if (auto day = timefmt::ParseIsoDate(*in.filing_date); !day) {
    errors.push_back({"filing_date", "must be a date written YYYY-MM-DD"});
  } else if (*day > today) {
    errors.push_back({"filing_date", "is in the future"});
  } else {
    tm.filing_day = *day;
  }
  const auto status = in.trademark_status ? ParseTrademarkStatus(*in.trademark_status) : std::nullopt;
  if (!status) {
    errors.push_back({"trademark_status", "must be one of filed, granted, refused"});
  } else {
    tm.status = *status;
    if (*status == TrademarkStatus::kGranted && number.empty()) {
      errors.push_back({"number", "a granted trademark needs its certificate number"});
    }
    if (in.refusal_reason && *status != TrademarkStatus::kRefused) {
      errors.push_back({"refusal_reason", "only a refused trademark has a refusal reason"});
    } else if (in.refusal_reason && !in.refusal_reason->empty()) {
      auto reason =
          CleanText(*in.refusal_reason, "refusal_reason", 1, kMaxReasonChars, Lines::kMulti, errors);
      if (reason) tm.refusal_reason = *reason;
    }
  }
  if (errors.size() != before) return std::nullopt;
  return tm;
}

}  // namespace nongsan::quality
