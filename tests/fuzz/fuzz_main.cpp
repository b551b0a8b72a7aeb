// One libFuzzer binary: NONGSAN_FUZZ_TARGET names the function of
// tests/fuzz/targets.hpp it drives (set per executable in CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nongsan::fuzz::NONGSAN_FUZZ_TARGET(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
