// Replays every input kept under tests/fuzz/<target>/ (the seed corpus and
// each crash the fuzzers found, saved as a regression) through the fuzz
// targets in the normal suite, so a fixed crash stays fixed without clang or
// libFuzzer. A violated property aborts, which fails the run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/source_dir.hpp"
#include "fuzz/targets.hpp"

namespace nongsan::fuzz {
namespace {

namespace fs = std::filesystem;

TEST(FuzzRegression, EveryKeptInputRunsCleanThroughItsTarget) {
  const fs::path root = fs::path(core::SourceDir()) / "tests" / "fuzz";
  for (const Target& target : Targets()) {
    const fs::path folder = root / std::string(target.name);
    ASSERT_TRUE(fs::is_directory(folder)) << folder << ": every target keeps a corpus";
    int inputs = 0;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), {}};
      SCOPED_TRACE(entry.path().string());
      target.run(bytes);
      ++inputs;
    }
    EXPECT_GT(inputs, 0) << target.name << " has no seed inputs";
  }
}

}  // namespace
}  // namespace nongsan::fuzz
