// Schema of the orders module: carts, checkouts (the idempotency records),
// orders and their lines, the transition history, shipping rate tables
// (seeded with the platform defaults), in-app notifications and the outbox
// that SMS/Zalo/e-mail adapters will drain. Tables are prefixed orders_; no
// foreign key points into another module's tables (products and shops are
// reached through the catalogue's and the sellers' services).
#pragma once

#include "db/migrations.hpp"

namespace nongsan::orders {

db::ModuleMigrations Migrations();

}  // namespace nongsan::orders
