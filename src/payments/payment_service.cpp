#include "payments/payment_service.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "accounts/audit_log.hpp"
#include "core/field_errors.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "payments/ledger.hpp"
#include "payments/payment_time.hpp"
#include "payments/vietqr.hpp"

namespace nongsan::payments {
namespace {

using orders::kPaymentCod;
using orders::kPaymentMomo;
using orders::kPaymentVietQr;
using orders::kPaymentVnpay;

constexpr std::string_view kPaymentColumns =
    "order_id, order_code, seller_id, buyer_id, method, status, amount_vnd, paid_vnd, reference, bank_bin, "
    "account_number, account_name, expires_at, paid_at, created_at, updated_at, refunded_vnd";
constexpr std::string_view kInsertPayment =
    "INSERT INTO payments_payments (order_id, order_code, seller_id, buyer_id, method, status, amount_vnd, "
    "paid_vnd, reference, bank_bin, account_number, account_name, expires_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kSelectMethods =
    "SELECT method FROM payments_shop_methods WHERE seller_id = ? ORDER BY method";
constexpr std::string_view kDeleteMethods = "DELETE FROM payments_shop_methods WHERE seller_id = ?";
constexpr std::string_view kInsertMethod =
    "INSERT INTO payments_shop_methods (seller_id, method, updated_at, updated_by) VALUES (?, ?, ?, ?)";
constexpr std::string_view kSelectAccount =
    "SELECT bank_bin, account_number, account_name, updated_at FROM payments_payout_accounts WHERE seller_id "
    "= ?";
constexpr std::string_view kUpsertAccount =
    "INSERT INTO payments_payout_accounts (seller_id, bank_bin, account_number, account_name, updated_at, "
    "updated_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (seller_id) DO UPDATE SET bank_bin = "
    "excluded.bank_bin, "
    "account_number = excluded.account_number, account_name = excluded.account_name, "
    "updated_at = excluded.updated_at, updated_by = excluded.updated_by";
constexpr std::string_view kShopsOfAccount =
    "SELECT seller_id FROM payments_payout_accounts WHERE account_number = ? LIMIT 2";
constexpr std::string_view kSelectReceipt =
    "SELECT outcome, order_id FROM payments_receipts WHERE source = ? AND external_id = ?";
constexpr std::string_view kInsertReceipt =
    "INSERT INTO payments_receipts (source, external_id, channel, account_number, amount_vnd, description, "
    "transferred_at, seller_id, order_id, outcome, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kAddPaid =
    "UPDATE payments_payments SET paid_vnd = paid_vnd + ?, updated_at = ? WHERE order_id = ?";
constexpr std::string_view kSetStatus =
    "UPDATE payments_payments SET status = ?, paid_at = ?, expires_at = ?, updated_at = ? WHERE order_id = ?";
constexpr std::string_view kOverdue =
    "SELECT order_id FROM payments_payments WHERE status IN ('pending', 'partially_paid') AND expires_at IS "
    "NOT NULL "
    "AND expires_at <= ? ORDER BY expires_at LIMIT ?";

constexpr std::size_t kHmacSha256Bytes = crypto_auth_hmacsha256_BYTES;

// Why the payment deadline cancelled an order (shown in its history).
constexpr const char* kExpiredReason = "Quá hạn thanh toán trực tuyến";

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

bool IsOnline(std::string_view method) { return method != kPaymentCod; }

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  unsigned char mac[kHmacSha256Bytes];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * kHmacSha256Bytes + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string(hex, 2 * kHmacSha256Bytes);
}

}  // namespace

const char* ReceiptOutcomeName(ReceiptOutcome outcome) {
  switch (outcome) {
    case ReceiptOutcome::kApplied:
      return "applied";
    case ReceiptOutcome::kLate:
      return "late";
    case ReceiptOutcome::kUnmatched:
      return "unmatched";
    case ReceiptOutcome::kDuplicate:
      return "duplicate";
  }
  return "unmatched";
}

