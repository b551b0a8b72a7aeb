#include "db/migrations.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/test_db.hpp"

namespace nongsan::db {
namespace {

using nongsan::testing::BackendName;
using nongsan::testing::ErrorText;
using nongsan::testing::FreshTestDatabaseUrl;
using nongsan::testing::TestBackends;

ModuleMigrations Catalog() {
  return {"catalog",
          {{1, "create_products",
            "CREATE TABLE products (id {{ID}}, name TEXT NOT NULL, photo {{BLOB}});"
            "CREATE INDEX products_name ON products (name);"},
           {2, "add_price", "ALTER TABLE products ADD COLUMN price_vnd BIGINT NOT NULL DEFAULT 0"}}};
}

class MigrationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = FreshTestDatabaseUrl(GetParam());
    auto opened = Open(url_);
    ASSERT_TRUE(opened.ok()) << ErrorText(opened);
    db_ = std::move(opened).value();
  }

  std::int64_t Count(const std::string& sql) {
    auto n = db_->Read([&](Connection& c) { return c.QueryInt(sql); });
    EXPECT_TRUE(n.ok()) << sql << " → " << ErrorText(n);
    return n.ok() ? *n : -1;
  }

  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(MigrationsTest, AppliesOnceAndIsIdempotent) {
  auto first = Migrate(*db_, {Catalog()});
  ASSERT_TRUE(first.ok()) << ErrorText(first);
  EXPECT_EQ(*first, 2);
  auto second = Migrate(*db_, {Catalog()});
  ASSERT_TRUE(second.ok()) << ErrorText(second);
  EXPECT_EQ(*second, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations WHERE module = 'catalog'"), 2);

  // The schema works: {{ID}} auto-increments and {{BLOB}} keeps bytes.
  const std::string photo("\x89PNG\0\x01", 6);
  auto id = db_->Write([&](Connection& c) {
    return c.QueryInt("INSERT INTO products (name, photo, price_vnd) VALUES (?, ?, ?) RETURNING id",
                      {"Chè Tân Cương", photo, std::int64_t{125000}});
  });
  ASSERT_TRUE(id.ok()) << ErrorText(id);
  auto row = db_->Read(
      [&](Connection& c) { return c.QueryOne("SELECT photo, price_vnd FROM products WHERE id = ?", {*id}); });
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->Text(0), photo);
  EXPECT_EQ((*row)->Int(1), 125000);

  // A later release adds a migration and a module: only those run.
  ModuleMigrations catalog = Catalog();
  catalog.migrations.push_back({3, "add_unit", "ALTER TABLE products ADD COLUMN unit TEXT"});
  ModuleMigrations orders{"orders", {{1, "create_orders", "CREATE TABLE orders (id {{ID}})"}}};
  auto third = Migrate(*db_, {catalog, orders});
  ASSERT_TRUE(third.ok()) << ErrorText(third);
  EXPECT_EQ(*third, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM products WHERE unit IS NULL"), 1);
}

TEST_P(MigrationsTest, AppliesInVersionOrderWhateverTheListOrder) {
  ModuleMigrations shuffled{
      "m", {{2, "second", "INSERT INTO log (v) VALUES (2)"}, {1, "first", "CREATE TABLE log (v BIGINT)"}}};
  auto applied = Migrate(*db_, {shuffled});
  ASSERT_TRUE(applied.ok()) << ErrorText(applied);
  EXPECT_EQ(*applied, 2);
  EXPECT_EQ(Count("SELECT v FROM log"), 2);
}

TEST_P(MigrationsTest, FailedMigrationLeavesNothingAndStops) {
  ModuleMigrations broken{"m",
                          {{1, "good", "CREATE TABLE a (v BIGINT)"},
                           {2, "bad", "CREATE TABLE b (v BIGINT); CREATE TABLEE c (v BIGINT)"},
                           {3, "after", "CREATE TABLE d (v BIGINT)"}}};
  auto applied = Migrate(*db_, {broken});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code, ErrorCode::kInternal);
  EXPECT_NE(applied.error().detail.find("m v2 (bad)"), std::string::npos) << applied.error().detail;
  EXPECT_EQ(applied.error().detail.find("TABLEE"), std::string::npos);
  EXPECT_EQ(Count("SELECT MAX(version) FROM schema_migrations WHERE module = 'm'"), 1);
  // Migration 2 was one transaction: its first table is gone too; 3 never ran.
  auto b = db_->Read([](Connection& c) { return c.Query("SELECT v FROM b"); });
  EXPECT_FALSE(b.ok());
  auto d = db_->Read([](Connection& c) { return c.Query("SELECT v FROM d"); });
  EXPECT_FALSE(d.ok());

  broken.migrations[1].sql = "CREATE TABLE b (v BIGINT)";  // fixed in the next release
  auto retried = Migrate(*db_, {broken});
  ASSERT_TRUE(retried.ok()) << ErrorText(retried);
  EXPECT_EQ(*retried, 2);
}

TEST_P(MigrationsTest, UsesThePostgresOverrideOnlyOnPostgres) {
  ModuleMigrations m{"m",
                     {{1, "dialect", "CREATE TABLE which (v TEXT DEFAULT 'sqlite')",
                       "CREATE TABLE which (v TEXT DEFAULT 'postgres')"}}};
  ASSERT_TRUE(Migrate(*db_, {m}).ok());
  auto v = db_->Write([](Connection& c) -> Result<std::string> {
    TRY(c.Exec("INSERT INTO which DEFAULT VALUES"));
    TRY_ASSIGN(auto row, c.QueryOne("SELECT v FROM which"));
    return row->Text(0);
  });
  ASSERT_TRUE(v.ok()) << ErrorText(v);
  EXPECT_EQ(*v, GetParam());
}

TEST_P(MigrationsTest, RejectsRepeatedVersions) {
  ModuleMigrations m{"m", {{1, "a", "CREATE TABLE a (v BIGINT)"}, {1, "b", "CREATE TABLE b (v BIGINT)"}}};
  auto applied = Migrate(*db_, {m});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code, ErrorCode::kInternal);
}

