// Behaviour every backend must share, run on SQLite and (when configured)
// PostgreSQL: value round trips, errors, transactions and concurrency.
#include "db/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>

#include "db/read_one.hpp"
#include "db/sql_lists.hpp"
#include "support/test_db.hpp"

namespace nongsan::db {
namespace {

using nongsan::testing::BackendName;
using nongsan::testing::ErrorText;
using nongsan::testing::OpenFreshTestDatabase;
using nongsan::testing::TestBackends;

class DbBackend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = OpenFreshTestDatabase(GetParam()); }

  // Runs one statement in its own Write and fails the test on error.
  void MustExec(const std::string& sql, const Params& params = {}) {
    auto r = db_->Write([&](Connection& c) { return c.Exec(sql, params); });
    ASSERT_TRUE(r.ok()) << sql << " → " << ErrorText(r);
  }

  Rows MustQuery(const std::string& sql, const Params& params = {}) {
    auto r = db_->Read([&](Connection& c) { return c.Query(sql, params); });
    EXPECT_TRUE(r.ok()) << sql << " → " << ErrorText(r);
    return r.ok() ? std::move(r).value() : Rows{};
  }

  std::string Id() const { return std::string(AutoIdColumn(db_->dialect())); }

  std::unique_ptr<Database> db_;
};

