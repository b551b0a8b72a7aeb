// The seller centre's certificates: submit a certificate (kind, number,
// issuer, dates, OCOP stars and group, the products it covers, a photo or PDF
// of the paper), see each one's status and why it was rejected, and renew one
// before it expires — the page reminds the shop from kRenewalReminderDays
// before the expiry day, and the renewal form starts from the old
// certificate. The quality service checks everything (the file's real type
// included) and stores nothing when anything is wrong; the form comes back
// with each message by its field and what was typed kept.
#include <cstdio>
#include <set>

#include "catalog/catalog_module.hpp"
#include "core/clock.hpp"
#include "quality/evidence.hpp"
#include "quality/quality_module.hpp"
#include "quality/trademark.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/quality_views.hpp"
#include "web/seller_centre.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

constexpr std::string_view kCertsPath = "/kenh-ban/chung-nhan";
// The shop is reminded on this page from this many days before expiry.
constexpr std::int64_t kRenewalReminderDays = 30;
// The form carries one evidence file plus the text fields.
constexpr std::size_t kCertFormMaxBody = quality::kMaxEvidenceBytes + 64 * 1024;
constexpr std::string_view kKinds[] = {"ocop", "vietgap", "organic", "globalgap", "trademark", "other"};
constexpr std::string_view kGroups[] = {"food", "drinks", "herbal", "textiles", "souvenirs", "tourism"};
constexpr int kStarChoices[] = {3, 4, 5};
constexpr std::string_view kTrademarkStatuses[] = {"filed", "granted", "refused"};
// The trademark decision form: a few short fields.
constexpr std::size_t kDecisionFormMaxBody = 8 * 1024;

const Principal* Who(const http::Request& request) {
  return request.principal ? &*request.principal : nullptr;
}

// "31/01/2027" as people type it, or the browser's "2027-01-31": ISO, or ""
// when it is neither (the service then says the date is wrong).
std::string IsoDateOf(const std::string& typed) {
  if (timefmt::ParseIsoDate(typed)) return typed;
  int day = 0, month = 0, year = 0;
  char tail = 0;
  if (std::sscanf(typed.c_str(), "%d/%d/%d%c", &day, &month, &year, &tail) != 3) return "";
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
  return timefmt::ParseIsoDate(iso) ? std::string(iso) : "";
}

class CertificatePages {
 public:
  CertificatePages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        centre_(renderer, *services.sellers),
        quality_(*services.quality),
        catalog_(*services.catalog) {}

  http::Response Page(http::Request& request) {
    auto current = centre_.CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const auto& context = std::get<SellerCentre::Context>(current);
    Form form;
    form.Set("kind", "vietgap");
    if (auto renew = request.Query("gia-han")) PrefillRenewal(request, context, form, *renew);
    return Show(request, context, form, {}, 200);
  }

  // Checked in this order, as the product forms are: the CSRF token (the
  // multipart body is exempt from the hook), the shop, the fields.
  http::Response Submit(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto parts = http::ParseMultipart(request);
    if (!parts.ok() || !centre_.CsrfOk(request, *parts))
      return renderer_.ErrorPage(request, Error::Forbidden());
    auto current = centre_.CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const auto& context = std::get<SellerCentre::Context>(current);
    Form form = FormFromParts(*parts);
    const std::optional<quality::StagedUpload> kept = KeepEvidence(request, *parts, form);
    std::set<std::int64_t> chosen;
    quality::CertificateInput input;
    for (const auto& part : *parts) {
      if (part.name != "product_id") continue;
      if (auto id = ParseCount(part.data); id && chosen.insert(*id).second) input.product_ids.push_back(*id);
    }
    if (!kept && !form.HasError("evidence")) form.AddError("evidence", "errors.field.evidence");
    // A trademark not yet granted has no number or dates of its own (the
    // service takes them from the application); every other kind needs them.
    const bool trademark = form.Value("kind") == "trademark";
    if (!trademark) form.Required("number");
    form.Required("issuer");
    if (!trademark) form.Required("issued_on");
    if (!trademark) form.Required("expires_on");
    if (input.product_ids.empty()) form.AddError("product_ids", "errors.field.product_ids");
    if (!form.ok()) return Show(request, context, form, chosen, 422, nullptr, 0, kept ? &*kept : nullptr);

    input.kind = form.Value("kind");
    input.number = form.Value("number");
    input.issuer = form.Value("issuer");
    input.issued_on = IsoDateOf(form.Value("issued_on"));
    input.expires_on = IsoDateOf(form.Value("expires_on"));
    if (input.kind == "ocop") {
      if (auto stars = ParseCount(form.Value("ocop_stars"))) input.ocop_stars = *stars;
      if (!form.Value("ocop_group").empty()) input.ocop_group = form.Value("ocop_group");
    }
    if (trademark) {
      input.trademark.application_number = form.Value("application_number");
      input.trademark.filing_date = IsoDateOf(form.Value("filing_date"));
      input.trademark.trademark_status = form.Value("trademark_status");
      const std::string reason = form.Value("refusal_reason");
      if (!reason.empty()) input.trademark.refusal_reason = reason;
    }
    input.staged_evidence.push_back(kept->token);
    auto submitted = quality_.certificates.Submit(Who(request), context.shop.id, std::move(input));
    if (!submitted.ok()) {
      if (submitted.error().code == ErrorCode::kNotFound || submitted.error().code == ErrorCode::kForbidden) {
        return renderer_.ErrorPage(request, submitted.error());
      }
      form.AddErrors(submitted.error(), FieldNames(chosen.size()));
      return Show(request, context, form, chosen, 422, nullptr, 0, kept ? &*kept : nullptr);
    }
    return http::Response::Redirect(std::string(kCertsPath) +
                                    "?da-gui=" + http::UrlEncode(submitted->certificate.number));
  }

