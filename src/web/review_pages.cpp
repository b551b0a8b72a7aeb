// Reviews in the pages. After "Đã nhận hàng" the buyer's order page links
// each product to a review form (stars, text, up to kMaxReviewPhotos photos);
// the product page shows the reviews under #danh-gia (newest first, the
// shop's reply, photos) with a form to report one; the shop answers from the
// seller centre. ReviewService decides everything — only the buyer of a
// delivered order may review its products, once — and the form comes back with
// its message in Vietnamese and what was typed kept when it refuses.
#include <algorithm>

#include "orders/order_service.hpp"
#include "quality/evidence.hpp"
#include "quality/quality_module.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/quality_views.hpp"
#include "web/seller_centre.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kReviewsAnchor = "#danh-gia";
constexpr std::string_view kShopReviewsPath = "/kenh-ban/danh-gia";
// Reviews the seller centre lists at once, newest first.
constexpr std::size_t kShopReviewsShown = 50;
// The review form: the photos plus the text fields.
constexpr std::size_t kReviewFormMaxBody =
    quality::kMaxReviewPhotos * quality::kMaxReviewPhotoBytes + 64 * 1024;
constexpr int kStars[] = {5, 4, 3, 2, 1};

const Principal* Who(const http::Request& request) {
  return request.principal ? &*request.principal : nullptr;
}

class ReviewPages {
 public:
  ReviewPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        centre_(renderer, *services.sellers),
        orders_(*services.orders),
        quality_(*services.quality) {}

  http::Response FormPage(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form;
    form.Set("product_id", request.Query("san-pham").value_or(""));
    form.Set("rating", "5");
    return ShowForm(request, form, 200);
  }

  // The token first (multipart is exempt from the CSRF hook), then the
  // order and product the service checks, then the fields.
  http::Response Submit(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto parts = http::ParseMultipart(request);
    if (!parts.ok() || !centre_.CsrfOk(request, *parts))
      return renderer_.ErrorPage(request, Error::Forbidden());
    Form form = FormFromParts(*parts);
    auto order_id = ParseCount(request.Param("id"));
    auto product_id = ParseCount(form.Value("product_id"));
    if (!order_id || !product_id) return renderer_.NotFound(request);
    quality::ReviewInput input;
    input.order_id = *order_id;
    input.product_id = *product_id;
    input.rating = ParseCount(form.Value("rating")).value_or(0);
    input.body = form.Value("text");
    const std::vector<quality::StagedUpload> kept = KeepPhotos(request, *parts, form);
    if (!form.ok()) return ShowForm(request, form, 422, kept);
    for (const auto& photo : kept) input.staged_photos.push_back(photo.token);
    auto created = quality_.reviews.Create(Who(request), std::move(input));
    if (!created.ok()) {
      if (created.error().code == ErrorCode::kNotFound) return renderer_.ErrorPage(request, created.error());
      form.AddErrors(created.error(), PhotoFieldNames());
      return ShowForm(request, form, 422, kept);
    }
    return http::Response::Redirect(ProductPath(ProductName(request, *order_id, *product_id), *product_id) +
                                    "?da-danh-gia=1" + std::string(kReviewsAnchor));
  }

  http::Response Report(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    std::string back = form.Value("back");
    if (!IsLocalPath(back)) back = "/";
    auto reported = quality_.reviews.Report(Who(request), *id, form.Value("reason"));
    if (!reported.ok() && reported.error().code != ErrorCode::kInvalid) {
      return renderer_.ErrorPage(request, reported.error());
    }
    back += back.find('?') == std::string::npos ? "?" : "&";
    back += reported.ok() ? "da-bao-cao=1" : "loi-bao-cao=1";
    return http::Response::Redirect(back + std::string(kReviewsAnchor));
  }

