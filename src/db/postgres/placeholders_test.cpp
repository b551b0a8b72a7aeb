#include "db/postgres/placeholders.hpp"

#include <gtest/gtest.h>

namespace nongsan::db {
namespace {

void ExpectRewrite(std::string_view in, std::string_view out, int count) {
  RewrittenSql r = RewritePlaceholders(in);
  EXPECT_EQ(r.sql, out) << in;
  EXPECT_EQ(r.parameter_count, count) << in;
}

TEST(PostgresPlaceholders, NumbersQuestionMarksInOrder) {
  ExpectRewrite("SELECT a FROM t WHERE b = ? AND c >= ?", "SELECT a FROM t WHERE b = $1 AND c >= $2", 2);
  ExpectRewrite("INSERT INTO t VALUES (?,?,?)", "INSERT INTO t VALUES ($1,$2,$3)", 3);
  ExpectRewrite("SELECT 1", "SELECT 1", 0);
  ExpectRewrite("", "", 0);
}

TEST(PostgresPlaceholders, SkipsStringsIdentifiersAndComments) {
  ExpectRewrite("SELECT '?', 'it''s ?', ? FROM t", "SELECT '?', 'it''s ?', $1 FROM t", 1);
  ExpectRewrite(R"(SELECT "we?rd""?" FROM t WHERE x = ?)", R"(SELECT "we?rd""?" FROM t WHERE x = $1)", 1);
  ExpectRewrite("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2);
  ExpectRewrite("SELECT /* a ? /* nested ? */ still ? */ ?", "SELECT /* a ? /* nested ? */ still ? */ $1", 1);
  ExpectRewrite(R"(SELECT E'\'?' , ?)", R"(SELECT E'\'?' , $1)", 1);
  ExpectRewrite("SELECT $$ ? $$, $tag$ ? $x$ ? $tag$, ?", "SELECT $$ ? $$, $tag$ ? $x$ ? $tag$, $1", 1);
  ExpectRewrite("SELECT 'câu hỏi?' , ?", "SELECT 'câu hỏi?' , $1", 1);
}

TEST(PostgresPlaceholders, LeavesDollarIdentifiersAndUnterminatedText) {
  ExpectRewrite("SELECT 'open ?", "SELECT 'open ?", 0);
  ExpectRewrite("SELECT a$b, ?", "SELECT a$b, $1", 1);
}

}  // namespace
}  // namespace nongsan::db