  // The IP Office's answer to a filed trademark (granted with its number, or
  // refused with the reason), from the form under that certificate.
  http::Response DecideTrademark(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto current = centre_.CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const auto& context = std::get<SellerCentre::Context>(current);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    quality::TrademarkDecision decision;
    decision.trademark_status = form.Value("trademark_status");
    if (decision.trademark_status == "granted") {
      decision.number = form.Value("number");
      decision.granted_on = form.Value("granted_on").empty() ? "" : IsoDateOf(form.Value("granted_on"));
      if (!form.Value("granted_on").empty() && decision.granted_on.empty()) {
        form.AddError("granted_on", "errors.field.granted_on");
        return Show(request, context, Form(), {}, 422, &form, *id);
      }
    } else {
      decision.refusal_reason = form.Value("refusal_reason");
    }
    auto decided = quality_.certificates.DecideTrademark(Who(request), *id, std::move(decision));
    if (!decided.ok()) {
      if (decided.error().code != ErrorCode::kInvalid && decided.error().code != ErrorCode::kConflict) {
        return renderer_.ErrorPage(request, decided.error());
      }
      form.AddErrors(decided.error());
      return Show(request, context, Form(), {}, decided.error().code == ErrorCode::kConflict ? 409 : 422,
                  &form, *id);
    }
    return http::Response::Redirect(std::string(kCertsPath) + "?da-cap-nhat=" +
                                    http::UrlEncode(decided->number) + "#cn-" + std::to_string(*id));
  }

 private:
  // The file sent with this try, else the one kept from an earlier try (its
  // token in the hidden field): checked and stored once, so a form that
  // comes back with an error still carries it. A file that cannot be used
  // is an error beside the field.
  std::optional<quality::StagedUpload> KeepEvidence(const http::Request& request,
                                                    const std::vector<http::MultipartPart>& parts,
                                                    Form& form) {
    const http::MultipartPart* evidence = http::FindPart(parts, "evidence");
    if (evidence && !evidence->data.empty()) {
      auto staged = quality_.staged.Stage(
          Who(request), quality::StagedPurpose::kEvidence, std::string(evidence->data),
          evidence->content_type.empty() ? std::nullopt : std::optional<std::string>(evidence->content_type),
          evidence->filename, "evidence");
      if (staged.ok()) return *staged;
      form.AddErrors(staged.error());
      if (!form.HasError("evidence")) form.AddError("evidence", "errors.field.evidence");
      return std::nullopt;
    }
    const std::string& token = form.Value("evidence_token");
    if (token.empty()) return std::nullopt;
    auto kept = quality_.staged.Find(Who(request), quality::StagedPurpose::kEvidence, token);
    if (kept.ok()) return *kept;
    // Expired, used already, or not this person's: say so rather than send
    // the certificate without the file its sender believes is attached.
    form.AddError("evidence", "errors.staged_file_gone");
    return std::nullopt;
  }

  // The service names list items ("product_ids[2]", "evidence[0]"); the form has one field each.
  static std::map<std::string, std::string> FieldNames(std::size_t products) {
    std::map<std::string, std::string> rename = {{"evidence[0]", "evidence"}, {"evidence", "evidence"}};
    for (std::size_t i = 0; i < products; ++i)
      rename["product_ids[" + std::to_string(i) + "]"] = "product_ids";
    return rename;
  }

  // The renewal form starts from the certificate being renewed (new number,
  // dates and file still to be given).
  void PrefillRenewal(const http::Request& request, const SellerCentre::Context& context, Form& form,
                      const std::string& id_text) {
    auto id = ParseCount(id_text);
    if (!id) return;
    auto old = quality_.certificates.Get(Who(request), *id);
    if (!old.ok() || old->seller_id != context.shop.id) return;
    form.Set("kind", std::string(quality::CertKindName(old->kind)));
    form.Set("issuer", old->issuer);
    if (old->ocop_stars) form.Set("ocop_stars", std::to_string(*old->ocop_stars));
    if (old->ocop_group) form.Set("ocop_group", std::string(quality::OcopGroupName(*old->ocop_group)));
    for (std::int64_t product : old->product_ids) form.Set("product_" + std::to_string(product), "1");
    form.Set("renewing", old->number);
  }

