#include "payments/gateways/migrations.hpp"

namespace nongsan::payments::gateways {
namespace {

// status: open (URL handed out) → paid (IPN confirmed the money) → refunded
// (the gateway accepted our refund) or refund_failed (it refused; retried by
// an operator); failed: the gateway reported the buyer did not pay.
// (method, txn_ref) is unique: the gateway's reference names one attempt.
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE payments_gateway_attempts (
  id {{ID}},
  method TEXT NOT NULL CHECK (method IN ('vnpay', 'momo')),
  txn_ref TEXT NOT NULL,
  order_id BIGINT NOT NULL,
  reference TEXT NOT NULL,
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
  pay_url TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'failed', 'refunded', 'refund_failed')),
  gateway_txn_id TEXT NOT NULL DEFAULT '',
  gateway_paid_at TEXT NOT NULL DEFAULT '',
  refund_ref TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (method, txn_ref)
);
CREATE INDEX payments_gateway_attempts_order ON payments_gateway_attempts (order_id);
)SQL";

}  // namespace

db::ModuleMigrations Migrations() { return {"payments_gateways", {{1, "gateway attempts", kSchemaV1}}}; }

}  // namespace nongsan::payments::gateways
