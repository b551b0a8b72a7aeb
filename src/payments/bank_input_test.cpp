// The parsers of what banks send (bank_input.hpp) and the statement reader
// both CSV imports share (bank_csv.hpp), without a database.
#include "payments/bank_input.hpp"

#include <gtest/gtest.h>

#include "payments/bank_csv.hpp"

namespace nongsan::payments {
namespace {

constexpr const char* kHeader = "id,amount_vnd,description,transferred_at\n";

TEST(BankStatementParse, ReadsEveryLineWithColumnsInAnyOrder) {
  auto lines = ParseBankStatement("0123456789",
                                  "\xEF\xBB\xBF"
                                  "balance,transferred_at,description,id,amount_vnd\r\n"
                                  "1,29/11/2026 10:05:00,\"CK NSABC123, gao\", FT1 ,\"1.200.000\"\r\n"
                                  "2,2026-11-29T10:06:00+07:00,,FT2,245000\r\n");
  ASSERT_TRUE(lines.ok()) << lines.error().detail;
  ASSERT_EQ(lines->size(), 2U);
  EXPECT_EQ((*lines)[0].external_id, "FT1");
  EXPECT_EQ((*lines)[0].amount_vnd, 1'200'000);
  EXPECT_EQ((*lines)[0].description, "CK NSABC123, gao");
  EXPECT_EQ((*lines)[0].account_number, "0123456789");
  EXPECT_EQ((*lines)[0].channel, "statement");
  EXPECT_EQ((*lines)[1].amount_vnd, 245'000);
}

TEST(BankStatementParse, NamesEveryBrokenLineAndKeepsNothing) {
  auto lines = ParseBankStatement("0123456789", std::string(kHeader) +
                                                    "FT1,245000,ok,29/11/2026 10:05:00\n"
                                                    "FT2,0,x,29/11/2026 10:05:00\n"
                                                    "FT1,5000,x,hom qua\n");
  ASSERT_FALSE(lines.ok());
  const Error& e = lines.error();
  EXPECT_EQ(e.type, "statement_invalid");
  EXPECT_EQ(e.detail, "2 broken lines; nothing was applied.");
  ASSERT_EQ(e.fields.size(), 2U);
  EXPECT_EQ(e.fields[0].field, "line 3");
  EXPECT_EQ(e.fields[0].message, "amount_vnd: a whole amount of đồng above 0");
  EXPECT_EQ(e.fields[1].field, "line 4");
  EXPECT_EQ(e.fields[1].message,
            "transferred_at: 29/11/2026 10:05:00 or 2026-11-29T10:05:00+07:00; id: the same transaction as "
            "line 2");
}

TEST(BankStatementParse, RefusesAHeaderShortOfAColumnAndAnEmptyFile) {
  auto short_header = ParseBankStatement("0123456789", "id,amount\nFT1,5000\n");
  ASSERT_FALSE(short_header.ok());
  ASSERT_EQ(short_header.error().fields.size(), 3U);
  EXPECT_EQ(short_header.error().fields[0].message, "the header has no column amount_vnd");
  auto empty = ParseBankStatement("0123456789", "");
  ASSERT_FALSE(empty.ok());
  ASSERT_EQ(empty.error().fields.size(), 1U);
  EXPECT_EQ(empty.error().fields[0].field, "line 1");
  EXPECT_EQ(empty.error().fields[0].message, "the file is empty");
}

TEST(BankCsvReader, StopsPastTheLineLimitCountingOnlyGoodLines) {
  constexpr std::string_view kColumns[] = {"a"};
  BankCsvReader reader("a\n1\nbad\n2\n3\n", {std::begin(kColumns), std::end(kColumns)}, 2);
  std::vector<std::string> read;
  while (reader.Next()) {
    if (reader.Field("a") == "bad") {
      reader.Refuse({"a: not a number"});
      continue;
    }
    read.push_back(reader.Field("a"));
  }
  EXPECT_EQ(read, (std::vector<std::string>{"1", "2"}));
  ASSERT_EQ(reader.errors().size(), 2U);
  EXPECT_EQ(reader.errors()[0].field, "line 3");
  EXPECT_EQ(reader.errors()[1].field, "line 5");
  EXPECT_EQ(reader.errors()[1].message, "more than 2 lines; split the statement");
  const Error refusal = reader.Refusal("x_invalid");
  EXPECT_EQ(refusal.code, ErrorCode::kInvalid);
  EXPECT_EQ(refusal.type, "x_invalid");
  EXPECT_EQ(refusal.fields.size(), 2U);
}

TEST(BankNotificationParse, ReadsTheMoneyAndNamesEveryBadMember) {
  auto money = ParseBankNotification(
      R"({"id": 2611290001, "account_number": " 0123456789 ", "amount_vnd": 245000,
          "description": "CK NSABC123", "transferred_at": "2026-11-29T10:05:00+07:00"})");
  ASSERT_TRUE(money.ok()) << money.error().detail;
  EXPECT_EQ(money->external_id, "2611290001");
  EXPECT_EQ(money->account_number, "0123456789");
  EXPECT_EQ(money->amount_vnd, 245'000);
  EXPECT_EQ(money->source, "bank");
  EXPECT_EQ(money->channel, "webhook");

  auto bad = ParseBankNotification(
      R"({"id": "", "account_number": "12ab", "amount_vnd": 1.5, "description": 7, "transferred_at": "x"})");
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "account_number", "amount_vnd", "description",
                                              "transferred_at"}));
  EXPECT_EQ(ParseBankNotification("[1]").error().fields.at(0).field, "body");
}

}  // namespace
}  // namespace nongsan::payments
