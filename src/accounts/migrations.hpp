// Schema of the accounts module: users, role grants, sessions, one-time
// codes, the development SMS outbox and the audit log.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::accounts {

db::ModuleMigrations Migrations();

}  // namespace nongsan::accounts
