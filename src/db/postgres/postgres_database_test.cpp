// PostgreSQL-specific behaviour: connection failures, type conversion by
// OID, broken connections, and retrying serialization failures/deadlocks.
// Skipped unless NONGSAN_TEST_POSTGRES_URL is set (scripts/with-postgres.sh).
#include "db/postgres/postgres_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <latch>
#include <thread>

#include "support/test_db.hpp"

namespace nongsan::db {
namespace {

using nongsan::testing::ErrorText;
using nongsan::testing::FreshTestDatabaseUrl;
using nongsan::testing::kTestPostgresUrlEnv;

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv(kTestPostgresUrlEnv) == nullptr) GTEST_SKIP() << kTestPostgresUrlEnv << " is not set";
    url_ = FreshTestDatabaseUrl("postgres");
  }

  std::unique_ptr<Database> MustOpen(const Options& options = {}) {
    auto opened = Open(url_, options);
    EXPECT_TRUE(opened.ok()) << ErrorText(opened);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  // Ends the server session with the given backend pid, as a server restart
  // or a network cut would, and waits (up to 5 s) until it is gone.
  void Terminate(std::int64_t pid) {
    auto admin = Open(std::getenv(kTestPostgresUrlEnv));
    ASSERT_TRUE(admin.ok()) << ErrorText(admin);
    auto killed = (*admin)->Write([&](Connection& c) {
      return c.QueryInt("SELECT CAST(pg_terminate_backend(CAST(? AS INTEGER), 5000) AS INTEGER)", {pid});
    });
    ASSERT_TRUE(killed.ok()) << ErrorText(killed);
    EXPECT_EQ(*killed, 1);
  }

  std::string url_;
};

Result<std::int64_t> BackendPid(Connection& c) { return c.QueryInt("SELECT pg_backend_pid()"); }