PaymentService::PaymentService(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
                               accounts::AccountService& accounts, orders::OrderService& orders,
                               BankList banks, PaymentsOptions options)
    : db_(db),
      clock_(clock),
      sellers_(sellers),
      accounts_(accounts),
      orders_(orders),
      banks_(std::move(banks)),
      options_(options),
      refusals_(clock) {}

void PaymentService::SetGateway(const std::string& method, Gateway* gateway) { gateways_[method] = gateway; }

bool PaymentService::GatewayConfigured(std::string_view method) const {
  auto it = gateways_.find(method);
  return it != gateways_.end() && it->second != nullptr;
}

// ---------------------------------------------------------------- who sees what

Result<bool> PaymentService::IsOperatorFor(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr || !principal->Has(Role::kProvinceAdmin)) return false;
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) return seller.error().code == ErrorCode::kNotFound ? Result<bool>(false) : seller.error();
  // Only the province admin grants count: a commune officer is no operator.
  Principal admin = *principal;
  std::erase_if(admin.grants, [](const Grant& g) { return g.role != Role::kProvinceAdmin; });
  return sellers_.OfficerCovers(admin, seller->commune_code);
}

Result<bool> PaymentService::MaySeeMoney(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return false;
  if (sellers_.CanManage(principal, seller_id)) return true;
  return IsOperatorFor(principal, seller_id);
}

// ---------------------------------------------------------------- methods

Result<std::vector<std::string>> PaymentService::AcceptedMethods(std::int64_t seller_id) {
  TRY(sellers_.Get(seller_id));
  TRY_ASSIGN(db::Rows rows,
             db_.Read([&](db::Connection& c) { return c.Query(kSelectMethods, {seller_id}); }));
  std::vector<std::string> methods{std::string(kPaymentCod)};
  for (const db::Row& r : rows) {
    const std::string method = r.Text(0);
    // A gateway the operator has since switched off is no longer offered.
    if (method != kPaymentVietQr && !GatewayConfigured(method)) continue;
    methods.push_back(method);
  }
  return methods;
}

Result<std::vector<std::string>> PaymentService::SetAcceptedMethods(const Principal& principal,
                                                                    std::int64_t seller_id,
                                                                    const std::vector<std::string>& methods,
                                                                    const std::string& ip) {
  TRY_ASSIGN(sellers::Access access, sellers_.AccessFor(&principal, seller_id));
  if (access.capacity == sellers::Capacity::kNone) return Error::NotFound("shop");
  std::set<std::string> chosen;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const std::string& m = methods[i];
    const std::string field = "methods[" + std::to_string(i) + "]";
    if (m == kPaymentCod) continue;  // always taken
    if (m != kPaymentVietQr && m != kPaymentVnpay && m != kPaymentMomo) {
      errors.push_back({field, "Must be one of cod, vietqr, vnpay, momo."});
    } else if (m != kPaymentVietQr && !GatewayConfigured(m)) {
      errors.push_back({field, "The platform has not configured " + m + " yet."});
    } else {
      chosen.insert(m);
    }
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const std::int64_t now = clock_.NowMs();
  TRY(db_.Write([&](db::Connection& c) -> Status {
    if (chosen.count(std::string(kPaymentVietQr)) > 0) {
      TRY_ASSIGN(auto account, c.QueryOne(kSelectAccount, {seller_id}));
      if (!account) {
        return Error::Field("methods", "Record the shop's payout account first: VietQR transfers go to it.");
      }
    }
    TRY_ASSIGN(db::Rows before, c.Query(kSelectMethods, {seller_id}));
    nlohmann::json before_json = nlohmann::json::array();
    for (const db::Row& r : before) before_json.push_back(r.Text(0));
    TRY(c.Exec(kDeleteMethods, {seller_id}));
    for (const std::string& m : chosen) TRY(c.Exec(kInsertMethod, {seller_id, m, now, principal.user_id}));
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.on_behalf_of_user_id = access.on_behalf_of;
    audit.action = "payments.methods.set";
    audit.object_type = "seller";
    audit.object_id = std::to_string(seller_id);
    audit.before = before_json;
    audit.after = chosen;
    audit.ip = ip;
    return accounts::RecordAudit(c, audit, now);
  }));
  return AcceptedMethods(seller_id);
}

