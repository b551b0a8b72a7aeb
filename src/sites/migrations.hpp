// The sites module's table: each shop's website settings and its custom
// domain (unique across shops). Applied by db::Migrate on both backends.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::sites {

db::ModuleMigrations Migrations();

}  // namespace nongsan::sites
