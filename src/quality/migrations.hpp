// Schema of the quality module: certificates with their product scope and
// evidence files, the shop notification outbox, reviews with photos and
// reports, complaints and enforcement actions. Tables are prefixed quality_;
// no foreign key points into another module's tables (shops, products and
// orders are checked through quality/ports.hpp), so modules migrate
// independently.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::quality {

db::ModuleMigrations Migrations();

}  // namespace nongsan::quality
