// db::ExecInChunks and db::InValues on every backend: rows cut at the
// statement boundaries (none, exactly one full statement, one row more) and
// at the parameter limit, all written in order with their values, and a
// failing chunk leaving nothing of its transaction.
#include "db/sql_lists.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/test_db.hpp"

namespace nongsan::db {
namespace {

using nongsan::testing::BackendName;
using nongsan::testing::ErrorText;
using nongsan::testing::OpenFreshTestDatabase;
using nongsan::testing::TestBackends;

constexpr std::size_t kRowsPerTestStatement = 3;

constexpr MultiRowStatement kInsertRows{"INSERT INTO chunked (k, name, n) VALUES ", "", 3,
                                        kRowsPerTestStatement};

class DbChunks : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = OpenFreshTestDatabase(GetParam());
    auto made = db_->Write([](Connection& c) {
      return c.Exec("CREATE TABLE chunked (k BIGINT PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL)");
    });
    ASSERT_TRUE(made.ok()) << ErrorText(made);
  }

  // Inserts rows k = 1..rows (name "row k", n = 10 k); records the order in
  // which fill was asked for rows.
  Result<std::int64_t> Insert(const MultiRowStatement& s, std::size_t rows) {
    asked_.clear();
    return db_->Write([&](Connection& c) {
      return ExecInChunks(c, s, rows, [&](std::size_t i, Params& params) {
        asked_.push_back(i);
        const auto k = static_cast<std::int64_t>(i) + 1;
        params.insert(params.end(), {k, "row " + std::to_string(k), 10 * k});
      });
    });
  }

  Rows All() {
    auto rows = db_->Read([](Connection& c) { return c.Query("SELECT k, name, n FROM chunked ORDER BY k"); });
    EXPECT_TRUE(rows.ok()) << ErrorText(rows);
    return rows.ok() ? std::move(rows).value() : Rows{};
  }

  void ExpectRows(std::size_t rows) {
    Rows all = All();
    ASSERT_EQ(all.size(), rows);
    for (std::size_t i = 0; i < rows; ++i) {
      const auto k = static_cast<std::int64_t>(i) + 1;
      EXPECT_EQ(all[i].Int(0), k);
      EXPECT_EQ(all[i].Text(1), "row " + std::to_string(k));
      EXPECT_EQ(all[i].Int(2), 10 * k);
    }
    std::vector<std::size_t> in_order(rows);
    for (std::size_t i = 0; i < rows; ++i) in_order[i] = i;
    EXPECT_EQ(asked_, in_order);
  }

  std::unique_ptr<Database> db_;
  std::vector<std::size_t> asked_;
};

