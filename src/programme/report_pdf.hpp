// The programme report as a PDF for a conference screen or a printed page
// (cairo + pango, A4 landscape): the headline figures against their targets,
// charts per month, then the communes with the laggards first. Only what the
// Report holds, so only what the caller may see. Thread-safe (no shared
// state; pango's font map is thread-safe per its documentation).
#pragma once

#include <string>

#include "core/result.hpp"
#include "programme/report.hpp"

namespace nongsan::programme {

Result<std::string> WriteReportPdf(const Report& report);

}  // namespace nongsan::programme
