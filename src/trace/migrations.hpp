// The traceability module's tables: shops' GS1 company prefixes, the GTINs
// it knows products by (for the resolver), production lots and their
// counters. Applied by db::Migrate on both backends.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::trace {

db::ModuleMigrations Migrations();

}  // namespace nongsan::trace
