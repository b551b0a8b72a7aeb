// Schema of the sellers module: shops (sellers) and cooperative membership.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::sellers {

db::ModuleMigrations Migrations();

}  // namespace nongsan::sellers
