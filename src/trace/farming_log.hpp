// A lot's farming log as stored in trace_lots.farming_log: a JSON array of
// {date, activity, input, note} objects. Every provenance page reads one, so
// ParseFarmingLog reads the usual shape (an array of objects whose values are
// strings) straight from the text, with no JSON library call; anything else
// goes through nlohmann's SAX parser, so both paths give the same entries:
// other keys and non-string values are skipped, a text that is not an array
// or not valid JSON gives no entries.
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "trace/trace_types.hpp"

namespace nongsan::trace {

std::string FarmingLogText(const std::vector<FarmingEntry>& log);
std::vector<FarmingEntry> ParseFarmingLog(std::string_view text);

namespace detail {
// The two readers ParseFarmingLog chooses between, for tests: the direct one
// (false when the text is not of the usual shape; `log` is then unspecified)
// and the SAX one.
bool ParseFarmingLogDirect(std::string_view text, std::vector<FarmingEntry>& log);
std::vector<FarmingEntry> ParseFarmingLogSax(std::string_view text);
}  // namespace detail

}  // namespace nongsan::trace
