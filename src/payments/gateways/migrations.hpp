// The gateways' own table, payments_gateway_attempts: one row per order sent
// to VNPay or MoMo (the reference the gateway carries, the amount it was
// asked for, the payment URL handed out), what the gateway's IPN confirmed
// (its transaction number and pay date, which refunds must quote back), and
// the refund. The payment itself (status, money received, ledger) belongs to
// the payments module, reached through GatewayPayments.
#pragma once

#include "db/migrations.hpp"

namespace nongsan::payments::gateways {

db::ModuleMigrations Migrations();

}  // namespace nongsan::payments::gateways
