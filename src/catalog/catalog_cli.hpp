// The catalogue's operator commands, run by `nongsan import products FILE.csv`
// and `nongsan demo generate --products N` (registered in app/commands.cpp,
// which opens and migrates the App). Each prints a summary to `out`, row
// errors and problems to `err`, and a progress bar on `err` when it is a
// terminal; each returns the process exit code. Single-threaded.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "catalog/catalog_module.hpp"

namespace nongsan::catalog {

// Exit 0 when every row was imported, 1 when any row was bad or the file
// could not be read.
int RunImportProducts(CatalogModule& module, const std::string& path, std::ostream& out, std::ostream& err);

int RunGenerateCatalog(CatalogModule& module, std::size_t products, std::ostream& out, std::ostream& err);

}  // namespace nongsan::catalog
