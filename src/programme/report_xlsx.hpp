// The programme report as an XLSX workbook (libxlsxwriter), linked so a
// province officer can check and extend it: the summary and district sheets
// are formulas over the communes sheet (with their values cached, so a
// reader without a calculation engine sees the numbers), each commune has
// its own sheet with its months, and the support requests and trainings
// close it. Every sheet is set up for A4 printing (landscape, one page wide,
// the header row repeated). Thread-safe (no shared state).
#pragma once

#include <string>

#include "core/result.hpp"
#include "programme/report.hpp"

namespace nongsan::programme {

// The workbook's bytes.
Result<std::string> WriteReportXlsx(const Report& report);

}  // namespace nongsan::programme
