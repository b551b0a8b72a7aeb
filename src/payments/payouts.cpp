// PaymentService's payouts (declared in payment_service.hpp): the operator
// sends shops what the platform owes them, never more than their balance.
#include <set>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "payments/ledger.hpp"
#include "payments/payment_service.hpp"

namespace nongsan::payments {
namespace {

constexpr std::string_view kInsertBatch =
    "INSERT INTO payments_payout_batches (created_by, created_at, total_vnd, file) VALUES (?, ?, 0, '') "
    "RETURNING id";
constexpr std::string_view kFinishBatch =
    "UPDATE payments_payout_batches SET total_vnd = ?, file = ? WHERE id = ?";
constexpr std::string_view kInsertPayout =
    "INSERT INTO payments_payouts (batch_id, seller_id, amount_vnd, bank_bin, account_number, account_name, "
    "status, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, 'sent', ?) RETURNING id";
// Takes the shop's row lock on PostgreSQL so two batches cannot both spend one
// balance (SQLite's single writer already serialises them).
constexpr std::string_view kLockAccount =
    "UPDATE payments_payout_accounts SET updated_at = updated_at WHERE seller_id = ?";
constexpr std::string_view kSelectAccount =
    "SELECT bank_bin, account_number, account_name FROM payments_payout_accounts WHERE seller_id = ?";

// The bank's bulk-transfer description: letters and digits, as banks keep them.
std::string PayoutDescription(std::int64_t payout_id) {
  return "NONGSAN PAYOUT " + std::to_string(payout_id);
}

}  // namespace

Result<nlohmann::json> PaymentService::CreatePayouts(const Principal& principal,
                                                     const std::vector<PayoutRequest>& items,
                                                     const std::string& ip) {
  if (!principal.Has(Role::kProvinceAdmin))
    return Error::Forbidden("Only the platform's operator sends payouts.");
  if (items.empty() || items.size() > kMaxPayoutItems) {
    return Error::Field("items", "1 to " + std::to_string(kMaxPayoutItems) + " shops.");
  }
  std::vector<FieldError> errors;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = "items[" + std::to_string(i) + "]";
    if (items[i].amount_vnd <= 0) errors.push_back({at + ".amount_vnd", "Must be above 0."});
    if (!seen.insert(items[i].seller_id).second)
      errors.push_back({at + ".seller_id", "This shop is listed twice."});
    auto is_operator = IsOperatorFor(&principal, items[i].seller_id);
    if (!is_operator.ok()) return is_operator.error();
    if (!*is_operator) errors.push_back({at + ".seller_id", "Not a shop of your province."});
  }
  auto refuse = [&](std::vector<FieldError> fields) -> Error {
    Error e = InvalidFields(fields);
    nlohmann::json named = nlohmann::json::array();
    for (const FieldError& f : fields) named.push_back({{"field", f.field}, {"message", f.message}});
    Status audited = db_.Write([&](db::Connection& c) -> Status {
      accounts::AuditEntry audit;
      audit.actor_user_id = principal.user_id;
      audit.action = "payments.payout.refused";
      audit.object_type = "payout_batch";
      audit.after = {{"refused", named}};
      audit.ip = ip;
      return accounts::RecordAudit(c, audit, clock_.NowMs());
    });
    if (!audited.ok()) return audited.error();
    return e;
  };
  if (!errors.empty()) return refuse(std::move(errors));

  const std::int64_t now = clock_.NowMs();
  std::vector<FieldError> over;
  auto made = db_.DurableWrite([&](db::Connection& c) -> Result<nlohmann::json> {
    over.clear();
    TRY_ASSIGN(std::int64_t batch, c.QueryInt(kInsertBatch, {principal.user_id, now}));
    std::string file = "bank_bin,account_number,account_name,amount_vnd,description\r\n";
    nlohmann::json payouts = nlohmann::json::array();
    std::int64_t total = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const PayoutRequest& item = items[i];
      const std::string at = "items[" + std::to_string(i) + "]";
      TRY(c.Exec(kLockAccount, {item.seller_id}));
      TRY_ASSIGN(auto account, c.QueryOne(kSelectAccount, {item.seller_id}));
      if (!account) {
        over.push_back({at + ".seller_id", "The shop has no payout account."});
        continue;
      }
      TRY_ASSIGN(std::int64_t balance, ShopBalance(c, item.seller_id));
      if (item.amount_vnd > balance) {
        over.push_back(
            {at + ".amount_vnd", "More than the shop's balance of " + std::to_string(balance) + " đồng."});
        continue;
      }
      TRY_ASSIGN(std::int64_t payout,
                 c.QueryInt(kInsertPayout, {batch, item.seller_id, item.amount_vnd, account->Text(0),
                                            account->Text(1), account->Text(2), now}));
      TRY(PostPayout(c, item.seller_id, payout, item.amount_vnd, now));
      // Account names are checked at entry to hold no control characters;
      // quotes are doubled for the CSV.
      std::string name = account->Text(2);
      for (std::size_t q = name.find('"'); q != std::string::npos; q = name.find('"', q + 2))
        name.insert(q, "\"");
      file += account->Text(0) + "," + account->Text(1) + ",\"" + name + "\"," +
              std::to_string(item.amount_vnd) + "," + PayoutDescription(payout) + "\r\n";
      total += item.amount_vnd;
      payouts.push_back({{"id", payout},
                         {"seller_id", item.seller_id},
                         {"amount_vnd", item.amount_vnd},
                         {"bank_bin", account->Text(0)},
                         {"account_number", account->Text(1)},
                         {"account_name", account->Text(2)}});
    }
    // Refused whole: rolling back leaves nothing of the batch.
    if (!over.empty()) return Error::Invalid("over");
    TRY(c.Exec(kFinishBatch, {total, file, batch}));
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.action = "payments.payout.sent";
    audit.object_type = "payout_batch";
    audit.object_id = std::to_string(batch);
    audit.after = {{"total_vnd", total}, {"payouts", payouts}};
    audit.ip = ip;
    TRY(accounts::RecordAudit(c, audit, now));
    return nlohmann::json{{"batch_id", batch},
                          {"total_vnd", total},
                          {"payouts", std::move(payouts)},
                          {"file_url", "/api/v1/payouts/" + std::to_string(batch) + "/file.csv"}};
  });
  if (!made.ok() && !over.empty()) return refuse(std::move(over));
  return made;
}

Result<std::string> PaymentService::PayoutFile(const Principal& principal, std::int64_t batch_id) {
  if (!principal.Has(Role::kProvinceAdmin)) return Error::NotFound("payout batch");
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) {
    return c.QueryOne("SELECT created_by, file FROM payments_payout_batches WHERE id = ?", {batch_id});
  }));
  // A batch is its operator's: another province's admin learns nothing of it.
  if (!row || row->Int(0) != principal.user_id) return Error::NotFound("payout batch");
  return row->Text(1);
}

}  // namespace nongsan::payments