TEST_P(DbBackend, RoundTripsEveryValueType) {
  MustExec("CREATE TABLE produce (id " + Id() +
           ", qty BIGINT, weight_kg DOUBLE PRECISION, name TEXT, note TEXT, photo " +
           std::string(BlobColumn(db_->dialect())) + ")");
  const std::string name = "Cà phê Buôn Ma Thuột – đặc sản Tây Nguyên, hoà/hòa, Đắk Lắk";
  const std::string photo("\x00\x01\xff\xfe\x7f\x80 binary\n", 14);
  const double weight = 0.1 + 0.2;  // not exactly 0.3: precision must survive
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();

  auto id = db_->Write([&](Connection& c) {
    return c.QueryInt(
        "INSERT INTO produce (qty, weight_kg, name, note, photo) VALUES (?, ?, ?, ?, ?) RETURNING id",
        {big, weight, name, Value{}, photo});
  });
  ASSERT_TRUE(id.ok()) << ErrorText(id);
  EXPECT_GT(*id, 0);

  Rows rows = MustQuery("SELECT id, qty, weight_kg, name, note, photo FROM produce WHERE id = ?", {*id});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows.columns, (std::vector<std::string>{"id", "qty", "weight_kg", "name", "note", "photo"}));
  const Row& row = rows[0];
  EXPECT_EQ(row.Int(0), *id);
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(row.at(1)));
  EXPECT_EQ(row.Int(1), big);
  EXPECT_TRUE(std::holds_alternative<double>(row.at(2)));
  EXPECT_EQ(row.Double(2), weight);
  EXPECT_EQ(row.Text(3), name);
  EXPECT_TRUE(row.IsNull(4));
  EXPECT_EQ(row.OptText(4), std::nullopt);
  EXPECT_EQ(row.Text(4), "");
  EXPECT_EQ(row.Text(5), photo);

  auto changed = db_->Write([&](Connection& c) {
    return c.Exec("UPDATE produce SET note = ?, qty = ? WHERE id = ?",
                  {std::string("Hàng mới về"), std::int64_t{-42}, *id});
  });
  ASSERT_TRUE(changed.ok()) << ErrorText(changed);
  EXPECT_EQ(*changed, 1);
  rows = MustQuery("SELECT note, qty FROM produce WHERE id = ?", {*id});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].OptText(0), "Hàng mới về");
  EXPECT_EQ(rows[0].OptInt(1), -42);

  auto deleted = db_->Write([&](Connection& c) { return c.Exec("DELETE FROM produce WHERE id = ?", {*id}); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  EXPECT_TRUE(MustQuery("SELECT id FROM produce").empty());
}

TEST_P(DbBackend, ReturningIdsAreDistinctAndNeverReused) {
  MustExec("CREATE TABLE orders (id " + Id() + ", code TEXT NOT NULL)");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = db_->Write([&](Connection& c) {
      return c.QueryInt("INSERT INTO orders (code) VALUES (?) RETURNING id", {"DH" + std::to_string(i)});
    });
    ASSERT_TRUE(id.ok()) << ErrorText(id);
    ids.push_back(*id);
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  MustExec("DELETE FROM orders WHERE id = ?", {ids[2]});
  auto next = db_->Write(
      [&](Connection& c) { return c.QueryInt("INSERT INTO orders (code) VALUES ('DH9') RETURNING id"); });
  ASSERT_TRUE(next.ok());
  EXPECT_GT(*next, ids[2]);
}

TEST_P(DbBackend, QueryOneAndQueryInt) {
  MustExec("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT)");
  MustExec("INSERT INTO kv (k, v) VALUES ('a', 7)");
  auto none = db_->Read([](Connection& c) { return c.QueryOne("SELECT v FROM kv WHERE k = 'zz'"); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto one = db_->Read([](Connection& c) { return c.QueryOne("SELECT v FROM kv WHERE k = ?", {"a"}); });
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->Int(0), 7);
  auto count = db_->Read([](Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM kv"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  auto sum = db_->Read([](Connection& c) { return c.Query("SELECT SUM(v) FROM kv"); });
  ASSERT_TRUE(sum.ok());
  // SUM(bigint) is numeric on PostgreSQL; it must still come back as an integer.
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(sum.value()[0].at(0)));
  auto missing = db_->Read([](Connection& c) { return c.QueryInt("SELECT v FROM kv WHERE k = 'zz'"); });
  EXPECT_FALSE(missing.ok());
}

// db::ReadOne: one statement, its own snapshot, on a reader that cannot write.
TEST_P(DbBackend, ReadOneSeesEachCommitAndCannotWrite) {
  MustExec("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT)");
  MustExec("INSERT INTO kv (k, v) VALUES ('a', 7)");
  auto one = ReadOne(*db_, "SELECT v FROM kv WHERE k = ?", {"a"});
  ASSERT_TRUE(one.ok()) << ErrorText(one);
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->Int(0), 7);
  auto none = ReadOne(*db_, "SELECT v FROM kv WHERE k = ?", {"zz"});
  ASSERT_TRUE(none.ok()) << ErrorText(none);
  EXPECT_FALSE(none->has_value());
  // Every reader of the pool sees the newest commit: no snapshot outlives a call.
  for (std::int64_t v = 8; v < 8 + 2 * Options{}.pool_size; ++v) {
    MustExec("UPDATE kv SET v = ? WHERE k = 'a'", {v});
    auto read = ReadOne(*db_, "SELECT v FROM kv WHERE k = ?", {"a"});
    ASSERT_TRUE(read.ok() && read->has_value()) << ErrorText(read);
    EXPECT_EQ((*read)->Int(0), v);
  }
  auto wrote = ReadOne(*db_, "INSERT INTO kv (k, v) VALUES ('b', 1) RETURNING v");
  EXPECT_FALSE(wrote.ok());
  auto count = ReadOne(*db_, "SELECT COUNT(*) FROM kv");
  ASSERT_TRUE(count.ok() && count->has_value()) << ErrorText(count);
  EXPECT_EQ((*count)->Int(0), 1);
}

TEST_P(DbBackend, PlaceholdersInsideLiteralsAreNotParameters) {
  auto rows = MustQuery("SELECT '?' AS q, 'it''s ?' AS r, CAST(? AS BIGINT) AS n /* ? */", {std::int64_t{5}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "?");
  EXPECT_EQ(rows[0].Text(1), "it's ?");
  EXPECT_EQ(rows[0].Int(2), 5);
}

TEST_P(DbBackend, UniqueViolationIsConflict) {
  MustExec("CREATE TABLE users (id " + Id() + ", phone TEXT NOT NULL UNIQUE)");
  MustExec("INSERT INTO users (phone) VALUES ('0912345678')");
  auto dup = db_->Write(
      [](Connection& c) { return c.Exec("INSERT INTO users (phone) VALUES (?)", {"0912345678"}); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().type, "unique_violation");
  EXPECT_TRUE(IsUniqueViolation(dup.error()));
  ASSERT_TRUE(dup.error().extra.contains("constraint"));
  EXPECT_NE(dup.error().extra["constraint"].get<std::string>().find("phone"), std::string::npos)
      << dup.error().extra.dump();
  EXPECT_EQ(dup.error().detail.find("INSERT"), std::string::npos);
}

TEST_P(DbBackend, WriteRollsBackWhenCallbackFails) {
  MustExec("CREATE TABLE stock (id " + Id() + ", n BIGINT NOT NULL)");
  auto failed = db_->Write([](Connection& c) -> Status {
    TRY(c.Exec("INSERT INTO stock (n) VALUES (1)"));
    TRY(c.Exec("INSERT INTO stock (n) VALUES (2)"));
    return Error::Conflict("out_of_stock", "Hết hàng.");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().type, "out_of_stock");  // the callback's own error comes back
  EXPECT_TRUE(MustQuery("SELECT n FROM stock").empty());

  // A failing statement midway (NOT NULL) undoes the statements before it.
  auto half = db_->Write([](Connection& c) -> Status {
    TRY(c.Exec("INSERT INTO stock (n) VALUES (1)"));
    TRY(c.Exec("INSERT INTO stock (n) VALUES (NULL)"));
    return Ok{};
  });
  ASSERT_FALSE(half.ok());
  EXPECT_TRUE(MustQuery("SELECT n FROM stock").empty());
}

TEST_P(DbBackend, WriteRollsBackWhenCallbackThrows) {
  MustExec("CREATE TABLE stock (id " + Id() + ", n BIGINT NOT NULL)");
  auto throwing = [](Connection& c) -> Status {
    EXPECT_TRUE(c.Exec("INSERT INTO stock (n) VALUES (1)").ok());
    throw std::runtime_error("bug");
  };
  EXPECT_THROW(db_->WriteWith(throwing), std::runtime_error);
  EXPECT_TRUE(MustQuery("SELECT n FROM stock").empty());
  MustExec("INSERT INTO stock (n) VALUES (3)");  // the database is still usable
  EXPECT_EQ(MustQuery("SELECT n FROM stock").size(), 1u);
}

TEST_P(DbBackend, SwallowedStatementErrorStillFailsTheTransaction) {
  MustExec("CREATE TABLE users (phone TEXT PRIMARY KEY)");
  MustExec("INSERT INTO users (phone) VALUES ('0900000001')");
  auto st = db_->WriteWith([](Connection& c) -> Status {
    EXPECT_TRUE(c.Exec("INSERT INTO users (phone) VALUES ('0900000002')").ok());
    EXPECT_FALSE(c.Exec("INSERT INTO users (phone) VALUES ('0900000001')").ok());  // ignored: a bug
    EXPECT_FALSE(c.Exec("INSERT INTO users (phone) VALUES ('0900000003')").ok());
    return Ok{};
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(MustQuery("SELECT phone FROM users").size(), 1u);
}

TEST_P(DbBackend, BadSqlIsInternalAndKeepsSqlOutOfTheDetail) {
  auto bad = db_->Read([](Connection& c) { return c.Query("SELEC secret_column FROM nowhere"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_EQ(bad.error().detail.find("secret_column"), std::string::npos) << bad.error().detail;
  auto missing = db_->Read([](Connection& c) { return c.Query("SELECT secret_column FROM nowhere"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInternal);
  EXPECT_EQ(missing.error().detail.find("nowhere"), std::string::npos);
  auto count = db_->Read([](Connection& c) { return c.Query("SELECT ? , ?", {std::int64_t{1}}); });
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, ErrorCode::kInternal);
}

TEST_P(DbBackend, ReadCannotWrite) {
  MustExec("CREATE TABLE t (n BIGINT)");
  auto wrote = db_->Read([](Connection& c) { return c.Exec("INSERT INTO t (n) VALUES (1)"); });
  ASSERT_FALSE(wrote.ok());
  EXPECT_EQ(wrote.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(MustQuery("SELECT n FROM t").empty());
}

TEST_P(DbBackend, ReadSeesOneSnapshot) {
  MustExec("CREATE TABLE t (n BIGINT)");
  MustExec("INSERT INTO t (n) VALUES (1)");
  auto counts = db_->Read([&](Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
    TRY_ASSIGN(std::int64_t before, c.QueryInt("SELECT COUNT(*) FROM t"));
    // Another transaction commits while this read is open.
    TRY(db_->Write([](Connection& w) { return w.Exec("INSERT INTO t (n) VALUES (2)"); }));
    TRY_ASSIGN(std::int64_t after, c.QueryInt("SELECT COUNT(*) FROM t"));
    return std::make_pair(before, after);
  });
  ASSERT_TRUE(counts.ok()) << ErrorText(counts);
  EXPECT_EQ(counts->first, 1);
  EXPECT_EQ(counts->second, 1);
  auto now = db_->Read([](Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM t"); });
  EXPECT_EQ(*now, 2);
}

TEST_P(DbBackend, ConcurrentIncrementsAreExact) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 100;
  MustExec("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
  MustExec("INSERT INTO counter (id, n) VALUES (1, 0)");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto r =
            db_->Write([](Connection& c) { return c.Exec("UPDATE counter SET n = n + 1 WHERE id = 1"); });
        if (!r.ok() || *r != 1) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = db_->Read([](Connection& c) { return c.QueryInt("SELECT n FROM counter WHERE id = 1"); });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kThreads * kIncrements);
}

TEST_P(DbBackend, ConditionalDecrementNeverOversells) {
  constexpr int kBuyers = 50;
  constexpr std::int64_t kStock = 37;  // not a multiple of the quantities below
  MustExec("CREATE TABLE product (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL)");
  MustExec("INSERT INTO product (id, stock) VALUES (7, ?)", {kStock});
  std::atomic<std::int64_t> sold{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int b = 0; b < kBuyers; ++b) {
    const std::int64_t qty = 1 + b % 3;
    threads.emplace_back([&, qty] {
      auto r = db_->Write([&](Connection& c) {
        return c.Exec("UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?",
                      {qty, std::int64_t{7}, qty});
      });
      if (!r.ok()) {
        ++errors;
      } else if (*r == 1) {
        sold += qty;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto stock = db_->Read([](Connection& c) { return c.QueryInt("SELECT stock FROM product WHERE id = 7"); });
  ASSERT_TRUE(stock.ok());
  EXPECT_GE(*stock, 0);
  EXPECT_EQ(sold.load() + *stock, kStock);
  EXPECT_LE(*stock, 2);  // demand (100) far exceeds stock: at most a too-big order is left unsold
}

TEST_P(DbBackend, PoolCountsWaitsAndDescribes) {
  Options options;
  options.pool_size = 1;
  auto db = OpenFreshTestDatabase(GetParam(), options);
  std::atomic<bool> second_done{false};
  std::thread second;
  auto st = db->ReadWith([&](Connection&) -> Status {
    const std::int64_t waits_before = db->Stats().waits;
    second = std::thread([&] {
      auto r = db->ReadWith([](Connection& c) -> Status {
        TRY(c.Query("SELECT 1"));
        return Ok{};
      });
      EXPECT_TRUE(r.ok()) << ErrorText(r);
      second_done = true;
    });
    // The only reader is ours, so the second caller must queue.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (db->Stats().waits == waits_before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GT(db->Stats().waits, waits_before);
    EXPECT_FALSE(second_done.load());
    return Ok{};
  });
  second.join();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(second_done.load());
  PoolStats stats = db->Stats();
  EXPECT_GE(stats.size, 1);
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_GE(stats.acquired, 2);
  EXPECT_FALSE(db->Describe().empty());
}

TEST_P(DbBackend, WorkingSetLargerThanStatementCacheStaysCorrect) {
  Options options;
  options.pool_size = 1;
  options.statement_cache_size = 2;
  auto db = OpenFreshTestDatabase(GetParam(), options);
  constexpr int kDistinct = 5;
  for (int round = 0; round < 3; ++round) {
    auto st = db->Write([&](Connection& c) -> Status {
      for (int i = 0; i < kDistinct; ++i) {
        TRY_ASSIGN(std::int64_t v, c.QueryInt("SELECT CAST(? AS BIGINT) * " + std::to_string(i + 1),
                                              {std::int64_t{round + 1}}));
        EXPECT_EQ(v, (round + 1) * (i + 1));
      }
      return Ok{};
    });
    ASSERT_TRUE(st.ok()) << ErrorText(st);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DbBackend, ::testing::ValuesIn(TestBackends()), BackendName);

TEST(DbOpen, RejectsUnknownUrlFormsNamingTheAcceptedOnes) {
  for (const std::string url : {"mysql://root@localhost/x", "/var/lib/nongsan.db", ""}) {
    auto opened = Open(url);
    ASSERT_FALSE(opened.ok()) << url;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalid);
    EXPECT_NE(opened.error().detail.find("sqlite:PATH"), std::string::npos);
    EXPECT_NE(opened.error().detail.find("postgresql://"), std::string::npos);
  }
}

TEST(DbDialect, HelpersDifferPerBackend) {
  EXPECT_EQ(AutoIdColumn(Dialect::kSqlite), "INTEGER PRIMARY KEY AUTOINCREMENT");
  EXPECT_NE(AutoIdColumn(Dialect::kPostgres).find("IDENTITY"), std::string_view::npos);
  EXPECT_EQ(BlobColumn(Dialect::kSqlite), "BLOB");
  EXPECT_EQ(BlobColumn(Dialect::kPostgres), "BYTEA");
}

TEST(DbRow, ConvertsBetweenTypes) {
  Row row({Value{}, Value{std::int64_t{42}}, Value{2.75}, Value{std::string("123")},
           Value{std::string("1.5")}, Value{std::string("bún bò")}, Value{-2.75}});
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_EQ(row.Double(0), 0.0);
  EXPECT_EQ(row.Text(0), "");
  EXPECT_EQ(row.OptInt(0), std::nullopt);
  EXPECT_EQ(row.OptInt(1), 42);
  EXPECT_EQ(row.Text(1), "42");
  EXPECT_EQ(row.Double(1), 42.0);
  EXPECT_EQ(row.Int(2), 2);  // truncates toward zero, like CAST
  EXPECT_EQ(row.Int(6), -2);
  EXPECT_EQ(row.Text(2), "2.75");
  EXPECT_EQ(row.Int(3), 123);
  EXPECT_EQ(row.Int(4), 1);
  EXPECT_EQ(row.Double(4), 1.5);
  EXPECT_EQ(row.Int(5), 0);
  EXPECT_EQ(row.OptText(5), "bún bò");
  EXPECT_EQ(row.size(), 7u);
  EXPECT_THROW(row.Int(7), std::out_of_range);
}

TEST(DbRow, FormatDoubleRoundTripsExactly) {
  for (double d : {0.1 + 0.2, 1e300, -5e-324, 125000.0, 1.0 / 3.0}) {
    EXPECT_EQ(Row({Value{FormatDouble(d)}}).Double(0), d) << FormatDouble(d);
  }
  EXPECT_EQ(FormatDouble(125000.0), "125000");
}

TEST(DbSqlLists, BuildPlaceholderListsBothBackendsTake) {
  EXPECT_EQ(Placeholders(0), "");
  EXPECT_EQ(Placeholders(1), "?");
  EXPECT_EQ(Placeholders(3), "?, ?, ?");
  EXPECT_EQ(InList(2), "(?, ?)");
  EXPECT_EQ(ValuesList(2, 3), "(?, ?, ?), (?, ?, ?)");
  EXPECT_EQ(ValuesList(0, 3), "");
}

}  // namespace
}  // namespace nongsan::db
