#include "core/source_dir.hpp"

namespace nongsan::core {

// NONGSAN_SOURCE_DIR is defined for this file alone (CMakeLists.txt).
const char* SourceDir() { return NONGSAN_SOURCE_DIR; }

}  // namespace nongsan::core
