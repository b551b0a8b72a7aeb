#include "printing/routes.hpp"

#include <charconv>

#include "accounts/auth.hpp"

namespace nongsan::printing {
namespace {

using http::Request;
using http::Response;

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

// A whole number query parameter; kInvalid naming it when malformed.
Result<std::optional<std::int64_t>> IntParam(const Request& req, std::string_view name) {
  const auto text = req.Query(name);
  if (!text) return std::optional<std::int64_t>{};
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    return Error::Field(std::string(name), "must be a whole number");
  }
  return std::optional<std::int64_t>{v};
}

Result<LabelRequest> ReadLabelRequest(const Request& req) {
  LabelRequest r;
  TRY_ASSIGN(r.product_id, accounts::IdParam(req, "id", "product"));
  TRY_ASSIGN(r.lot_id, IntParam(req, "lot"));
  if (auto size = req.Query("size")) {
    if (!FindLabelSize(*size)) return Error::Field("size", "must be 50x30, 70x50 or 100x70");
    r.size = *size;
  }
  if (auto sheet = req.Query("sheet")) {
    auto parsed = ParseSheet(*sheet);
    if (!parsed) return Error::Field("sheet", "must be single or a4");
    r.sheet = *parsed;
  }
  TRY_ASSIGN(auto copies, IntParam(req, "copies"));
  if (copies) {
    if (*copies < 1 || *copies > kMaxCopies) {
      return Error::Field("copies", "must be from 1 to " + std::to_string(kMaxCopies));
    }
    r.copies = static_cast<int>(*copies);
  }
  return r;
}

// Counts a render in flight for its lifetime.
class RenderSlot {
 public:
  explicit RenderSlot(std::atomic<int>& counter)
      : counter_(counter), held_(++counter_ <= kMaxConcurrentRenders) {}
  ~RenderSlot() { --counter_; }
  bool held() const { return held_; }

 private:
  std::atomic<int>& counter_;
  bool held_;
};

Response Pdf(std::string bytes, const std::string& filename) {
  Response res = Response::Text(200, std::move(bytes), "application/pdf");
  res.SetHeader("Content-Disposition", "inline; filename=\"" + filename + "\"");
  // Labels carry a lot's dates and today's certificates: never cached.
  res.SetHeader("Cache-Control", "private, no-store");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  return res;
}

}  // namespace

void AddRoutes(http::Router& router, PrintingModule& m) {
  router.Get("/api/v1/products/{id}/label.pdf",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(LabelRequest request, ReadLabelRequest(req));
                 RenderSlot slot(m.rendering);
                 if (!slot.held()) return Error::RateLimited(1);
                 TRY_ASSIGN(std::string pdf, m.labels.LabelPdf(PrincipalOf(req), request));
                 return Pdf(std::move(pdf),
                            "nhan-" + std::to_string(request.product_id) + "-" + request.size + ".pdf");
               });
             },
             {.max_body = 0});

  router.Get("/api/v1/sellers/{id}/catalogue.pdf",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t seller_id, accounts::IdParam(req, "id", "shop"));
                 CatalogueLang lang = CatalogueLang::kVi;
                 if (auto text = req.Query("lang")) {
                   auto parsed = ParseCatalogueLang(*text);
                   if (!parsed) return Error::Field("lang", "must be vi or en");
                   lang = *parsed;
                 }
                 RenderSlot slot(m.rendering);
                 if (!slot.held()) return Error::RateLimited(1);
                 TRY_ASSIGN(std::string pdf, m.catalogues.CataloguePdf(PrincipalOf(req), seller_id, lang));
                 return Pdf(std::move(pdf), "catalogue-" + std::to_string(seller_id) + ".pdf");
               });
             },
             {.max_body = 0});
}

}  // namespace nongsan::printing
