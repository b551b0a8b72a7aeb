// The programme module's tables: programmes and their targets, and the daily
// roll-ups its metrics are read from. Nothing here refers to another module's
// tables; shop ids and commune codes are kept consistent by the services.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::programme {

db::ModuleMigrations Migrations();

}  // namespace nongsan::programme
