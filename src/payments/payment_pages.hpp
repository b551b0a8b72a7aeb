// The buyer's payment page after a VietQR checkout, made for a phone:
//   GET /thanh-toan/{id}   the order's QR code, the amount, the reference to
//                          type, the bank account and the deadline (minutes
//                          left computed on the server, so it works without
//                          JavaScript; the button reloads to see the money
//                          arrive)
// Rendered with web::Renderer's layout; PaymentService decides who may see it
// (404 for anyone but the buyer, the shop and the operator).
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::payments {

struct PaymentsModule;

void AddPaymentPages(http::Router& router, const web::Renderer& renderer, PaymentsModule& module);

}  // namespace nongsan::payments
