// The cost of a durable commit (Database::DurableWrite: synchronous=FULL for
// that one commit, docs/payments.md) against a plain one (synchronous=NORMAL),
// one small insert per transaction on an SQLite file in the temp directory (or
// NONGSAN_BENCH_DIR, to measure another disk):
//   build/nongsan_bench --benchmark_filter=Commit
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "db/database.hpp"

namespace {

std::unique_ptr<nongsan::db::Database> OpenScratch(const std::string& name) {
  const char* dir = std::getenv("NONGSAN_BENCH_DIR");
  const std::filesystem::path path =
      std::filesystem::path(dir != nullptr ? dir : std::filesystem::temp_directory_path()) /
      (name + "-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  auto db = nongsan::db::Open("sqlite:" + path.string());
  if (!db.ok()) return nullptr;
  auto created = (*db)->WriteWith([](nongsan::db::Connection& c) -> nongsan::Status {
    return c.ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  });
  if (!created.ok()) return nullptr;
  return std::move(db).value();
}

template <bool kDurable>
void Commit(benchmark::State& state) {
  auto db = OpenScratch(kDurable ? "durable" : "normal");
  if (!db) {
    state.SkipWithError("no scratch database");
    return;
  }
  std::int64_t n = 0;
  for (auto _ : state) {
    auto write = [&](nongsan::db::Connection& c) -> nongsan::Status {
      auto done = c.Exec("INSERT INTO t (v) VALUES (?)", {std::string("receipt ") + std::to_string(++n)});
      if (!done.ok()) return done.error();
      return nongsan::Ok{};
    };
    nongsan::Status st = kDurable ? db->DurableWriteWith(write) : db->WriteWith(write);
    if (!st.ok()) state.SkipWithError("write failed");
  }
}

BENCHMARK(Commit<false>)->Name("CommitNormal")->MinTime(2.0);
BENCHMARK(Commit<true>)->Name("CommitDurable")->MinTime(2.0);

}  // namespace