Status PaymentService::CheckAccepted(std::int64_t seller_id, std::string_view method) {
  if (method == kPaymentCod) return Ok{};
  TRY_ASSIGN(std::vector<std::string> accepted, AcceptedMethods(seller_id));
  if (std::find(accepted.begin(), accepted.end(), method) == accepted.end()) {
    return Error::Field("payment_method", "A shop in this order does not take " + std::string(method) +
                                              "; it takes " + Join(accepted, ", ") + ".");
  }
  if (method == kPaymentVietQr) {
    TRY_ASSIGN(auto account,
               db_.Read([&](db::Connection& c) { return c.QueryOne(kSelectAccount, {seller_id}); }));
    if (!account)
      return Error::Field("payment_method", "A shop in this order has no payout account for VietQR.");
  }
  return Ok{};
}

// ---------------------------------------------------------------- payout account

Result<std::optional<PayoutAccount>> PaymentService::GetPayoutAccount(const Principal* principal,
                                                                      std::int64_t seller_id) {
  TRY_ASSIGN(bool may, MaySeeMoney(principal, seller_id));
  if (!may) return Error::NotFound("shop");
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) { return c.QueryOne(kSelectAccount, {seller_id}); }));
  if (!row) return std::optional<PayoutAccount>();
  PayoutAccount a{seller_id, row->Text(0), "", row->Text(1), row->Text(2), row->Int(3)};
  if (auto bank = banks_.Find(a.bank_bin)) a.bank_name = bank->short_name;
  return std::optional<PayoutAccount>(std::move(a));
}

