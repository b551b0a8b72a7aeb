// Test support for the payments suites: the independent checkers of VietQR
// payloads (npm vietnam-qr-pay through node; Python's binascii.crc_hqx for
// the CRC), the signature a notification service puts on a body (openssl,
// not our HMAC), and the ledger's books checked after every test.
// Test-only.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/source_dir.hpp"
#include "payments/ledger.hpp"

namespace nongsan::payments::testing {

// Everything a shell command printed on stdout.
inline std::string CommandOutput(const std::string& cmd) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(cmd.c_str(), "r"), &pclose);
  if (!pipe) return "";
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe.get()) != nullptr) out += buf;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Single-quoted for the shell (payloads and bodies hold no single quote in
// these tests; one is refused rather than escaped wrongly).
inline std::string Quoted(const std::string& s) {
  EXPECT_EQ(s.find('\''), std::string::npos) << "quote in a shell argument";
  return "'" + s + "'";
}

// What npm vietnam-qr-pay reads from a payload:
// {isValid, initMethod, bankBin, bankNumber, amount, purpose, crc}.
inline nlohmann::json DecodeVietQr(const std::string& payload) {
  const std::string script = std::string(core::SourceDir()) + "/tests/support/vietqr_decode.cjs";
  const std::string out = CommandOutput("node " + Quoted(script) + " " + Quoted(payload) + " 2>&1");
  auto parsed = nlohmann::json::parse(out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "vietnam-qr-pay (run `npm ci` in tests/e2e): " << out;
  return parsed;
}

// The CRC Python's binascii.crc_hqx computes over everything before the last
// four characters, as 4 upper-case hex digits.
inline std::string PythonCrc(const std::string& payload) {
  return CommandOutput(
      "/usr/bin/python3 -c \"import binascii,sys; p=sys.argv[1]; "
      "print('%04X' % binascii.crc_hqx(p[:-4].encode(), 0xFFFF))\" " +
      Quoted(payload));
}

// Hex HMAC-SHA256 of `body` under `key`, by openssl.
inline std::string OpensslHmacSha256(const std::string& key, const std::string& body) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path file = fs::temp_directory_path() / ("nongsan-pay-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(++counter) + ".json");
  std::ofstream(file, std::ios::binary) << body;
  const std::string out =
      CommandOutput("openssl dgst -sha256 -hmac " + Quoted(key) + " -r " + Quoted(file.string()));
  fs::remove(file);
  return out.substr(0, out.find(' '));
}

// The rows of an XLSX workbook's first sheet as Debian's python3-openpyxl
// reads them (a JSON array of arrays).
inline nlohmann::json XlsxRows(const std::string& bytes) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path file = fs::temp_directory_path() / ("nongsan-ledger-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(++counter) + ".xlsx");
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string out = CommandOutput(
      "/usr/bin/python3 -c \"import json,sys,openpyxl; ws=openpyxl.load_workbook(sys.argv[1]).worksheets[0]; "
      "print(json.dumps([list(r) for r in ws.iter_rows(values_only=True)], default=str))\" " +
      Quoted(file.string()) + " 2>&1");
  fs::remove(file);
  auto parsed = nlohmann::json::parse(out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "openpyxl: " << out;
  return parsed;
}

// The ledger's books hold: every transaction balances, every paid payment is
// posted once, nothing unpaid is posted, VietQR clearing is closed.
inline void ExpectLedgerHolds(db::Database& db) {
  auto check = db.Read([](db::Connection& c) { return CheckLedger(c); });
  ASSERT_TRUE(check.ok()) << check.error().detail;
  EXPECT_TRUE(check->Holds()) << check->txns << " transactions: " << check->unbalanced_txns << " unbalanced, "
                              << check->orders_mismatched << " paid orders posted wrongly, "
                              << check->shops_uncleared << " shops with VietQR clearing open, "
                              << check->money_mismatched << " payments whose money received or refunded "
                              << "does not add up";
}

}  // namespace nongsan::payments::testing
