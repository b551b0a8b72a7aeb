#include "web/amount_input.hpp"

#include <array>
#include <string>
#include <vector>

namespace nongsan::web::detail {

namespace {

struct Unit {
  std::string_view name;
  std::int64_t scale;  // of the result unit (đồng or grams)
};

// Longest names first where one ends another ("kg" before "g").
constexpr std::array kPriceUnits{Unit{"nghìn", 1000}, Unit{"ngàn", 1000}, Unit{"triệu", 1'000'000},
                                 Unit{"tr", 1'000'000}, Unit{"k", 1000}};
constexpr std::array kCurrencyWords{std::string_view("vnđ"), std::string_view("vnd"),
                                    std::string_view("đồng"), std::string_view("₫"), std::string_view("đ")};
constexpr std::array kWeightUnits{
    Unit{"kilogram", 1000}, Unit{"kilo", 1000}, Unit{"kg", 1000}, Unit{"ký", 1000}, Unit{"kí", 1000},
    Unit{"lạng", 100},      Unit{"gram", 1},    Unit{"gam", 1},   Unit{"gr", 1},    Unit{"g", 1}};

// ASCII lower case; Vietnamese letters are matched as typed (lower case).
std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Strips a unit word from the end; its scale, or 1 when there is none.
template <std::size_t N>
std::int64_t TakeUnit(std::string_view& text, const std::array<Unit, N>& units, std::int64_t none) {
  for (const Unit& unit : units) {
    if (EndsWith(text, unit.name)) {
      text = Trim(text.substr(0, text.size() - unit.name.size()));
      return unit.scale;
    }
  }
  return none;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits at most this long in the whole part, and in a fraction.
constexpr std::size_t kMaxWholeDigits = 15;
constexpr std::size_t kMaxFractionDigits = 6;

// A number of runs of digits with a separator between each two. The last
// separator is a decimal mark when it is one of `decimal_marks`: always for
// ',', and for '.' unless exactly three digits follow it ("1.000" groups).
// Every other separator groups thousands: the same one throughout, not a
// decimal ',' , a first group of 1-3 digits and then groups of three. The
// value times `scale` when it comes out whole, else nullopt.
std::optional<std::int64_t> Number(std::string_view text, std::string_view decimal_marks,
                                   std::int64_t scale) {
  std::vector<std::string_view> runs;
  std::string separators;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && IsDigit(text[i])) continue;
    if (i == start) return std::nullopt;  // empty, or two separators in a row
    runs.push_back(text.substr(start, i - start));
    if (i < text.size()) {
      if (text[i] != '.' && text[i] != ',' && text[i] != ' ') return std::nullopt;
      separators += text[i];
    }
    start = i + 1;
  }
  std::string_view fraction;
  if (!separators.empty()) {
    const char last = separators.back();
    const bool decimal =
        decimal_marks.find(last) != std::string_view::npos && (last == ',' || runs.back().size() != 3);
    if (decimal) {
      fraction = runs.back();
      runs.pop_back();
      separators.pop_back();
    }
  }
  for (std::size_t i = 0; i < separators.size(); ++i) {
    const bool decimal_comma = separators[i] == ',' && decimal_marks.find(',') != std::string_view::npos;
    if (separators[i] != separators[0] || decimal_comma || runs[i + 1].size() != 3) return std::nullopt;
  }
  if (runs.size() > 1 && runs[0].size() > 3) return std::nullopt;
  std::string whole_digits;
  for (std::string_view run : runs) whole_digits += run;
  if (whole_digits.size() > kMaxWholeDigits || fraction.size() > kMaxFractionDigits) return std::nullopt;
  std::int64_t whole = 0;
  for (char c : whole_digits) whole = whole * 10 + (c - '0');
  if (whole > kMaxTypedAmount / scale) return std::nullopt;
  // The fraction must come out whole in the result unit (đồng, grams).
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
  for (char c : fraction) {
    numerator = numerator * 10 + (c - '0');
    denominator *= 10;
  }
  if (numerator * scale % denominator != 0) return std::nullopt;
  return whole * scale + numerator * scale / denominator;
}

}  // namespace

std::optional<std::int64_t> ParsePriceVnd(std::string_view typed) {
  std::string lowered = Lower(Trim(typed));
  std::string_view text = lowered;
  for (std::string_view word : kCurrencyWords) {
    if (EndsWith(text, word)) {
      text = Trim(text.substr(0, text.size() - word.size()));
      break;
    }
  }
  const std::int64_t scale = TakeUnit(text, kPriceUnits, 1);
  // With a unit, "1,5tr" and "2.5k" are decimals; without one a price has no
  // decimals, so every mark groups thousands.
  return Number(text, scale == 1 ? std::string_view() : std::string_view(",."), scale);
}

std::optional<std::int64_t> ParseWeightGrams(std::string_view typed) {
  std::string lowered = Lower(Trim(typed));
  std::string_view text = lowered;
  const std::int64_t scale = TakeUnit(text, kWeightUnits, 1);
  return Number(text, ",.", scale);
}

}  // namespace nongsan::web::detail
