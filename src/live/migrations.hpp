// The live module's tables: the livestream sessions shops record (one row
// each, with the shop's commune when recorded) and the products shown in
// each. Applied by db::Migrate on both backends.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::live {

db::ModuleMigrations Migrations();

}  // namespace nongsan::live
