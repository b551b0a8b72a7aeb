// The officials' page of what buyers reported (/can-bo/bao-cao): reviews
// reported as untrue or abusive, kept or hidden with a reason, and open
// complaints about shops of the officer's area, upheld or dismissed with a
// note. The quality services check the officer's area and keep the record;
// the page says what was done, and a decision without its reason comes back
// with the message by the field.
#include "quality/quality_module.hpp"
#include "sellers/seller_service.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/quality_views.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kReportsPath = "/can-bo/bao-cao";
// Reported reviews and open complaints shown at once, oldest first.
constexpr std::size_t kReportsShown = 50;

const Principal* Who(const http::Request& request) {
  return request.principal ? &*request.principal : nullptr;
}

class ReportPages {
 public:
  ReportPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer), quality_(*services.quality), sellers_(*services.sellers) {}

  // `failed` re-shows one decision form ("review-<id>" or "complaint-<id>") with its error.
  http::Response Page(const http::Request& request, const Form* failed = nullptr,
                      const std::string& failed_key = "") {
    if (!request.principal) return renderer_.SignInRedirect(request);
    if (!request.principal->Has(Role::kCommuneOfficer) && !request.principal->Has(Role::kProvinceAdmin)) {
      return renderer_.ErrorPage(request, Error::Forbidden());
    }
    const Lang lang = renderer_.LangOf(request);
    auto form_for = [&](const std::string& key) {
      Form empty;
      return (failed && key == failed_key ? *failed : empty).View(renderer_.translations(), lang);
    };
    auto reviews = quality_.reviews.Reported(Who(request), kReportsShown);
    if (!reviews.ok()) return renderer_.ErrorPage(request, reviews.error());
    nlohmann::json review_items = nlohmann::json::array();
    for (const auto& review : *reviews) {
      nlohmann::json item = ReviewView(review, renderer_.translations(), lang);
      item["reports"] = review.report_count;
      item["shop"] = ShopName(review.seller_id);
      item["form"] = form_for("review-" + std::to_string(review.id));
      review_items.push_back(std::move(item));
    }
    quality::ComplaintQuery query;
    query.status = quality::ComplaintStatus::kOpen;
    query.limit = kReportsShown;
    auto complaints = quality_.complaints.List(Who(request), query);
    if (!complaints.ok()) return renderer_.ErrorPage(request, complaints.error());
    nlohmann::json complaint_items = nlohmann::json::array();
    for (const auto& complaint : *complaints) {
      complaint_items.push_back(
          {{"id", complaint.id},
           {"shop", ShopName(complaint.seller_id)},
           {"history_url", "/can-bo/cua-hang/" + std::to_string(complaint.seller_id) + "/lich-su"},
           {"date", Date(complaint.created_at_ms)},
           {"body", complaint.body},
           {"response", complaint.shop_response.value_or("")},
           {"form", form_for("complaint-" + std::to_string(complaint.id))}});
    }
    nlohmann::json data = {{"title", renderer_.T(request, "reports.title")},
                           {"reviews", std::move(review_items)},
                           {"no_reviews", reviews->empty()},
                           {"complaints", std::move(complaint_items)},
                           {"no_complaints", complaints->empty()},
                           {"noindex", true}};
    if (auto done = request.Query("xong"); done && (*done == "review" || *done == "complaint")) {
      data["done"] = renderer_.T(request, "reports.done_" + *done);
    }
    return renderer_.Render(request, "officials/reports", std::move(data), failed ? 422 : 200);
  }

  http::Response ModerateReview(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    const auto decision = form.Value("decision") == "hide" ? quality::ModerationDecision::kHide
                                                           : quality::ModerationDecision::kKeep;
    auto moderated = quality_.reviews.Moderate(Who(request), *id, decision, form.Value("reason"));
    if (!moderated.ok()) return Refused(request, form, moderated.error(), "review-" + std::to_string(*id));
    return http::Response::Redirect(std::string(kReportsPath) + "?xong=review");
  }

  http::Response ResolveComplaint(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    const auto resolution = quality::ParseResolution(form.Value("resolution"));
    auto resolved = quality_.complaints.Resolve(
        Who(request), *id, resolution.value_or(quality::Resolution::kDismissed), form.Value("note"));
    if (!resolved.ok()) return Refused(request, form, resolved.error(), "complaint-" + std::to_string(*id));
    return http::Response::Redirect(std::string(kReportsPath) + "?xong=complaint");
  }

 private:
  // A reason missing or too short comes back by its field; anything else
  // (not the officer's area, already decided) is the error page.
  http::Response Refused(const http::Request& request, Form& form, const Error& error,
                         const std::string& key) {
    if (error.code != ErrorCode::kInvalid || error.fields.empty()) return renderer_.ErrorPage(request, error);
    // The complaint's "note" is a conclusion here, not the checkout's note.
    form.AddErrors(error, {{"note", "resolution_note"}});
    return Page(request, &form, key);
  }

  std::string ShopName(std::int64_t seller_id) {
    auto shop = sellers_.Get(seller_id);
    return shop.ok() ? shop->name : "";
  }

  const Renderer& renderer_;
  quality::QualityModule& quality_;
  sellers::SellerService& sellers_;
};

}  // namespace

void AddReportPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<ReportPages>(renderer, services);
  const http::RouteOptions form{.max_body = kFormMaxBody};
  const std::string path(kReportsPath);
  router.Get(path, [pages](http::Request& r) { return pages->Page(r); }, {.max_body = 0});
  router.Post(
      path + "/danh-gia/{id}", [pages](http::Request& r) { return pages->ModerateReview(r); }, form);
  router.Post(
      path + "/khieu-nai/{id}", [pages](http::Request& r) { return pages->ResolveComplaint(r); }, form);
}

}  // namespace nongsan::web::detail
