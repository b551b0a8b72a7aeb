// Printing a product's labels: who may print them, which lot they carry,
// what the decree makes mandatory, and what each label says.
//
// Rules kept here:
//  * the shop's managers (owner, staff, its cooperative, an officer acting
//    for it) and the officials covering the shop's commune may print; anyone
//    else gets kNotFound, anonymous kUnauthorized. A label is public data,
//    but drawing PDFs costs CPU: printing is for the people who pack;
//  * a lot must be a lot of the product (422 on "lot" otherwise, the same
//    answer whether the lot is another product's or does not exist);
//  * a label that lacks a field the category's rule makes mandatory
//    (catalog::MissingLabelFields) is a 422 listing each missing field;
//  * production date and expiry come from the lot; without a lot the label
//    prints the shelf life; the OCOP stars print while a verified OCOP
//    certificate is valid today; the QR carries the lot's URI from trace.
//
// Thread-safety: stateless over the ports; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "printing/label_pdf.hpp"
#include "printing/ports.hpp"

namespace nongsan::printing {

inline constexpr const char* kDefaultLabelSize = "50x30";

struct LabelRequest {
  std::int64_t product_id = 0;
  std::optional<std::int64_t> lot_id;
  std::string size = kDefaultLabelSize;
  Sheet sheet = Sheet::kSingle;
  // Default: one label, or one full sheet on A4.
  std::optional<int> copies;
};

class LabelService {
 public:
  LabelService(const Clock& clock, ShopPort& shops, ProductPort& products, LotPort& lots,
               CertificatePort& certificates)
      : clock_(clock), shops_(shops), products_(products), lots_(lots), certificates_(certificates) {}

  // The product when the principal may print its labels (the rules above).
  Result<ProductInfo> Printable(const Principal* principal, std::int64_t product_id);
  LotPort& lots() { return lots_; }

  // The labels as a PDF.
  Result<std::string> LabelPdf(const Principal* principal, const LabelRequest& request);
  // What the label would say (the checks of LabelPdf without drawing).
  Result<LabelContent> Content(const Principal* principal, const LabelRequest& request);

 private:
  const Clock& clock_;
  ShopPort& shops_;
  ProductPort& products_;
  LotPort& lots_;
  CertificatePort& certificates_;
};

}  // namespace nongsan::printing