TEST_F(PostgresDatabaseTest, WrongPortIsUnavailableNamingTargetWithoutPassword) {
  auto opened = Open("postgresql://nongsan:s3cr3t-pw@127.0.0.1:1/chonongsan");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  const std::string& detail = opened.error().detail;
  EXPECT_NE(detail.find("127.0.0.1:1"), std::string::npos) << detail;
  EXPECT_NE(detail.find("chonongsan"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("s3cr3t-pw"), std::string::npos) << detail;
}

TEST_F(PostgresDatabaseTest, MalformedUrlIsInvalidWithoutEchoingIt) {
  auto opened = Open("postgresql://u:pw-leak@[bad");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(opened.error().detail.find("pw-leak"), std::string::npos);
}

TEST_F(PostgresDatabaseTest, DescribeOmitsPassword) {
  // Trust authentication ignores the password, so the URL still connects.
  std::string with_password = url_;
  with_password.replace(with_password.find("@"), 1, ":hunter2@");
  auto opened = Open(with_password);
  ASSERT_TRUE(opened.ok()) << ErrorText(opened);
  const std::string described = (*opened)->Describe();
  EXPECT_EQ(described.find("hunter2"), std::string::npos) << described;
  EXPECT_TRUE(described.starts_with("postgresql://postgres@127.0.0.1:")) << described;
  EXPECT_EQ((*opened)->dialect(), Dialect::kPostgres);
}

TEST_F(PostgresDatabaseTest, ConvertsResultsByColumnType) {
  auto db = MustOpen();
  ASSERT_NE(db, nullptr);
  auto rows = db->Read([](Connection& c) {
    return c.Query(
        "SELECT CAST(1 AS SMALLINT), CAST(2 AS INTEGER), CAST(3 AS BIGINT), CAST(1.5 AS REAL),"
        " CAST(2.25 AS DOUBLE PRECISION), CAST(12345 AS NUMERIC), CAST(1.25 AS NUMERIC), TRUE, FALSE,"
        " CAST('x' AS TEXT), DATE '2025-07-01', CAST(NULL AS BIGINT), CAST('\\x00ff' AS BYTEA)");
  });
  ASSERT_TRUE(rows.ok()) << ErrorText(rows);
  const Row& r = rows.value()[0];
  for (int i : {0, 1, 2, 5, 7, 8}) EXPECT_TRUE(std::holds_alternative<std::int64_t>(r.at(i))) << i;
  for (int i : {3, 4, 6}) EXPECT_TRUE(std::holds_alternative<double>(r.at(i))) << i;
  EXPECT_EQ(r.Int(2), 3);
  EXPECT_EQ(r.Double(3), 1.5);
  EXPECT_EQ(r.Double(4), 2.25);
  EXPECT_EQ(r.Int(5), 12345);
  EXPECT_EQ(r.Double(6), 1.25);
  EXPECT_EQ(r.Int(7), 1);
  EXPECT_EQ(r.Int(8), 0);
  EXPECT_EQ(r.Text(9), "x");
  EXPECT_EQ(r.Text(10), "2025-07-01");
  EXPECT_TRUE(r.IsNull(11));
  EXPECT_EQ(r.Text(12), std::string("\x00\xff", 2));
}

TEST_F(PostgresDatabaseTest, IdleBrokenConnectionIsReplacedTransparently) {
  Options options;
  options.pool_size = 1;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  auto pid = db->Read(BackendPid);
  ASSERT_TRUE(pid.ok());
  Terminate(*pid);
  // Nothing had run on the dead session yet, so the read reconnects and works.
  auto again = db->Read(BackendPid);
  ASSERT_TRUE(again.ok()) << ErrorText(again);
  EXPECT_NE(*again, *pid);
}

TEST_F(PostgresDatabaseTest, ConnectionBrokenMidTransactionIsDiscarded) {
  Options options;
  options.pool_size = 1;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](Connection& c) { return c.Exec("CREATE TABLE t (v BIGINT)"); }).ok());
  std::int64_t killed_pid = 0;
  auto broken = db->Write([&](Connection& c) -> Result<std::int64_t> {
    TRY_ASSIGN(killed_pid, BackendPid(c));
    TRY(c.Exec("INSERT INTO t VALUES (1)"));
    Terminate(killed_pid);
    return c.Exec("INSERT INTO t VALUES (2)");
  });
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db->Stats().size, 0);  // dropped, not pooled
  EXPECT_EQ(db->Stats().in_use, 0);
  auto pid = db->Read(BackendPid);
  ASSERT_TRUE(pid.ok()) << ErrorText(pid);
  EXPECT_NE(*pid, killed_pid);
  auto count = db->Read([](Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM t"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);  // the half-done transaction never committed
}

TEST_F(PostgresDatabaseTest, SerializationFailureRetriesTheWholeCallback) {
  auto db = MustOpen();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](Connection& c) { return c.Exec("CREATE TABLE t (v BIGINT)"); }).ok());
  constexpr std::string_view kRaise =
      "DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = 'serialization_failure'; END $$";
  int attempts = 0;
  auto st = db->Write([&](Connection& c) -> Status {
    ++attempts;
    TRY(c.Exec("INSERT INTO t VALUES (?)", {std::int64_t{attempts}}));
    if (attempts == 1) TRY(c.ExecScript(kRaise));
    return Ok{};
  });
  ASSERT_TRUE(st.ok()) << ErrorText(st);
  EXPECT_EQ(attempts, 2);
  auto rows = db->Read([](Connection& c) { return c.Query("SELECT v FROM t"); });
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows.value()[0].Int(0), 2);  // only the successful attempt's row

  attempts = 0;
  auto never = db->Write([&](Connection& c) -> Status {
    ++attempts;
    return c.ExecScript(kRaise);
  });
  ASSERT_FALSE(never.ok());
  EXPECT_EQ(attempts, kMaxWriteAttempts);
  EXPECT_EQ(never.error().code, ErrorCode::kConflict);
  EXPECT_EQ(never.error().type, "write_conflict");
}

