// The CSV reader: RFC 4180 quoting, BOM, CRLF, line numbers of
// records spanning lines, and recovery from malformed records.
#include "core/csv_reader.hpp"

#include <gtest/gtest.h>

namespace nongsan {
namespace {

std::vector<CsvRecord> ReadAll(std::string_view text) {
  CsvReader reader(text);
  std::vector<CsvRecord> out;
  while (auto r = reader.Next()) out.push_back(std::move(*r));
  return out;
}

TEST(CatalogCsv, ReadsBomCrlfAndQuotedFields) {
  auto records = ReadAll(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"hai, ba\",\"say \"\"hi\"\"\"\r\n\r\n4,,6\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"1", "hai, ba", "say \"hi\""}));
  EXPECT_EQ(records[2].line, 4u);  // the blank line 3 is skipped but counted
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"4", "", "6"}));
}

TEST(CatalogCsv, QuotedFieldsMaySpanLines) {
  auto records = ReadAll("h\n\"dòng một\ndòng hai\",x\nnext,y");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[1].fields[0], "dòng một\ndòng hai");
  EXPECT_EQ(records[2].line, 4u);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"next", "y"}));
}

TEST(CatalogCsv, StrayQuotesSpoilOnlyTheirRecord) {
  auto records = ReadAll("a,b\nab\"c,d\n\"x\"y,z\nok,1\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_NE(records[1].error.find("quote"), std::string::npos);
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_NE(records[2].error.find("closing quote"), std::string::npos);
  EXPECT_TRUE(records[3].error.empty());
  EXPECT_EQ(records[3].fields, (std::vector<std::string>{"ok", "1"}));
  EXPECT_EQ(records[3].line, 4u);
}

TEST(CatalogCsv, AnUnclosedQuoteNamesTheLineItOpenedOn) {
  auto records = ReadAll("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[1].error.empty());
  EXPECT_EQ(records[2].line, 3u);
  EXPECT_EQ(records[2].error, "a quote opened on line 3 is never closed");
}

TEST(CatalogCsv, RefusesOverlongFields) {
  std::string big(kMaxCsvFieldBytes + 10, 'x');
  auto records = ReadAll("a\n" + big + "\nafter\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[1].error.find("longer"), std::string::npos);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"after"}));
}

// Found by fuzzing (tests/fuzz/csv/crash-lone-cr-after-closing-quote): a
// lone CR after a closing quote ended the record without ending the line, so
// the rest of the line was read as another record with the same line number.
TEST(CatalogCsv, ALoneCrAfterAClosingQuoteSpoilsItsRecord) {
  auto records = ReadAll("a,\"mua\"\rrest,of,line\nnext,ok\n\"end\"\r");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_FALSE(records[0].error.empty());
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"next", "ok"}));
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"end"}))
      << "a CR at the very end still ends the record";
  EXPECT_TRUE(records[2].error.empty());
}

TEST(CatalogCsv, KeepsATrailingEmptyField) {
  auto records = ReadAll("a,b,\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b", ""}));
}

}  // namespace
}  // namespace nongsan
