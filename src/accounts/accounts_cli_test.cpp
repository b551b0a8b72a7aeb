// `nongsan admin create-user` run as the operator would: the password piped
// on stdin, the account and its grant checked in the database afterwards.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "db/database.hpp"
#include "support/test_db.hpp"

namespace nongsan::testing {
namespace {

std::string ServerBinary() {
  if (const char* env = std::getenv("NONGSAN_BINARY"); env != nullptr && *env != '\0') return env;
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "nongsan").string();
}

// Runs the binary with `args`, writing `input` to its stdin; the exit code.
int RunWithInput(const std::string& args, const std::string& input) {
  const std::string command = ServerBinary() + " " + args + " >/dev/null 2>&1";
  FILE* pipe = ::popen(command.c_str(), "w");
  if (!pipe) return -1;
  std::fwrite(input.data(), 1, input.size(), pipe);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class AccountsCli : public ::testing::TestWithParam<std::string> {};

TEST_P(AccountsCli, CreatesTheFirstProvinceAdmin) {
  if (!std::filesystem::exists(ServerBinary())) GTEST_SKIP() << "no server binary at " << ServerBinary();
  const std::string url = FreshTestDatabaseUrl(GetParam());
  const std::string data_dir =
      std::filesystem::temp_directory_path() / ("nongsan-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(data_dir);
  const std::string common = " --data-dir " + data_dir + " --database '" + url + "'";

  EXPECT_NE(RunWithInput("admin create-user --phone 0912000111 --role province_admin --province 19" + common,
                         "12345678\n"),
            0);  // a common password is refused
  EXPECT_NE(RunWithInput("admin create-user --phone 0912000111 --role province_admin --province 99" + common,
                         "Quan-tri-Thai-Nguyen-1\n"),
            0);  // no such province
  ASSERT_EQ(
      RunWithInput(
          "admin create-user --phone +84912000111 --role province_admin --province 19 --name 'Lê Văn An'" +
              common,
          "Quan-tri-Thai-Nguyen-1\n"),
      0);
  // A second role for the same person needs no password.
  ASSERT_EQ(RunWithInput(
                "admin create-user --phone 0912000111 --role commune_officer --commune 01840" + common, ""),
            0);

  auto db = db::Open(url);
  ASSERT_TRUE(db.ok());
  auto user = (*db)->Read([](db::Connection& c) {
    return c.QueryOne("SELECT id, full_name, password_hash, status FROM users WHERE phone = '0912000111'");
  });
  ASSERT_TRUE(user.ok() && *user);
  EXPECT_EQ((*user)->Text(1), "Lê Văn An");
  EXPECT_EQ((*user)->Text(2).rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*user)->Text(3), "active");
  auto grants = (*db)->Read([&](db::Connection& c) {
    return c.Query("SELECT role, scope FROM user_grants WHERE user_id = ? ORDER BY id", {(*user)->Int(0)});
  });
  ASSERT_TRUE(grants.ok());
  std::vector<std::string> seen;
  for (const auto& row : *grants) seen.push_back(row.Text(0) + ":" + row.Text(1));
  EXPECT_EQ(seen, (std::vector<std::string>{"buyer:", "province_admin:19", "commune_officer:01840"}));
  std::filesystem::remove_all(data_dir);
}

INSTANTIATE_TEST_SUITE_P(Accounts, AccountsCli, ::testing::ValuesIn(TestBackends()), BackendName);

}  // namespace
}  // namespace nongsan::testing
