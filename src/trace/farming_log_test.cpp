// The farming log's two readers agree: the direct one on the shape the
// service writes, the SAX one on everything else.
#include "trace/farming_log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace nongsan::trace {
namespace {

auto Fields(const std::vector<FarmingEntry>& log) {
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> out;
  for (const auto& e : log) out.emplace_back(e.date, e.activity, e.input, e.note);
  return out;
}

TEST(FarmingLog, TheWrittenShapeIsReadDirectlyAndRoundTrips) {
  const std::vector<FarmingEntry> log = {
      {"2026-10-02", "Bón phân", "Phân hữu cơ \"Sông Gianh\"", "Đồi\\chè số 3\nhàng 2\t/ 5"},
      {"2026-11-18", "Thu hái 🍃", "", ""},
      {"", "", "", ""},
  };
  const std::string text = FarmingLogText(log);
  std::vector<FarmingEntry> direct;
  ASSERT_TRUE(detail::ParseFarmingLogDirect(text, direct)) << text;
  EXPECT_EQ(Fields(direct), Fields(log));
  EXPECT_EQ(Fields(ParseFarmingLog(text)), Fields(log));
  EXPECT_EQ(Fields(detail::ParseFarmingLogSax(text)), Fields(log));

  // The bench fixture's key order, and white space.
  const std::string spaced =
      " [ {\"date\" : \"2026-10-02\", \"activity\":\"Bón phân\",\"input\":\"Phân hữu cơ\",\"note\":\"\"} ,"
      "{\"note\":\"x\",\"other\":\"ignored\",\"date\":\"a\",\"date\":\"b\"}, {} ]\n";
  direct.clear();
  ASSERT_TRUE(detail::ParseFarmingLogDirect(spaced, direct));
  EXPECT_EQ(Fields(direct), Fields(detail::ParseFarmingLogSax(spaced)));
  ASSERT_EQ(direct.size(), 3u);
  EXPECT_EQ(direct[1].date, "b");
  EXPECT_EQ(direct[1].note, "x");
}

TEST(FarmingLog, EveryOtherTextIsReadAsTheSaxReaderReadsIt) {
  const std::vector<std::string> texts = {
      "",
      "[]",
      "  [ ]  ",
      "{}",
      "\"x\"",
      "[1, \"x\"]",
      "[{\"date\": 20261002, \"activity\": \"a\"}]",
      "[{\"date\": null, \"note\": [\"n\"], \"activity\": {\"x\": \"y\"}, \"input\": \"i\"}]",
      "[{\"activity\": \"Bo\\u0301n\", \"note\": \"\\ud83c\\udf43\"}]",
      "[{\"activity\": \"a\"}] trailing",
      "[{\"activity\": \"a\"},]",
      "[{\"activity\": \"a\"}",
      "[{\"activity\": \"a\\x\"}]",
      "[{\"activity\": \"tab\there\"}]",
      std::string("[{\"activity\": \"\xC3\"}]"),          // a cut UTF-8 sequence
      std::string("[{\"activity\": \"\xC0\xAF\"}]"),      // an overlong form
      std::string("[{\"activity\": \"\xED\xA0\x80\"}]"),  // a surrogate
      std::string("[{\"activity\": \"\xF4\x90\x80\x80\"}]"),
      "[{\"activity\": \"a\"}, [\"b\"]]",
      "[{\"activity\": \"a\"}][]",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(Fields(ParseFarmingLog(text)), Fields(detail::ParseFarmingLogSax(text))) << text;
  }
  // Some of them the direct reader reads itself, and agrees.
  std::vector<FarmingEntry> direct;
  EXPECT_TRUE(detail::ParseFarmingLogDirect("  [ ]  ", direct));
  EXPECT_TRUE(direct.empty());
  EXPECT_FALSE(detail::ParseFarmingLogDirect("[{\"activity\": \"a\"}] trailing", direct));
  EXPECT_TRUE(detail::ParseFarmingLogSax("[{\"activity\": \"a\"}] trailing").empty());
  EXPECT_EQ(ParseFarmingLog("[{\"activity\": \"Bo\\u0301n\"}]").at(0).activity, "Bo\xCC\x81n");
}

}  // namespace
}  // namespace nongsan::trace
