// SQLite-specific behaviour: opening files, pragmas, constraint details.
#include "db/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "db/read_one.hpp"
#include "support/test_db.hpp"

namespace nongsan::db {
namespace {

namespace fs = std::filesystem;
using nongsan::testing::ErrorText;

// A fresh empty directory, removed afterwards.
class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "nongsan-sqlite-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Database> MustOpen(const std::string& path, const Options& options = {}) {
    auto opened = Open("sqlite:" + path, options);
    EXPECT_TRUE(opened.ok()) << ErrorText(opened);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::string PragmaText(Database& db, const std::string& pragma) {
    // Pragmas of the writer (the connection that matters for durability).
    auto r = db.Write([&](Connection& c) -> Result<std::string> {
      TRY_ASSIGN(Rows rows, c.Query("PRAGMA " + pragma));
      return rows.empty() ? std::string() : rows[0].Text(0);
    });
    EXPECT_TRUE(r.ok()) << ErrorText(r);
    return r.ok() ? *r : "";
  }

  fs::path dir_;
};

TEST_F(SqliteDatabaseTest, MissingDirectoryIsUnavailableAndCreatesNothing) {
  const std::string path = (dir_ / "no" / "such" / "dir" / "nongsan.db").string();
  auto opened = Open("sqlite:" + path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().detail.find(path), std::string::npos) << opened.error().detail;
  EXPECT_TRUE(fs::is_empty(dir_));
  EXPECT_FALSE(fs::exists(dir_ / "no"));
}

TEST_F(SqliteDatabaseTest, CreateIfMissingOffRefusesToCreate) {
  Options options;
  options.create_if_missing = false;
  const std::string path = (dir_ / "absent.db").string();
  auto opened = Open("sqlite:" + path, options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().detail.find(path), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(SqliteDatabaseTest, DirectoryOrGarbageFileIsUnavailable) {
  auto on_dir = Open("sqlite:" + dir_.string());
  ASSERT_FALSE(on_dir.ok());
  EXPECT_EQ(on_dir.error().code, ErrorCode::kUnavailable);

  const fs::path garbage = dir_ / "garbage.db";
  {
    std::FILE* f = std::fopen(garbage.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not a database, just some text long enough to have a header...........", f);
    std::fclose(f);
  }
  auto on_garbage = Open("sqlite:" + garbage.string());
  ASSERT_FALSE(on_garbage.ok());
  EXPECT_EQ(on_garbage.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(on_garbage.error().detail.find(garbage.string()), std::string::npos);
}

TEST_F(SqliteDatabaseTest, MemoryAndEmptyPathsAreRejected) {
  for (const std::string url : {"sqlite::memory:", "sqlite:"}) {
    auto opened = Open(url);
    ASSERT_FALSE(opened.ok()) << url;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalid);
  }
}

TEST_F(SqliteDatabaseTest, CreatesOnlyTheFileAndUsesWal) {
  const fs::path path = dir_ / "nongsan.db";
  auto db = MustOpen(path.string());
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ(db->dialect(), Dialect::kSqlite);
  EXPECT_EQ(db->Describe(), "sqlite:" + path.string());
  EXPECT_EQ(PragmaText(*db, "journal_mode"), "wal");
  EXPECT_EQ(PragmaText(*db, "foreign_keys"), "1");
  EXPECT_EQ(PragmaText(*db, "synchronous"), "1");  // NORMAL
  auto reader_fk = db->Read([](Connection& c) { return c.QueryInt("PRAGMA foreign_keys"); });
  ASSERT_TRUE(reader_fk.ok());
  EXPECT_EQ(*reader_fk, 1);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_TRUE(entry.path().filename().string().starts_with("nongsan.db")) << entry.path();
  }
}

TEST_F(SqliteDatabaseTest, FullSyncIsConfigurable) {
  Options options;
  options.sqlite_sync = SqliteSync::kFull;
  auto db = MustOpen((dir_ / "full.db").string(), options);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(PragmaText(*db, "synchronous"), "2");  // FULL
}

// A durable write (payments' acknowledged notifications) commits with the WAL
// fsynced — synchronous=FULL inside it — and leaves the writer at NORMAL.
TEST_F(SqliteDatabaseTest, ADurableWriteSyncsItsOwnCommitOnly) {
  auto db = MustOpen((dir_ / "durable.db").string());
  ASSERT_NE(db, nullptr);
  std::int64_t inside = 0;
  ASSERT_TRUE(db->DurableWriteWith([&](Connection& c) -> Status {
                  TRY_ASSIGN(inside, c.QueryInt("PRAGMA synchronous"));
                  return Ok{};
                }).ok());
  EXPECT_EQ(inside, 2);  // FULL
  std::int64_t plain = 0;
  ASSERT_TRUE(db->WriteWith([&](Connection& c) -> Status {
                  TRY_ASSIGN(plain, c.QueryInt("PRAGMA synchronous"));
                  return Ok{};
                }).ok());
  EXPECT_EQ(plain, 1);  // NORMAL again
  // A refused durable write rolls back and restores NORMAL too.
  EXPECT_FALSE(db->DurableWriteWith([](Connection&) -> Status { return Error::Invalid("no"); }).ok());
  EXPECT_EQ(PragmaText(*db, "synchronous"), "1");
}

TEST_F(SqliteDatabaseTest, TripleSlashUrlIsAnAbsolutePath) {
  const fs::path path = dir_ / "slashes.db";
  auto opened = Open("sqlite://" + path.string());
  ASSERT_TRUE(opened.ok()) << ErrorText(opened);
  EXPECT_TRUE(fs::exists(path));
}

TEST_F(SqliteDatabaseTest, DataSurvivesReopening) {
  const std::string path = (dir_ / "keep.db").string();
  {
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    auto st = db->Write([](Connection& c) -> Status {
      TRY(c.ExecScript("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('Thái Nguyên');"));
      return Ok{};
    });
    ASSERT_TRUE(st.ok()) << ErrorText(st);
  }
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  auto v = db->Read([](Connection& c) { return c.QueryOne("SELECT v FROM t"); });
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ((*v)->Text(0), "Thái Nguyên");
}

TEST_F(SqliteDatabaseTest, UniqueViolationNamesTableAndColumn) {
  auto db = MustOpen((dir_ / "u.db").string());
  ASSERT_NE(db, nullptr);
  auto st = db->Write([](Connection& c) -> Status {
    return c.ExecScript(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);"
        "INSERT INTO users (id, email) VALUES (1, 'a@x.vn');");
  });
  ASSERT_TRUE(st.ok());
  auto dup =
      db->Write([](Connection& c) { return c.Exec("INSERT INTO users (id, email) VALUES (2, 'a@x.vn')"); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().extra["constraint"], "users.email");
  auto dup_pk =
      db->Write([](Connection& c) { return c.Exec("INSERT INTO users (id, email) VALUES (1, 'b@x.vn')"); });
  ASSERT_FALSE(dup_pk.ok());
  EXPECT_TRUE(IsUniqueViolation(dup_pk.error()));
  EXPECT_EQ(dup_pk.error().extra["constraint"], "users.id");
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforced) {
  auto db = MustOpen((dir_ / "fk.db").string());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](Connection& c) -> Status {
                  return c.ExecScript(
                      "CREATE TABLE seller (id INTEGER PRIMARY KEY);"
                      "CREATE TABLE product (id INTEGER PRIMARY KEY,"
                      " seller_id INTEGER NOT NULL REFERENCES seller(id));");
                }).ok());
  auto orphan =
      db->Write([](Connection& c) { return c.Exec("INSERT INTO product (seller_id) VALUES (99)"); });
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kInternal);
}

