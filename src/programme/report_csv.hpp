// The programme report as CSV (RFC 4180, UTF-8 with a BOM so spreadsheet
// programmes read Vietnamese correctly): one line per unit the caller may
// see (the total, the pre-2025 districts for the province admin, the
// communes), a column per metric's value and one per its target. Pure.
#pragma once

#include <string>

#include "programme/report.hpp"

namespace nongsan::programme {

std::string WriteReportCsv(const Report& report);

}  // namespace nongsan::programme