TEST_P(MigrationsTest, TwoServersMigratingAtOnceApplyEachMigrationOnce) {
  // Two Database objects on one database stand in for two app servers.
  auto other = Open(url_);
  ASSERT_TRUE(other.ok()) << ErrorText(other);
  ModuleMigrations many{"bulk", {}};
  constexpr int kMigrations = 12;
  for (int v = 1; v <= kMigrations; ++v) {
    // A plain CREATE TABLE fails if run twice, so a race would show.
    many.migrations.push_back(
        {v, "t" + std::to_string(v), "CREATE TABLE t" + std::to_string(v) + " (v BIGINT)"});
  }
  Result<int> a = 0;
  Result<int> b = 0;
  std::thread ta([&] { a = Migrate(*db_, {many}); });
  std::thread tb([&] { b = Migrate(**other, {many}); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a.ok()) << ErrorText(a);
  ASSERT_TRUE(b.ok()) << ErrorText(b);
  EXPECT_EQ(*a + *b, kMigrations);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations WHERE module = 'bulk'"), kMigrations);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::ValuesIn(TestBackends()), BackendName);

TEST(MigrationsRender, SubstitutesPlaceholdersPerDialect) {
  Migration m{1, "x", "CREATE TABLE t (id {{ID}}, a {{BLOB}}, b {{BLOB}})", ""};
  EXPECT_EQ(RenderMigrationSql(m, Dialect::kSqlite),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a BLOB, b BLOB)");
  EXPECT_EQ(RenderMigrationSql(m, Dialect::kPostgres),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a BYTEA, b BYTEA)");
  m.postgres_sql = "CREATE TABLE t (id {{ID}}, j JSONB)";
  EXPECT_EQ(RenderMigrationSql(m, Dialect::kPostgres),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, j JSONB)");
  EXPECT_EQ(RenderMigrationSql(m, Dialect::kSqlite),
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a BLOB, b BLOB)");
}

}  // namespace
}  // namespace nongsan::db