TEST_F(SqliteDatabaseTest, NestedWriteOnOneThreadIsRefusedNotDeadlocked) {
  auto db = MustOpen((dir_ / "nested.db").string());
  ASSERT_NE(db, nullptr);
  auto outer = db->WriteWith(
      [&](Connection&) -> Status { return db->WriteWith([](Connection&) -> Status { return Ok{}; }); });
  ASSERT_FALSE(outer.ok());
  EXPECT_EQ(outer.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(db->WriteWith([](Connection&) -> Status { return Ok{}; }).ok());
}

TEST_F(SqliteDatabaseTest, TwoProcessesWorthOfWritersShareOneFile) {
  // Two Database objects on one file stand in for two server processes:
  // their writers contend through SQLite's lock, resolved by busy_timeout.
  const std::string path = (dir_ / "shared.db").string();
  auto a = MustOpen(path);
  auto b = MustOpen(path);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->Write([](Connection& c) { return c.Exec("CREATE TABLE n (v INTEGER)"); }).ok());
  constexpr int kEach = 50;
  auto writer = [&](Database& db) {
    for (int i = 0; i < kEach; ++i) {
      auto r = db.Write([](Connection& c) { return c.Exec("INSERT INTO n (v) VALUES (1)"); });
      EXPECT_TRUE(r.ok()) << ErrorText(r);
    }
  };
  std::thread ta(writer, std::ref(*a));
  std::thread tb(writer, std::ref(*b));
  ta.join();
  tb.join();
  auto count = a->Read([](Connection& c) { return c.QueryInt("SELECT COUNT(*) FROM n"); });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2 * kEach);
}

}  // namespace
}  // namespace nongsan::db
