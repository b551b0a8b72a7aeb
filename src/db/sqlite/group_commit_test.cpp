// Durable writes on SQLite commit in groups (one transaction and one WAL sync
// for every durable write queued meanwhile): each callback's work commits or
// is undone on its own, as if it had had a transaction of its own.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "support/test_db.hpp"

namespace nongsan::db {
namespace {

TEST(SqliteGroupCommit, EachDurableWriteCommitsOrFailsAlone) {
  auto db = testing::OpenFreshTestDatabase("sqlite");
  ASSERT_TRUE(db->WriteWith([](Connection& c) {
                  return c.ExecScript("CREATE TABLE t (n BIGINT PRIMARY KEY)");
                }).ok());
  constexpr int kWriters = 24;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, failed{0}, thrown{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      try {
        const Status st = db->DurableWriteWith([i](Connection& c) -> Status {
          TRY(c.Exec("INSERT INTO t (n) VALUES (?)", {static_cast<std::int64_t>(i)}));
          if (i % 7 == 3) return Error::Conflict("refused", "this one refuses after writing");
          if (i % 7 == 5) throw std::runtime_error("this one throws after writing");
          // A second statement failing inside one callback: a duplicate key.
          if (i % 7 == 6) TRY(c.Exec("INSERT INTO t (n) VALUES (?)", {static_cast<std::int64_t>(i)}));
          return Ok{};
        });
        if (!st.ok() && i % 7 != 3 && i % 7 != 6)
          ADD_FAILURE() << i << ": " << st.error().type << " " << st.error().detail;
        (st.ok() ? ok : failed)++;
      } catch (const std::runtime_error&) {
        ++thrown;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto rows = db->Read([](Connection& c) { return c.Query("SELECT n FROM t ORDER BY n"); });
  ASSERT_TRUE(rows.ok());
  std::vector<std::int64_t> kept;
  for (const auto& row : *rows) kept.push_back(row.Int(0));
  std::vector<std::int64_t> expected;
  for (int i = 0; i < kWriters; ++i) {
    if (i % 7 != 3 && i % 7 != 5 && i % 7 != 6) expected.push_back(i);
  }
  EXPECT_EQ(kept, expected);
  EXPECT_EQ(ok.load(), static_cast<int>(expected.size()));
  EXPECT_EQ(thrown.load(), 3);  // i = 5, 12, 19: the exception reaches its own caller
  EXPECT_EQ(failed.load(), kWriters - static_cast<int>(expected.size()) - 3);
  // Plain writes still work afterwards (the writer is free, synchronous restored).
  EXPECT_TRUE(
      db->WriteWith([](Connection& c) { return c.ExecScript("INSERT INTO t (n) VALUES (1000)"); }).ok());
  auto sync = db->Write([](Connection& c) { return c.QueryInt("PRAGMA synchronous"); });
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ(*sync, 1) << "synchronous=NORMAL restored";
}

}  // namespace
}  // namespace nongsan::db