  // "Hữu ích" on a review from the product page; back to it with what happened.
  http::Response Helpful(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    std::string back = form.Value("back");
    if (!IsLocalPath(back)) back = "/";
    auto voted = quality_.votes.Vote(Who(request), *id);
    // Voting twice or on one's own review is said on the page; anything else
    // (a hidden or unknown review) is the error page.
    const bool refused =
        !voted.ok() && (voted.error().type == "already_voted" || voted.error().type == "own_review");
    if (!voted.ok() && !refused) return renderer_.ErrorPage(request, voted.error());
    back += back.find('?') == std::string::npos ? "?" : "&";
    back += voted.ok() ? std::string("huu-ich=1") : "huu-ich=" + voted.error().type;
    return http::Response::Redirect(back + "#dg-" + std::to_string(*id));
  }

  // ---- the seller centre

  http::Response ShopReviews(http::Request& request, const Form* failed = nullptr,
                             std::int64_t failed_id = 0) {
    auto current = centre_.CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const auto& context = std::get<SellerCentre::Context>(current);
    auto page = quality_.reviews.ForShop(context.shop.id, "", kShopReviewsShown);
    if (!page.ok()) return renderer_.ErrorPage(request, page.error());
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& review : page->items) {
      nlohmann::json item = ReviewView(review, renderer_.translations(), lang);
      Form empty;
      item["form"] =
          (failed && failed_id == review.id ? *failed : empty).View(renderer_.translations(), lang);
      items.push_back(std::move(item));
    }
    nlohmann::json data = {{"title", renderer_.T(request, "reviews.shop_title")},
                           {"reviews", std::move(items)},
                           {"empty", page->items.empty()},
                           {"replied", request.Query("da-tra-loi").has_value()}};
    return centre_.Render(request, context, "seller/reviews", std::move(data), failed ? 422 : 200);
  }

  http::Response Reply(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    auto replied = quality_.reviews.Reply(Who(request), *id, form.Value("reply"));
    if (!replied.ok()) {
      if (replied.error().code != ErrorCode::kInvalid) return renderer_.ErrorPage(request, replied.error());
      form.AddErrors(replied.error(), {{"body", "reply"}, {"text", "reply"}});
      return ShopReviews(request, &form, *id);
    }
    return http::Response::Redirect(std::string(kShopReviewsPath) + "?da-tra-loi=1");
  }

 private:
  // The service names each photo ("photos[1]"); the form has one field.
  static std::map<std::string, std::string> PhotoFieldNames() {
    std::map<std::string, std::string> rename;
    for (std::size_t i = 0; i < quality::kMaxReviewPhotos; ++i)
      rename["photos[" + std::to_string(i) + "]"] = "photos";
    return rename;
  }

  // The photos sent with this try (they replace any kept ones), else those
  // kept from an earlier try (their tokens in hidden fields): checked and
  // stored once, so a form that comes back with an error still carries
  // them. A photo that cannot be used is an error beside the field.
  std::vector<quality::StagedUpload> KeepPhotos(const http::Request& request,
                                                const std::vector<http::MultipartPart>& parts, Form& form) {
    std::vector<quality::StagedUpload> kept;
    std::vector<const http::MultipartPart*> sent;
    for (const auto& part : parts) {
      if (part.name == "photos" && !part.data.empty()) sent.push_back(&part);
    }
    if (sent.size() > quality::kMaxReviewPhotos) {
      form.AddError("photos", "errors.field.photos");
      return kept;
    }
    for (std::size_t i = 0; i < sent.size(); ++i) {
      const http::MultipartPart& part = *sent[i];
      auto staged = quality_.staged.Stage(
          Who(request), quality::StagedPurpose::kReviewPhoto, std::string(part.data),
          part.content_type.empty() ? std::nullopt : std::optional<std::string>(part.content_type),
          part.filename, "photos[" + std::to_string(i) + "]");
      if (staged.ok()) {
        kept.push_back(std::move(staged).value());
      } else {
        form.AddErrors(staged.error(), PhotoFieldNames());
      }
    }
    if (!sent.empty()) return kept;
    for (const auto& part : parts) {
      if (part.name != "photo_token" || kept.size() >= quality::kMaxReviewPhotos) continue;
      const std::string token(part.data);
      const bool repeated =
          std::any_of(kept.begin(), kept.end(), [&](const auto& k) { return k.token == token; });
      if (repeated) continue;
      auto found = quality_.staged.Find(Who(request), quality::StagedPurpose::kReviewPhoto, token);
      if (found.ok()) {
        kept.push_back(std::move(found).value());
      } else if (!form.HasError("photos")) {
        // Expired, used already, or not this person's: not silently dropped.
        form.AddError("photos", "errors.staged_file_gone");
      }
    }
    return kept;
  }

  // The product's name on the buyer's order ("" when it cannot be read).
  std::string ProductName(const http::Request& request, std::int64_t order_id, std::int64_t product_id) {
    auto order = orders_.Get(*request.principal, order_id);
    if (!order.ok()) return "";
    for (const auto& line : order->value("lines", nlohmann::json::array())) {
      if (line.value("product_id", std::int64_t{0}) == product_id) return line.value("name", "");
    }
    return "";
  }

  http::Response ShowForm(const http::Request& request, const Form& form, int status,
                          const std::vector<quality::StagedUpload>& kept = {}) {
    auto order_id = ParseCount(request.Param("id"));
    auto product_id = ParseCount(form.Value("product_id"));
    if (!order_id || !product_id) return renderer_.NotFound(request);
    // Only the order's buyer reviews it; to anyone else it is "not found",
    // the shop included.
    auto order = orders_.Get(*request.principal, *order_id);
    if (!order.ok()) return renderer_.ErrorPage(request, order.error());
    if (order->value("buyer_id", std::int64_t{0}) != request.principal->user_id)
      return renderer_.NotFound(request);
    const std::string name = ProductName(request, *order_id, *product_id);
    if (name.empty()) return renderer_.NotFound(request);
    nlohmann::json stars = nlohmann::json::array();
    for (int value : kStars) {
      stars.push_back({{"value", value},
                       {"label", renderer_.T(request, "reviews.stars_" + std::to_string(value))},
                       {"checked", form.Value("rating") == std::to_string(value)}});
    }
    nlohmann::json data = {
        {"title", renderer_.T(request, "reviews.form_title") + ": " + name},
        {"product", {{"id", *product_id}, {"name", name}, {"url", ProductPath(name, *product_id)}}},
        {"order", {{"id", *order_id}, {"code", order->value("code", "")}}},
        {"action", "/don-hang/" + std::to_string(*order_id) + "/danh-gia"},
        {"stars", std::move(stars)},
        {"max_photos", quality::kMaxReviewPhotos},
        {"kept_photos", KeptView(kept)},
        {"has_kept_photos", !kept.empty()},
        {"form", form.View(renderer_.translations(), renderer_.LangOf(request))},
        {"noindex", true}};
    return renderer_.Render(request, "review_form", std::move(data), status);
  }

  static nlohmann::json KeptView(const std::vector<quality::StagedUpload>& kept) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& photo : kept) out.push_back(StagedFileView(photo));
    return out;
  }

  const Renderer& renderer_;
  SellerCentre centre_;
  orders::OrderService& orders_;
  quality::QualityModule& quality_;
};

}  // namespace

void AddReviewPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<ReviewPages>(renderer, services);
  const http::RouteOptions form{.max_body = kFormMaxBody};
  router.Get("/don-hang/{id}/danh-gia", [pages](http::Request& r) { return pages->FormPage(r); },
             {.max_body = 0});
  // Multipart with photos: the CSRF hook cannot read the token, Submit checks it.
  router.Post("/don-hang/{id}/danh-gia", [pages](http::Request& r) { return pages->Submit(r); },
              {.max_body = kReviewFormMaxBody, .csrf_exempt = true});
  router.Post(
      "/danh-gia/{id}/bao-cao", [pages](http::Request& r) { return pages->Report(r); }, form);
  router.Post(
      "/danh-gia/{id}/huu-ich", [pages](http::Request& r) { return pages->Helpful(r); }, form);
  const std::string shop(kShopReviewsPath);
  router.Get(shop, [pages](http::Request& r) { return pages->ShopReviews(r); }, {.max_body = 0});
  router.Post(
      shop + "/{id}/tra-loi", [pages](http::Request& r) { return pages->Reply(r); }, form);
}

}  // namespace nongsan::web::detail
