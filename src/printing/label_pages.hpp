// The seller centre's "In nhãn" page, made for a phone at the packing table:
//   GET /kenh-ban/san-pham/{id}/in-nhan   choose the lot, size, sheet and
//                                         copies; submitting the form (GET,
//                                         nothing changes) answers the PDF,
//                                         or the form again with a Vietnamese
//                                         message beside each bad field and
//                                         the label fields still missing
// Rendered with web::Renderer's layout; LabelService decides who may print.
#pragma once

#include "http/router.hpp"

namespace nongsan::web {
class Renderer;
}

namespace nongsan::printing {

struct PrintingModule;

void AddLabelPages(http::Router& router, const web::Renderer& renderer, PrintingModule& module);

}  // namespace nongsan::printing
