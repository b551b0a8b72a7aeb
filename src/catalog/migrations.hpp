// The catalogue's schema: categories (seeded from categories.cpp), products,
// photos, the stock ledger and the change log the search index follows.
// Tables are prefixed catalog_; no foreign key points into another module's
// tables (seller_id is checked through SellerDirectory), so modules migrate
// independently.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::catalog {

db::ModuleMigrations Migrations();

}  // namespace nongsan::catalog
