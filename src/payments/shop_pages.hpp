// The seller centre's payments page, for a shop's managers on a phone:
//   GET  /kenh-ban/cua-hang/{id}/thanh-toan              balance, payout
//        account, accepted methods, statement upload, unmatched money; for a
//        cooperative, its members' shares over ?tu=&den= (each name linking
//        to the member's own page for those who manage it)
//   POST /kenh-ban/cua-hang/{id}/thanh-toan/tai-khoan    the payout account
//        (the owner, with their password; CSRF by the hook)
//   POST /kenh-ban/cua-hang/{id}/thanh-toan/phuong-thuc  accepted methods
//   POST /kenh-ban/cua-hang/{id}/thanh-toan/sao-ke       a statement CSV
//        (multipart; its csrf_token checked here, as the hook cannot read it)
// and the operator's (a province admin's) page:
//   GET  /can-bo/thanh-toan                              unmatched transfers,
//        the COD remittance upload
//   POST /can-bo/thanh-toan/chuyen-khoan/{id}/gan-don    give a transfer to an
//        order by hand (audited)
//   POST /can-bo/thanh-toan/thu-ho                       a carrier's remittance
//        CSV (multipart; its csrf_token checked here)
// A refusal re-shows the page with a Vietnamese message beside the field;
// PaymentService decides who may.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::payments {

struct PaymentsModule;

// A statement of a busy month, as a phone uploads it.
inline constexpr std::size_t kStatementFormMaxBody = 8 * 1024 * 1024;

void AddShopPaymentPages(http::Router& router, const web::Renderer& renderer, PaymentsModule& module);

}  // namespace nongsan::payments
