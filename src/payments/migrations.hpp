// The payments module's tables (payments_*): shops' accepted methods and
// payout accounts, one payment per order, every sum of money received, the
// double-entry ledger and payouts.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::payments {

db::ModuleMigrations Migrations();

}  // namespace nongsan::payments