Result<PayoutAccount> PaymentService::SetPayoutAccount(const Principal& principal, std::int64_t seller_id,
                                                       const PayoutAccountInput& input,
                                                       const std::string& ip) {
  // Where a shop's money goes is the owner's decision alone: staff, a
  // cooperative manager or an assisting officer may not redirect it.
  TRY_ASSIGN(sellers::Access access, sellers_.AccessFor(&principal, seller_id));
  if (access.capacity == sellers::Capacity::kNone) return Error::NotFound("shop");
  if (access.capacity != sellers::Capacity::kOwner) {
    return Error::Forbidden("Only the shop's owner may set where its money goes.");
  }
  std::vector<FieldError> errors;
  const std::string bin = text::Trim(input.bank_bin);
  const std::string number = text::Trim(input.account_number);
  const std::string name = text::ToNfc(text::Trim(input.account_name));
  const auto bank = banks_.Find(bin);
  if (!bank) errors.push_back({"bank_bin", "Must be the 6-digit NAPAS BIN of a bank in the list."});
  if (!IsAccountNumber(number)) {
    errors.push_back({"account_number", "Digits only, " + std::to_string(kMinAccountDigits) + " to " +
                                            std::to_string(kMaxAccountDigits) + " of them."});
  }
  if (name.empty() || text::CodePointCount(name) > kMaxAccountNameChars ||
      std::any_of(name.begin(), name.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
    errors.push_back({"account_name", "The account holder's name, 1 to " +
                                          std::to_string(kMaxAccountNameChars) + " characters."});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  TRY(accounts_.ConfirmPassword(principal, input.password, "password"));
  const std::int64_t now = clock_.NowMs();
  TRY(db_.DurableWrite([&](db::Connection& c) -> Status {
    TRY_ASSIGN(auto before, c.QueryOne(kSelectAccount, {seller_id}));
    TRY(c.Exec(kUpsertAccount, {seller_id, bin, number, name, now, principal.user_id}));
    accounts::AuditEntry audit;
    audit.actor_user_id = principal.user_id;
    audit.action = before ? "payments.payout_account.change" : "payments.payout_account.set";
    audit.object_type = "seller";
    audit.object_id = std::to_string(seller_id);
    if (before) {
      audit.before = {{"bank_bin", before->Text(0)},
                      {"account_number", before->Text(1)},
                      {"account_name", before->Text(2)}};
    }
    audit.after = {{"bank_bin", bin}, {"account_number", number}, {"account_name", name}};
    audit.ip = ip;
    return accounts::RecordAudit(c, audit, now);
  }));
  return PayoutAccount{seller_id, bin, bank->short_name, number, name, now};
}

// ---------------------------------------------------------------- the payment object

Status PaymentService::OpenWith(db::Connection& c, const orders::PlacedPayment& placed) {
  db::Value bin, number, name;
  if (placed.method == kPaymentVietQr) {
    TRY_ASSIGN(auto account, c.QueryOne(kSelectAccount, {placed.seller_id}));
    // CheckAccepted saw one moments ago; a shop that removed it since loses the race.
    if (!account)
      return Error::Field("payment_method", "A shop in this order has no payout account for VietQR.");
    bin = account->Text(0);
    number = account->Text(1);
    name = account->Text(2);
  }
  const db::Value expires =
      IsOnline(placed.method) ? db::Value{placed.at + options_.payment_timeout_ms} : db::Value{};
  TRY(c.Exec(kInsertPayment, {placed.order_id, placed.order_code, placed.seller_id, placed.buyer_id,
                              placed.method, placed.amount_vnd, ReferenceFor(placed.order_code), bin, number,
                              name, expires, placed.at, placed.at}));
  return Ok{};
}

Result<std::optional<PaymentService::Row>> PaymentService::Load(db::Connection& c, std::int64_t order_id) {
  TRY_ASSIGN(auto r, c.QueryOne("SELECT " + std::string(kPaymentColumns) +
                                    " FROM payments_payments WHERE order_id = ?",
                                {order_id}));
  if (!r) return std::optional<Row>();
  Row row;
  row.order_id = r->Int(0);
  row.order_code = r->Text(1);
  row.seller_id = r->Int(2);
  row.buyer_id = r->Int(3);
  row.method = r->Text(4);
  row.status = r->Text(5);
  row.amount_vnd = r->Int(6);
  row.paid_vnd = r->Int(7);
  row.reference = r->Text(8);
  row.bank_bin = r->Text(9);
  row.account_number = r->Text(10);
  row.account_name = r->Text(11);
  row.expires_at = r->OptInt(12);
  row.paid_at = r->OptInt(13);
  row.created_at = r->Int(14);
  row.updated_at = r->Int(15);
  row.refunded_vnd = r->Int(16);
  return std::optional<Row>(std::move(row));
}

Status PaymentService::OrderClosedWith(db::Connection& c, std::int64_t order_id, std::int64_t at) {
  TRY_ASSIGN(auto row, Load(c, order_id));
  if (!row) return Ok{};
  std::string next;
  if (row->status == "pending")
    next = "cancelled";
  else if (row->status == "partially_paid" || row->status == "paid" || row->status == "overpaid")
    next = "refund_due";
  else
    return Ok{};
  TRY(c.Exec(kSetStatus,
             {next, row->paid_at ? db::Value{*row->paid_at} : db::Value{}, db::Value{}, at, order_id}));
  // A part payment was never the shop's sale: it is held for the buyer.
  if (row->status == "partially_paid")
    TRY(PostHeld(c, row->seller_id, order_id, row->method, row->paid_vnd, at));
  return Ok{};
}

Result<PaymentService::Row> PaymentService::Visible(const Principal* principal, std::int64_t order_id) {
  TRY_ASSIGN(auto row, db_.Read([&](db::Connection& c) { return Load(c, order_id); }));
  if (!row || principal == nullptr) return Error::NotFound("payment");
  if (principal->user_id == row->buyer_id) return std::move(*row);
  TRY_ASSIGN(bool may, MaySeeMoney(principal, row->seller_id));
  if (!may) return Error::NotFound("payment");
  return std::move(*row);
}

nlohmann::json PaymentService::View(const Row& row) {
  auto time_or_null = [](const std::optional<std::int64_t>& t) {
    return t ? nlohmann::json(timefmt::Rfc3339(*t)) : nlohmann::json(nullptr);
  };
  nlohmann::json out = {{"order_id", row.order_id},
                        {"order_code", row.order_code},
                        {"method", row.method},
                        {"status", row.status},
                        {"amount_vnd", row.amount_vnd},
                        {"paid_vnd", row.paid_vnd},
                        {"refunded_vnd", row.refunded_vnd},
                        {"reference", row.reference},
                        {"expires_at", time_or_null(row.expires_at)},
                        {"paid_at", time_or_null(row.paid_at)},
                        {"vietqr", nullptr},
                        {"pay_url", nullptr}};
  if (row.method == kPaymentVietQr) {
    const auto bank = banks_.Find(row.bank_bin);
    out["vietqr"] = {
        {"payload", VietQrPayload({row.bank_bin, row.account_number, row.amount_vnd, row.reference})},
        {"bank_bin", row.bank_bin},
        {"bank_name", bank ? bank->short_name : std::string()},
        {"account_number", row.account_number},
        {"account_name", row.account_name},
        {"reference", row.reference}};
  }
  auto gateway = gateways_.find(row.method);
  if (gateway != gateways_.end() && gateway->second != nullptr && row.status == "pending") {
    auto url = gateway->second->PayUrl({row.order_id, row.order_code, row.reference, row.amount_vnd,
                                        row.created_at, row.expires_at.value_or(0)});
    if (url.ok())
      out["pay_url"] = *url;
    else
      spdlog::error("payments: {} pay_url for order {}: {}", row.method, row.order_id, url.error().detail);
  }
  return out;
}

Result<nlohmann::json> PaymentService::Get(const Principal* principal, std::int64_t order_id) {
  TRY_ASSIGN(Row row, Visible(principal, order_id));
  nlohmann::json out = View(row);
  TRY_ASSIGN(out["refunds"], db_.Read([&](db::Connection& c) { return RefundsOf(c, order_id); }));
  return out;
}

Result<std::string> PaymentService::VietQrPayloadOf(const Principal* principal, std::int64_t order_id) {
  TRY_ASSIGN(Row row, Visible(principal, order_id));
  if (row.method != kPaymentVietQr) return Error::NotFound("VietQR code");
  return VietQrPayload({row.bank_bin, row.account_number, row.amount_vnd, row.reference});
}

// ---------------------------------------------------------------- money arriving

Status PaymentService::AuditRefusal(const std::string& action, const std::string& detail,
                                    const std::string& ip) {
  return db_.Write([&](db::Connection& c) -> Status {
    accounts::AuditEntry audit;
    audit.action = action;
    audit.object_type = "payment_notification";
    audit.after = {{"refused", detail}};
    audit.ip = ip;
    return accounts::RecordAudit(c, audit, clock_.NowMs());
  });
}

Result<Receipt> PaymentService::ReceiveBankNotification(std::string_view raw_body, std::string_view signature,
                                                        const std::string& secret, const std::string& ip) {
  if (secret.empty()) return Error::Unavailable("Bank notifications are not configured on this platform.");
  const std::string expected = HmacSha256Hex(secret, raw_body);
  std::string presented = text::Trim(signature);
  std::transform(presented.begin(), presented.end(), presented.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (presented.size() != expected.size() || !ids::SecureEquals(presented, expected)) {
    if (const int wait = refusals_.Take("bank", ip); wait > 0) return Error::RateLimited(wait);
    TRY(AuditRefusal("payments.bank_notification.forged", "X-Signature does not match the body", ip));
    Error e = Error::Unauthorized("X-Signature is not the HMAC-SHA256 of this body under the shared secret.");
    e.type = "bad_signature";
    return e;
  }
  auto money = ParseBankNotification(raw_body);
  if (!money.ok()) {
    TRY(AuditRefusal("payments.bank_notification.invalid", money.error().detail, ip));
    return std::move(money).error();
  }
  return ApplyTransfer(*money);
}

Result<Receipt> PaymentService::RecordOnce(
    const IncomingMoney& money,
    const std::function<Result<std::pair<std::int64_t, std::int64_t>>(db::Connection&)>& match) {
  auto recorded = db_.DurableWrite([&](db::Connection& c) -> Result<Receipt> {
    TRY_ASSIGN(auto earlier, c.QueryOne(kSelectReceipt, {money.source, money.external_id}));
    if (earlier) return Receipt{ReceiptOutcome::kDuplicate, earlier->Int(1), ""};
    TRY_ASSIGN(auto matched, match(c));
    return RecordWith(c, money, matched.first, matched.second);
  });
  if (recorded.ok() || !db::IsUniqueViolation(recorded.error())) return recorded;
  // The same notification raced in on another connection and won.
  TRY_ASSIGN(auto winner, db_.Read([&](db::Connection& c) {
    return c.QueryOne(kSelectReceipt, {money.source, money.external_id});
  }));
  if (!winner) return recorded;
  return Receipt{ReceiptOutcome::kDuplicate, winner->Int(1), ""};
}

Result<std::pair<std::int64_t, std::int64_t>> PaymentService::MatchTransfer(db::Connection& c,
                                                                            const IncomingMoney& money) {
  std::set<std::int64_t> orders;
  std::int64_t seller = 0;
  for (const std::string& reference : FindReferences(money.description)) {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT order_id, seller_id FROM payments_payments WHERE reference = ? AND "
                          "method = 'vietqr' AND account_number = ?",
                          {reference, money.account_number}));
    if (!row) continue;
    orders.insert(row->Int(0));
    seller = row->Int(1);
  }
  // Two orders named in one transfer: a person decides, not a guess.
  if (orders.size() == 1) return std::make_pair(*orders.begin(), seller);
  TRY_ASSIGN(db::Rows shops, c.Query(kShopsOfAccount, {money.account_number}));
  return std::make_pair(std::int64_t{0}, shops.size() == 1 ? shops[0].Int(0) : std::int64_t{0});
}

Result<Receipt> PaymentService::ApplyTransfer(const IncomingMoney& money) {
  return RecordOnce(money, [&](db::Connection& c) { return MatchTransfer(c, money); });
}

Result<Receipt> PaymentService::ApplyGatewayPayment(const std::string& method, const std::string& reference,
                                                    std::int64_t amount_vnd,
                                                    const std::string& gateway_txn_id, std::int64_t paid_at) {
  if (method != kPaymentVnpay && method != kPaymentMomo)
    return Error::Field("method", "Must be vnpay or momo.");
  if (amount_vnd <= 0 || amount_vnd > money::kMaxVnd) return Error::Field("amount_vnd", "Must be above 0.");
  if (gateway_txn_id.empty() || gateway_txn_id.size() > kMaxNotificationIdBytes) {
    return Error::Field("gateway_txn_id", "Required.");
  }
  IncomingMoney money{method, gateway_txn_id, "ipn", "", amount_vnd, reference, paid_at};
  return RecordOnce(money, [&](db::Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
    TRY_ASSIGN(auto row,
               c.QueryOne("SELECT order_id, seller_id FROM payments_payments WHERE reference = ? AND "
                          "method = ?",
                          {reference, method}));
    if (!row) return Error::NotFound("order");
    return std::make_pair(row->Int(0), row->Int(1));
  });
}

Result<Receipt> PaymentService::RecordWith(db::Connection& c, const IncomingMoney& money,
                                           std::int64_t order_id, std::int64_t seller_id,
                                           std::int64_t unmatched_receipt_id) {
  const std::int64_t now = clock_.NowMs();
  const db::Value seller = seller_id > 0 ? db::Value{seller_id} : db::Value{};
  if (order_id == 0) {
    TRY(c.Exec(kInsertReceipt, {money.source, money.external_id, money.channel, money.account_number,
                                money.amount_vnd, money.description, money.transferred_at, seller,
                                db::Value{}, std::string("unmatched"), now}));
    return Receipt{ReceiptOutcome::kUnmatched, 0, ""};
  }
  // The row is locked by this update before it is read, so two receipts for
  // one payment on PostgreSQL add up instead of overwriting each other.
  TRY(c.Exec(kAddPaid, {money.amount_vnd, now, order_id}));
  TRY_ASSIGN(auto row, Load(c, order_id));
  if (!row) return Error::Internal("payment vanished while money was applied");
  std::string next = row->status;
  bool newly_paid = false;
  const bool open = row->status == "pending" || row->status == "partially_paid";
  const bool settled = row->status == "paid" || row->status == "overpaid";
  if (open || settled) {
    if (row->paid_vnd < row->amount_vnd)
      next = "partially_paid";
    else if (row->paid_vnd == row->amount_vnd)
      next = "paid";
    else
      next = "overpaid";
    newly_paid = open && row->paid_vnd >= row->amount_vnd;
  } else {
    // expired, cancelled, refund_due, refunded: the order is gone or being
    // refunded; the money is flagged for a refund, never applied to it.
    next = "refund_due";
  }
  const ReceiptOutcome outcome = (open || settled) ? ReceiptOutcome::kApplied : ReceiptOutcome::kLate;
  const std::string outcome_name = outcome == ReceiptOutcome::kApplied ? "applied" : "late";
  if (unmatched_receipt_id > 0) {
    // Given to its order by hand: the receipt recorded as unmatched is this money.
    TRY_ASSIGN(std::int64_t taken,
               c.Exec("UPDATE payments_receipts SET order_id = ?, seller_id = ?, outcome = ? "
                      "WHERE id = ? AND outcome = 'unmatched'",
                      {order_id, row->seller_id, outcome_name, unmatched_receipt_id}));
    if (taken != 1)
      return Error::Conflict("already_assigned", "This transfer was given to an order already.");
  } else {
    TRY(c.Exec(kInsertReceipt,
               {money.source, money.external_id, money.channel, money.account_number, money.amount_vnd,
                money.description, money.transferred_at, row->seller_id, order_id, outcome_name, now}));
  }
  const std::optional<std::int64_t> paid_at = newly_paid ? std::optional<std::int64_t>(now) : row->paid_at;
  const bool still_due = next == "pending" || next == "partially_paid";
  TRY(c.Exec(kSetStatus,
             {next, paid_at ? db::Value{*paid_at} : db::Value{},
              still_due && row->expires_at ? db::Value{*row->expires_at} : db::Value{}, now, order_id}));
  if (newly_paid) {
    TRY(orders_.MarkPaidWith(c, order_id, now));
    TRY(PostOrderPaid(c, row->seller_id, order_id, row->method, row->amount_vnd, options_.commission_percent,
                      now));
  }
  // What is not the order's sale is held for the buyer: all of late money,
  // and of applied money whatever goes beyond the amount.
  const std::int64_t before = row->paid_vnd - money.amount_vnd;
  const std::int64_t held =
      outcome == ReceiptOutcome::kLate ? money.amount_vnd : row->paid_vnd - std::max(row->amount_vnd, before);
  if (held > 0) TRY(PostHeld(c, row->seller_id, order_id, row->method, held, now));
  return Receipt{outcome, order_id, next};
}

Result<std::vector<nlohmann::json>> PaymentService::Unmatched(const Principal* principal,
                                                              std::int64_t seller_id) {
  std::string where = "outcome = 'unmatched'";
  db::Params params;
  if (seller_id > 0) {
    TRY_ASSIGN(bool may, MaySeeMoney(principal, seller_id));
    if (!may) return Error::NotFound("shop");
    where += " AND seller_id = ?";
    params.push_back(seller_id);
  } else if (principal == nullptr || !principal->Has(Role::kProvinceAdmin)) {
    return Error::Forbidden("Only the platform's operator sees every unmatched transfer.");
  }
  params.push_back(std::int64_t{kMaxUnmatchedListed});
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    return c.Query(
        "SELECT id, source, external_id, channel, account_number, amount_vnd, description, "
        "transferred_at, seller_id, received_at FROM payments_receipts WHERE " +
            where + " ORDER BY id DESC LIMIT ?",
        params);
  }));
  std::vector<nlohmann::json> out;
  for (const db::Row& r : rows) {
    out.push_back({{"id", r.Int(0)},
                   {"source", r.Text(1)},
                   {"external_id", r.Text(2)},
                   {"channel", r.Text(3)},
                   {"account_number", r.Text(4)},
                   {"amount_vnd", r.Int(5)},
                   {"description", r.Text(6)},
                   {"transferred_at", timefmt::Rfc3339(r.Int(7))},
                   {"seller_id", r.IsNull(8) ? nlohmann::json(nullptr) : nlohmann::json(r.Int(8))},
                   {"received_at", timefmt::Rfc3339(r.Int(9))}});
  }
  return out;
}