TEST_F(PostgresDatabaseTest, DeadlockVictimIsRetriedAndBothWritesLand) {
  auto db = MustOpen();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](Connection& c) -> Status {
                  return c.ExecScript(
                      "CREATE TABLE acct (id BIGINT PRIMARY KEY, n BIGINT);"
                      "INSERT INTO acct VALUES (1, 0), (2, 0);");
                }).ok());
  std::latch both_hold_first_lock(2);
  std::atomic<int> total_attempts{0};
  auto transfer = [&](std::int64_t first, std::int64_t second) {
    bool first_attempt = true;
    auto st = db->Write([&](Connection& c) -> Status {
      ++total_attempts;
      TRY(c.Exec("UPDATE acct SET n = n + 1 WHERE id = ?", {first}));
      if (first_attempt) {
        first_attempt = false;
        both_hold_first_lock.arrive_and_wait();  // now each waits for the other's row
      }
      TRY(c.Exec("UPDATE acct SET n = n + 1 WHERE id = ?", {second}));
      return Ok{};
    });
    EXPECT_TRUE(st.ok()) << ErrorText(st);
  };
  std::thread a(transfer, 1, 2);
  std::thread b(transfer, 2, 1);
  a.join();
  b.join();
  // At least one deadlock victim ran again. On a loaded machine the victim's
  // retry can take the contested row before the survivor wakes, and the two
  // deadlock once more (4 attempts): still both land.
  EXPECT_GE(total_attempts.load(), 3);
  EXPECT_LE(total_attempts.load(), 2 * kMaxWriteAttempts);
  auto sum = db->Read([](Connection& c) { return c.QueryInt("SELECT SUM(n) FROM acct"); });
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(*sum, 4);
}

TEST_F(PostgresDatabaseTest, FailedWriteReleasesItsLocksAtOnce) {
  // The ROLLBACK of a failed Write is sent without waiting for its answer;
  // it must still reach the server at once, or the row lock would linger.
  auto a = MustOpen();
  auto b = MustOpen();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->Write([](Connection& c) -> Status {
                 return c.ExecScript(
                     "CREATE TABLE stock (id BIGINT PRIMARY KEY, n BIGINT);"
                     "INSERT INTO stock VALUES (1, 10);");
               }).ok());
  auto failed = a->Write([](Connection& c) -> Status {
    TRY(c.Exec("UPDATE stock SET n = n - 1 WHERE id = 1"));
    return Error::Conflict("out_of_stock", "Hết hàng.");
  });
  ASSERT_FALSE(failed.ok());
  auto other = b->Write([](Connection& c) -> Result<std::int64_t> {
    TRY(c.ExecScript("SET LOCAL lock_timeout = '3s'"));
    return c.Exec("UPDATE stock SET n = n - 2 WHERE id = 1");
  });
  ASSERT_TRUE(other.ok()) << ErrorText(other);
  EXPECT_EQ(*other, 1);
  auto n = a->Read([](Connection& c) { return c.QueryInt("SELECT n FROM stock WHERE id = 1"); });
  ASSERT_TRUE(n.ok()) << ErrorText(n);
  EXPECT_EQ(*n, 8);
}

TEST_F(PostgresDatabaseTest, StatementCacheEvictionDeallocatesOnTheServer) {
  Options options;
  options.pool_size = 1;
  options.statement_cache_size = 2;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  constexpr int kDistinct = 6;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kDistinct; ++i) {
      auto v = db->Read([&](Connection& c) {
        return c.QueryInt("SELECT CAST(? AS BIGINT) + " + std::to_string(i), {std::int64_t{round}});
      });
      ASSERT_TRUE(v.ok()) << ErrorText(v);
      EXPECT_EQ(*v, round + i);
    }
  }
  auto prepared =
      db->Read([](Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM pg_prepared_statements"); });
  ASSERT_TRUE(prepared.ok()) << ErrorText(prepared);
  // At most the cache's capacity, plus the one just evicted whose DEALLOCATE
  // waits for the next transaction.
  EXPECT_LE(*prepared, options.statement_cache_size + 1);
}

TEST_F(PostgresDatabaseTest, PoolGrowsLazilyUpToItsSize) {
  Options options;
  options.pool_size = 3;
  auto db = MustOpen(options);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->Stats().size, 1);  // the connection Open() made to check the server
  std::latch all_inside(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto st = db->ReadWith([&](Connection& c) -> Status {
        all_inside.arrive_and_wait();
        TRY(c.Query("SELECT 1"));
        return Ok{};
      });
      EXPECT_TRUE(st.ok());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(db->Stats().size, 3);
  EXPECT_EQ(db->Stats().in_use, 0);
}

}  // namespace
}  // namespace nongsan::db