  // `decision` re-shows the trademark form of certificate `decided_id` with its errors.
  http::Response Show(const http::Request& request, const SellerCentre::Context& context, const Form& form,
                      const std::set<std::int64_t>& chosen, int status, const Form* decision = nullptr,
                      std::int64_t decided_id = 0, const quality::StagedUpload* kept = nullptr) {
    const Lang lang = renderer_.LangOf(request);
    catalog::SellerListOptions options;
    options.limit = catalog::kMaxPageSize;
    auto products = catalog_.catalog.ListForSeller(Who(request), context.shop.id, options);
    std::map<std::int64_t, std::string> names;
    nlohmann::json product_choices = nlohmann::json::array();
    if (products.ok()) {
      for (const auto& product : products->items) {
        names[product.id] = product.name;
        const bool checked = chosen.contains(product.id) || form.Has("product_" + std::to_string(product.id));
        product_choices.push_back({{"id", product.id}, {"name", product.name}, {"checked", checked}});
      }
    }
    auto certificates = quality_.certificates.ListForShop(Who(request), context.shop.id);
    if (!certificates.ok()) return renderer_.ErrorPage(request, certificates.error());
    const std::int64_t today = quality_.certificates.Today();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& certificate : *certificates) {
      nlohmann::json item = CertificateView(certificate, names, renderer_.translations(), lang);
      const std::int64_t days_left = certificate.expires_day - today;
      if (certificate.status == quality::CertStatus::kVerified && days_left <= kRenewalReminderDays) {
        item["renew"] = {
            {"days", days_left},
            {"url", std::string(kCertsPath) + "?gia-han=" + std::to_string(certificate.id) + "#gui"}};
      }
      item["verify_url"] = quality_.certificates.VerifyUrl(certificate.code);
      const bool open = certificate.stored_status == quality::CertStatus::kPending ||
                        certificate.stored_status == quality::CertStatus::kVerified;
      if (certificate.trademark && certificate.trademark->status == quality::TrademarkStatus::kFiled &&
          open) {
        Form empty;
        const Form& shown = decision && decided_id == certificate.id ? *decision : empty;
        item["tm_decide"] = {
            {"url", std::string(kCertsPath) + "/" + std::to_string(certificate.id) + "/nhan-hieu"},
            {"id", certificate.id},
            {"granted", shown.Value("trademark_status") != "refused"},
            {"form", shown.View(renderer_.translations(), lang)}};
      }
      list.push_back(std::move(item));
    }
    nlohmann::json data = {
        {"title", renderer_.T(request, "certs.title")},
        {"certificates", std::move(list)},
        {"has_certificates", !certificates->empty()},
        {"products", std::move(product_choices)},
        {"kinds", Choices(request, "cert.kind_", kKinds, form.Value("kind"))},
        {"groups", Choices(request, "cert.group_", kGroups, form.Value("ocop_group"))},
        {"stars", StarChoices(form.Value("ocop_stars"))},
        {"tm_statuses", Choices(request, "certs.tm_", kTrademarkStatuses, form.Value("trademark_status"))},
        {"form", form.View(renderer_.translations(), lang)},
        {"max_mb", quality::kMaxEvidenceBytes / (1024 * 1024)}};
    if (kept) data["kept_evidence"] = StagedFileView(*kept);
    if (auto sent = request.Query("da-gui")) data["sent"] = *sent;
    if (auto updated = request.Query("da-cap-nhat")) data["tm_updated"] = *updated;
    return centre_.Render(request, context, "seller/certificates", std::move(data), status);
  }

  template <std::size_t N>
  nlohmann::json Choices(const http::Request& request, const std::string& prefix,
                         const std::string_view (&names)[N], const std::string& selected) {
    nlohmann::json out = nlohmann::json::array();
    for (std::string_view name : names) {
      out.push_back({{"value", name},
                     {"label", renderer_.T(request, prefix + std::string(name))},
                     {"selected", name == selected}});
    }
    return out;
  }

  static nlohmann::json StarChoices(const std::string& selected) {
    nlohmann::json out = nlohmann::json::array();
    for (int stars : kStarChoices)
      out.push_back({{"value", stars}, {"selected", std::to_string(stars) == selected}});
    return out;
  }

  const Renderer& renderer_;
  SellerCentre centre_;
  quality::QualityModule& quality_;
  catalog::CatalogModule& catalog_;
};

}  // namespace

void AddCertificatePages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<CertificatePages>(renderer, services);
  const std::string path(kCertsPath);
  router.Get(path, [pages](http::Request& r) { return pages->Page(r); }, {.max_body = 0});
  // Multipart: the CSRF hook cannot read the token, Submit checks it.
  router.Post(path, [pages](http::Request& r) { return pages->Submit(r); },
              {.max_body = kCertFormMaxBody, .csrf_exempt = true});
  router.Post(path + "/{id}/nhan-hieu", [pages](http::Request& r) { return pages->DecideTrademark(r); },
              {.max_body = kDecisionFormMaxBody});
}

}  // namespace nongsan::web::detail
