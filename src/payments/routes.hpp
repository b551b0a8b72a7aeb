// The payments module's JSON API under /api/v1: what a shop accepts, its
// payout account, an order's payment and its VietQR code, bank-transfer
// notifications, unmatched transfers and the shops' ledger. Handlers only
// parse, call PaymentService and shape JSON or images.
#pragma once

#include <cstddef>

#include "http/router.hpp"
#include "payments/payments_module.hpp"

namespace nongsan::payments {

// JSON bodies of settings and notifications.
inline constexpr std::size_t kSmallMaxBody = 16 * 1024;
// A payout batch of kMaxPayoutItems shops.
inline constexpr std::size_t kPayoutMaxBody = 64 * 1024;
// A carrier's COD remittance statement: kMaxRemittanceLines lines of ~60 bytes.
inline constexpr std::size_t kRemittanceMaxBody = 8 * 1024 * 1024;

void AddRoutes(http::Router& router, PaymentsModule& module);

}  // namespace nongsan::payments