TEST(DbChunkRows, CutsAtMaxRowsAndAtTheParameterLimit) {
  EXPECT_EQ(ChunkRows(kInsertRows, 0), std::vector<std::size_t>{});
  EXPECT_EQ(ChunkRows(kInsertRows, 1), std::vector<std::size_t>{1});
  EXPECT_EQ(ChunkRows(kInsertRows, 3), std::vector<std::size_t>{3});
  EXPECT_EQ(ChunkRows(kInsertRows, 4), (std::vector<std::size_t>{3, 1}));
  EXPECT_EQ(ChunkRows(kInsertRows, 7), (std::vector<std::size_t>{3, 3, 1}));
  // max_rows above the parameter limit: the limit wins.
  const MultiRowStatement wide{"INSERT INTO t VALUES ", "", 24, 1'000};
  EXPECT_EQ(ChunkRows(wide, 301), (std::vector<std::size_t>{300, 1}));
  EXPECT_EQ(ChunkRows(wide, 300), std::vector<std::size_t>{300});
}

TEST(DbInValues, WritesASubqueryOfTypedValues) {
  EXPECT_EQ(InValues(2, "TEXT"),
            "(SELECT column1 FROM (VALUES (CAST(? AS TEXT)), (CAST(? AS TEXT))) AS wanted)");
}

TEST_P(DbChunks, NoRowsRunNoStatement) {
  auto n = Insert(kInsertRows, 0);
  ASSERT_TRUE(n.ok()) << ErrorText(n);
  EXPECT_EQ(*n, 0);
  ExpectRows(0);
}

TEST_P(DbChunks, ExactlyOneFullStatement) {
  auto n = Insert(kInsertRows, kRowsPerTestStatement);
  ASSERT_TRUE(n.ok()) << ErrorText(n);
  EXPECT_EQ(*n, 3);
  ExpectRows(kRowsPerTestStatement);
}

TEST_P(DbChunks, OneRowMoreGoesInASecondStatement) {
  auto n = Insert(kInsertRows, kRowsPerTestStatement + 1);
  ASSERT_TRUE(n.ok()) << ErrorText(n);
  EXPECT_EQ(*n, 4);
  ExpectRows(kRowsPerTestStatement + 1);
}

TEST_P(DbChunks, StatementsAtTheParameterLimitAreTaken) {
  // 2,400 rows of three values is 7,200 parameters: libpq's limit is 7,499.
  const MultiRowStatement unbounded{kInsertRows.head, "", 3, 100'000};
  const std::size_t rows = kMaxParamsPerStatement / 3 + 1;
  ASSERT_EQ(ChunkRows(unbounded, rows).size(), 2u);
  auto n = Insert(unbounded, rows);
  ASSERT_TRUE(n.ok()) << ErrorText(n);
  EXPECT_EQ(*n, static_cast<std::int64_t>(rows));
  ExpectRows(rows);
}

TEST_P(DbChunks, TailAndRowTemplateApplyToEveryStatement) {
  ASSERT_TRUE(Insert(kInsertRows, 4).ok());
  // Upserts rows 3..7 (two statements of up to three): n = 1 for each, the
  // name from the row's constant, and existing rows counted up.
  const MultiRowStatement upsert{
      "INSERT INTO chunked (k, name, n) VALUES ",
      " ON CONFLICT (k) DO UPDATE SET n = chunked.n + excluded.n, name = excluded.name", 1,
      kRowsPerTestStatement, "(?, 'again', 1)"};
  auto n = db_->Write([&](Connection& c) {
    return ExecInChunks(c, upsert, 5, [](std::size_t i, Params& params) {
      params.emplace_back(static_cast<std::int64_t>(i) + 3);
    });
  });
  ASSERT_TRUE(n.ok()) << ErrorText(n);
  EXPECT_EQ(*n, 5);
  Rows all = All();
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all[1].Text(1), "row 2");
  EXPECT_EQ(all[1].Int(2), 20);
  EXPECT_EQ(all[2].Text(1), "again");
  EXPECT_EQ(all[2].Int(2), 31);
  EXPECT_EQ(all[3].Int(2), 41);
  EXPECT_EQ(all[6].Int(0), 7);
  EXPECT_EQ(all[6].Int(2), 1);
}

TEST_P(DbChunks, AFailingLaterStatementLeavesNothingWritten) {
  ASSERT_TRUE(Insert(kInsertRows, 1).ok());
  // Rows 2..5, then row 1 again in the second statement: a duplicate key.
  auto n = db_->Write([&](Connection& c) {
    return ExecInChunks(c, kInsertRows, 4, [](std::size_t i, Params& params) {
      const std::int64_t k = i < 3 ? static_cast<std::int64_t>(i) + 2 : 1;
      params.insert(params.end(), {k, std::string("dup"), k});
    });
  });
  EXPECT_FALSE(n.ok());
  Rows all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].Text(1), "row 1");
}

TEST_P(DbChunks, InValuesFindsTheGivenValues) {
  ASSERT_TRUE(Insert(kInsertRows, 5).ok());
  auto rows = db_->Read([](Connection& c) {
    return c.Query("SELECT k FROM chunked WHERE name IN " + InValues(3, "TEXT") + " ORDER BY k",
                   {std::string("row 2"), std::string("row 5"), std::string("row 9")});
  });
  ASSERT_TRUE(rows.ok()) << ErrorText(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), 2);
  EXPECT_EQ((*rows)[1].Int(0), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbChunks, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::db