// ---------------------------------------------------------------- deadline

Result<int> PaymentService::ExpireOverdue() {
  const std::int64_t now = clock_.NowMs();
  TRY_ASSIGN(db::Rows due, db_.Read([&](db::Connection& c) {
    return c.Query(kOverdue, {now, std::int64_t{kExpireBatch}});
  }));
  int cancelled = 0;
  for (const db::Row& d : due) {
    const std::int64_t order_id = d.Int(0);
    TRY_ASSIGN(bool done, db_.Write([&](db::Connection& c) -> Result<bool> {
      TRY_ASSIGN(auto row, Load(c, order_id));
      // Money may have arrived since the list was read.
      if (!row || (row->status != "pending" && row->status != "partially_paid")) return false;
      TRY_ASSIGN(bool cancelled_now, orders_.CancelUnpaidWith(c, order_id, kExpiredReason, now));
      // An order the shop already packed or shipped is left to the shop: the
      // deadline no longer applies to it.
      const std::string next = !cancelled_now ? row->status : row->paid_vnd > 0 ? "refund_due" : "expired";
      TRY(c.Exec(kSetStatus, {next, db::Value{}, db::Value{}, now, order_id}));
      if (next == "refund_due") TRY(PostHeld(c, row->seller_id, order_id, row->method, row->paid_vnd, now));
      return cancelled_now;
    }));
    if (done) ++cancelled;
  }
  return cancelled;
}

