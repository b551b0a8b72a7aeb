// What banks and carriers send the payments module, read without a database
// so that tests and the fuzzer reach it (tests/fuzz: bank_notification,
// bank_statement, cod_remittance): a transfer notification's JSON body and a
// statement's CSV lines, each as the IncomingMoney PaymentService then
// applies (ReceiveBankNotification, after the signature check, and
// ImportStatement), and a carrier's COD remittance (ImportCodRemittance).
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace nongsan::payments {

// One sum of money that arrived, as a notification or a statement line says.
struct IncomingMoney {
  std::string source;       // bank | vnpay | momo
  std::string external_id;  // unique per source
  std::string channel;      // webhook | statement | ipn
  std::string account_number;
  std::int64_t amount_vnd = 0;
  std::string description;
  std::int64_t transferred_at = 0;
};

// Longest transaction id of a bank notification (and of a gateway's).
inline constexpr std::size_t kMaxNotificationIdBytes = 128;
// Longest transaction id of a statement line.
inline constexpr std::size_t kMaxStatementIdBytes = 128;
// Most lines one statement may hold (a busy shop's year).
inline constexpr std::size_t kMaxStatementLines = 200'000;

// A bank notification's body {id, account_number, amount_vnd, description,
// transferred_at}: the money it reports (source bank, channel webhook), or a
// kInvalid error naming every bad member.
Result<IncomingMoney> ParseBankNotification(std::string_view raw_body);

// A statement of `account_number` as CSV with a header naming at least id,
// amount_vnd, description and transferred_at: every line's money (source
// bank, channel statement), or a "statement_invalid" error naming each
// broken line (BankCsvReader) when any line is broken.
Result<std::vector<IncomingMoney>> ParseBankStatement(const std::string& account_number,
                                                      std::string_view csv);

// Most lines one carrier's COD remittance statement may hold.
inline constexpr std::size_t kMaxRemittanceLines = 100'000;

// One parcel's cash as a carrier's remittance lists it.
struct RemittanceInput {
  std::size_t line = 0;  // in the file, the header being line 1
  std::string tracking_code;
  std::int64_t amount_vnd = 0;
  std::int64_t remitted_at = 0;  // ms since the epoch
};

// A remittance as CSV with a header naming at least tracking_code,
// amount_vnd and remitted_at: every line, or a "remittance_invalid" error
// naming each broken line (BankCsvReader) when any line is broken — a
// tracking code outside orders' rules, an amount that is not whole đồng
// above 0, a date that is none of 29/11/2026, 2026-11-29 or an RFC 3339
// time, or a parcel listed twice.
Result<std::vector<RemittanceInput>> ParseCodRemittance(std::string_view csv);

}  // namespace nongsan::payments
