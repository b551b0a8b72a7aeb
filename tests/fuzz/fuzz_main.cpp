// One libFuzzer binary: NONGSAN_FUZZ_TARGET names the function of
// tests/fuzz/targets.hpp it drives (set per executable in CMakeLists.txt).
#include "fuzz/targets.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nongsan::fuzz::NONGSAN_FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
