// Where the source tree was when this binary was built: the fallback for
// shipped files (templates, administrative units, docs) when the process
// does not run from the tree. One function, defined in one translation unit,
// so the path is not a compile flag of every object: objects built in two
// checkouts stay identical and ccache shares them.
#pragma once

namespace nongsan::core {

const char* SourceDir();

}  // namespace nongsan::core