// ---------------------------------------------------------------- ledger

Result<nlohmann::json> PaymentService::Ledger(const Principal* principal, std::int64_t seller_id) {
  TRY_ASSIGN(bool may, MaySeeMoney(principal, seller_id));
  if (!may) return Error::NotFound("shop");
  TRY_ASSIGN(std::vector<LedgerEntry> entries,
             db_.Read([&](db::Connection& c) { return ShopLedger(c, seller_id); }));
  TRY_ASSIGN(std::int64_t payable, db_.Read([&](db::Connection& c) { return RefundsPayable(c, seller_id); }));
  nlohmann::json items = nlohmann::json::array();
  std::int64_t balance = 0;
  for (const LedgerEntry& e : entries) {
    items.push_back({{"txn_id", e.txn_id},
                     {"kind", e.kind},
                     {"order_id", e.order_id > 0 ? nlohmann::json(e.order_id) : nlohmann::json(nullptr)},
                     {"payout_id", e.payout_id > 0 ? nlohmann::json(e.payout_id) : nlohmann::json(nullptr)},
                     {"memo", e.memo},
                     {"amount_vnd", e.amount_vnd},
                     {"balance_vnd", e.balance_vnd},
                     {"at", timefmt::Rfc3339(e.at)}});
    balance = e.balance_vnd;
  }
  return nlohmann::json{{"seller_id", seller_id},
                        {"balance_vnd", balance},
                        {"commission_percent", options_.commission_percent},
                        {"refunds_payable_vnd", payable},
                        {"entries", std::move(items)}};
}

}  // namespace nongsan::payments
