// The seller centre, made for a thumb on a cheap phone: a dashboard (new
// orders, low stock), the product list with search, creating and editing a
// product with a photo from the phone's camera, the order queue with one-tap
// moves, the shop profile and its staff, a cooperative manager switching
// between member shops, and the officers' view for onboarding a household.
//
// Which shop is being run: ?shop=ID, else the `kenh_ban` cookie, else the
// first shop the person manages; SellerService decides every permission.
#include <algorithm>

#include "accounts/auth.hpp"
#include "catalog/catalog_module.hpp"
#include "catalog/categories.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "http/multipart.hpp"
#include "orders/order_service.hpp"
#include "places/places.hpp"
#include "sellers/seller_service.hpp"
#include "web/amount_input.hpp"
#include "web/format.hpp"
#include "web/forms.hpp"
#include "web/label_form.hpp"
#include "web/order_views.hpp"
#include "web/page_routes.hpp"
#include "web/page_services.hpp"
#include "web/seller_centre.hpp"
#include "web/views.hpp"

namespace nongsan::web::detail {

namespace {

// Stock at or below this shows on the dashboard as running low.
constexpr std::int64_t kLowStock = 5;
// Products read for the list, its search and the dashboard (one page of the catalogue).
constexpr int kProductScan = catalog::kMaxPageSize;
constexpr int kQueuePageSize = 50;
constexpr std::size_t kSkuRandomChars = 6;
// A product form with a phone photo: the photo limit plus the text fields.
constexpr std::size_t kPhotoFormMaxBody = catalog::kMaxPhotoBytes + 64 * 1024;
constexpr std::string_view kQueueStatuses[] = {"placed", "confirmed", "packed", "shipped"};

const Principal* Who(const http::Request& request) {
  return request.principal ? &*request.principal : nullptr;
}

class SellerPages {
 public:
  SellerPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        centre_(renderer, *services.sellers),
        sellers_(*services.sellers),
        catalog_(*services.catalog),
        orders_(*services.orders),
        places_(*services.places) {}

  using Context = SellerCentre::Context;
  std::variant<Context, http::Response> CurrentShop(const http::Request& request) {
    return centre_.CurrentShop(request);
  }
  http::Response Render(const http::Request& request, const Context& context, std::string_view name,
                        nlohmann::json data, int status = 200) {
    return centre_.Render(request, context, name, std::move(data), status);
  }
  bool CsrfOk(const http::Request& request, const std::vector<http::MultipartPart>& parts) {
    return centre_.CsrfOk(request, parts);
  }

  std::vector<catalog::Product> Products(const http::Request& request, std::int64_t shop_id) {
    catalog::SellerListOptions options;
    options.limit = kProductScan;
    auto page = catalog_.catalog.ListForSeller(Who(request), shop_id, options);
    return page.ok() ? page->items : std::vector<catalog::Product>();
  }

  nlohmann::json ProductRow(const catalog::Product& product, Lang lang) {
    return {{"id", product.id},
            {"name", product.name},
            {"price", Price(product.price_vnd)},
            {"unit", product.unit},
            {"stock", product.stock},
            {"low", product.stock <= kLowStock},
            {"status", renderer_.translations().Get(
                           lang, std::string("product_status.") + catalog::StatusName(product.status))},
            {"public", product.IsPublic()},
            {"edit_url", std::string(kCentre) + "/san-pham/" + std::to_string(product.id)},
            {"photo", CardPhoto(product.cover_photo)}};
  }

  nlohmann::json QueueOrders(const http::Request& request, std::int64_t shop_id,
                             std::optional<orders::OrderStatus> status) {
    nlohmann::json list = nlohmann::json::array();
    orders::ListOptions options;
    options.limit = kQueuePageSize;
    options.status = status;
    auto page = orders_.ListForShop(*request.principal, shop_id, options);
    if (!page.ok()) return list;
    for (const auto& order : page->items) {
      nlohmann::json summary = OrderSummary(renderer_, request, order);
      // The one-tap next step of the normal path, when there is one.
      const std::string current = order.value("status", "");
      std::string next;
      if (current == "placed") next = "confirmed";
      if (current == "confirmed") next = "packed";
      if (current == "packed") next = "shipped";
      if (current == "shipped") next = "delivered";
      if (!next.empty()) {
        summary["next"] = {{"to", next},
                           {"label", renderer_.T(request, "order_action." + next)},
                           {"needs_tracking", next == "shipped"},
                           {"default_tracking", order.value("code", "")},
                           {"action_url", std::string(kCentre) + "/don-hang/" +
                                              std::to_string(order.value("id", 0)) + "/trang-thai"}};
      }
      list.push_back(std::move(summary));
    }
    return list;
  }

  // ---- dashboard

  http::Response Dashboard(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json low = nlohmann::json::array();
    std::size_t product_count = 0;
    for (const auto& product : Products(request, context.shop.id)) {
      ++product_count;
      if (product.status == catalog::ProductStatus::kActive && product.stock <= kLowStock) {
        low.push_back(ProductRow(product, lang));
      }
    }
    nlohmann::json new_orders = QueueOrders(request, context.shop.id, orders::OrderStatus::kPlaced);
    nlohmann::json data = {{"title", renderer_.T(request, "seller.dashboard")},
                           {"new_orders", new_orders},
                           {"new_count", new_orders.size()},
                           {"has_new", !new_orders.empty()},
                           {"low", low},
                           {"low_count", low.size()},
                           {"has_low", !low.empty()},
                           {"product_count", product_count},
                           {"pending", context.shop.status == sellers::SellerStatus::kPending},
                           {"sent_back", context.shop.AwaitingCorrection() ? context.shop.status_reason : ""},
                           {"resubmitted", request.Query("gui-lai").has_value()},
                           {"suspended", context.shop.status == sellers::SellerStatus::kSuspended}};
    return Render(request, context, "seller/dashboard", std::move(data));
  }

  // ---- products

  http::Response ProductList(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    const Lang lang = renderer_.LangOf(request);
    const std::string q = request.Query("q").value_or("");
    const std::string folded = text::FoldVietnamese(q);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& product : Products(request, context.shop.id)) {
      if (!folded.empty() &&
          text::FoldVietnamese(product.name + " " + product.sku).find(folded) == std::string::npos) {
        continue;
      }
      rows.push_back(ProductRow(product, lang));
    }
    nlohmann::json data = {{"title", renderer_.T(request, "seller.products")},
                           {"products", rows},
                           {"has_products", !rows.empty()},
                           {"q", q},
                           {"saved", request.Query("da-luu").has_value()}};
    return Render(request, context, "seller/products", std::move(data));
  }

  nlohmann::json ProductFormData(const http::Request& request, const Form& form, Lang lang) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& top : catalog::AllCategories()) {
      if (!top.parent_code.empty()) continue;
      nlohmann::json options = nlohmann::json::array();
      for (const auto& child : catalog::AllCategories()) {
        if (child.parent_code != top.code) continue;
        options.push_back({{"code", child.code},
                           {"name", CategoryName(child.code, lang)},
                           {"selected", form.Value("category") == child.code}});
      }
      groups.push_back({{"name", CategoryName(top.code, lang)}, {"options", std::move(options)}});
    }
    nlohmann::json units = nlohmann::json::array();
    for (const auto& unit : catalog::AllUnits()) {
      units.push_back({{"name", unit}, {"selected", form.Value("unit") == unit}});
    }
    nlohmann::json statuses = nlohmann::json::array();
    for (const char* status : {"active", "draft", "hidden"}) {
      statuses.push_back(
          {{"value", status},
           {"label", renderer_.translations().Get(lang, std::string("product_status.") + status)},
           {"selected", form.Value("status") == status}});
    }
    nlohmann::json form_view = form.View(renderer_.translations(), lang);
    nlohmann::json label_fields = LabelFieldsView(form_view, renderer_.translations(), lang);
    return {{"form", std::move(form_view)},
            {"label_fields", std::move(label_fields)},
            {"category_groups", std::move(groups)},
            {"units", std::move(units)},
            {"statuses", std::move(statuses)},
            {"csrf_query", http::UrlEncode(renderer_.CsrfToken(request))}};
  }

  http::Response NewProductPage(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    Form form;
    form.Set("status", "active");
    form.Set("stock", "10");
    nlohmann::json data = ProductFormData(request, form, renderer_.LangOf(request));
    data["title"] = renderer_.T(request, "seller.new_product");
    data["action"] = std::string(kCentre) + "/san-pham/moi";
    data["creating"] = true;
    return Render(request, std::get<Context>(current), "seller/product_form", std::move(data));
  }

  // Reads the common product fields; records what is not a number.
  static void ReadNumbers(Form& form, std::optional<std::int64_t>& price, std::optional<std::int64_t>& stock,
                          std::optional<std::int64_t>& weight) {
    price = ParsePriceVnd(form.Value("price_vnd"));
    if (!price) form.AddError("price_vnd", "errors.field.price_vnd");
    stock = ParseCount(form.Value("stock").empty() ? "0" : form.Value("stock"));
    if (!stock) form.AddError("stock", "errors.field.stock");
    weight = form.Value("weight_grams").empty() ? std::optional<std::int64_t>(0)
                                                : ParseWeightGrams(form.Value("weight_grams"));
    if (!weight) form.AddError("weight_grams", "errors.field.weight_grams");
  }

  // The token is checked before anything else, as the hook does for the other
  // forms: a forged post gets 403 whoever sends it, not a redirect or a 404
  // that depends on the sender's shops.
  // The photo sent with this try, else the one kept from an earlier try
  // (its token in the hidden field): processed and stored once, so a form
  // that comes back with an error still carries it. A photo that cannot be
  // used is an error beside the photo field.
  std::optional<catalog::StagedPhoto> StagePhoto(const http::Request& request,
                                                 const std::vector<http::MultipartPart>& parts, Form& form) {
    const http::MultipartPart* photo = http::FindPart(parts, "photo");
    if (photo && !photo->data.empty()) {
      auto staged = catalog_.photos.Stage(Who(request), photo->data);
      if (staged.ok()) return *staged;
      const std::string key = "errors.type." + staged.error().type;
      form.AddError("photo", renderer_.translations().Has(Lang::kVi, key) ? key : "errors.photo");
      return std::nullopt;
    }
    if (auto kept = catalog_.photos.FindStaged(Who(request), form.Value("photo_token")); kept.ok())
      return *kept;
    return std::nullopt;
  }

  static void ShowStaged(nlohmann::json& data, const std::optional<catalog::StagedPhoto>& staged) {
    if (!staged) return;
    const int height =
        staged->width > 0 ? staged->height * kThumbPhotoWidth / staged->width : kThumbPhotoWidth;
    data["staged_photo"] = {{"token", staged->key},
                            {"src", PhotoUrl(staged->key, kThumbPhotoWidth)},
                            {"width", kThumbPhotoWidth},
                            {"height", height}};
  }

  // The redirect after a save, with the photo's error when it could not be attached.
  static std::string AttachError(const Result<catalog::Photo>& added) {
    return added.ok() ? "" : "loi-anh=" + http::UrlEncode(added.error().type);
  }

  // The token is checked before anything else, as the hook does for the other
  // forms: a forged post gets 403 whoever sends it, not a redirect or a 404
  // that depends on the sender's shops.
  http::Response CreateProduct(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto parts = http::ParseMultipart(request);
    if (!parts.ok() || !CsrfOk(request, *parts)) return renderer_.ErrorPage(request, Error::Forbidden());
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    const Lang lang = renderer_.LangOf(request);
    Form form = FormFromParts(*parts);
    const std::optional<catalog::StagedPhoto> staged = StagePhoto(request, *parts, form);
    auto show = [&](int status) {
      nlohmann::json data = ProductFormData(request, form, lang);
      data["title"] = renderer_.T(request, "seller.new_product");
      data["action"] = std::string(kCentre) + "/san-pham/moi";
      data["creating"] = true;
      ShowStaged(data, staged);
      return Render(request, context, "seller/product_form", std::move(data), status);
    };
    form.Required("name");
    std::optional<std::int64_t> price, stock, weight;
    ReadNumbers(form, price, stock, weight);
    catalog::LabelData label = ReadLabelForm(form);
    if (!form.ok()) return show(422);
    catalog::ProductInput input;
    input.sku = form.Value("sku").empty() ? "SP-" + ids::RandomCode(kSkuRandomChars) : form.Value("sku");
    input.name = form.Value("name");
    input.description = form.Value("description");
    input.category = form.Value("category");
    input.unit = form.Value("unit");
    input.price_vnd = *price;
    input.stock = *stock;
    input.weight_grams = *weight;
    input.status = catalog::ParseStatus(form.Value("status"));
    input.label = std::move(label);
    auto created = catalog_.catalog.Create(Who(request), context.shop.id, input);
    if (!created.ok()) {
      form.AddErrors(created.error());
      return show(422);
    }
    if (staged) {
      if (std::string error =
              AttachError(catalog_.photos.AttachStaged(Who(request), created->id, staged->key));
          !error.empty()) {
        // The product exists; say what was wrong with the photo on its edit page.
        return http::Response::Redirect(std::string(kCentre) + "/san-pham/" + std::to_string(created->id) +
                                        "?" + error);
      }
    }
    return http::Response::Redirect(std::string(kCentre) + "/san-pham?da-luu=1");
  }

  Form FormOf(const catalog::Product& product) {
    Form form;
    form.Set("name", product.name);
    form.Set("sku", product.sku);
    form.Set("description", product.description);
    form.Set("category", product.category_code);
    form.Set("unit", product.unit);
    form.Set("price_vnd", std::to_string(product.price_vnd));
    form.Set("stock", std::to_string(product.stock));
    form.Set("weight_grams", std::to_string(product.weight_grams));
    form.Set("status", catalog::StatusName(product.status));
    SetLabelForm(form, product.label);
    return form;
  }

  http::Response EditPage(const http::Request& request, const Context& context,
                          const catalog::Product& product, const Form& form, int status,
                          const std::optional<catalog::StagedPhoto>& staged = std::nullopt) {
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json data = ProductFormData(request, form, lang);
    data["title"] = product.name;
    data["action"] = std::string(kCentre) + "/san-pham/" + std::to_string(product.id);
    data["creating"] = false;
    data["public_url"] = product.IsPublic() ? ProductPath(product.name, product.id) : "";
    data["suspended_reason"] = product.suspended_reason;
    nlohmann::json photos = nlohmann::json::array();
    for (const auto& photo : product.photos) {
      photos.push_back(
          {{"src", PhotoUrl(photo.key, kThumbPhotoWidth)},
           {"width", kThumbPhotoWidth},
           {"height", photo.width > 0 ? photo.height * kThumbPhotoWidth / photo.width : kThumbPhotoWidth}});
    }
    data["photos"] = std::move(photos);
    ShowStaged(data, staged);
    if (auto error = request.Query("loi-anh")) {
      const std::string key = "errors.type." + *error;
      data["photo_error"] =
          renderer_.T(request, renderer_.translations().Has(Lang::kVi, key) ? key : "errors.photo");
    }
    data["saved"] = request.Query("da-luu").has_value();
    return Render(request, context, "seller/product_form", std::move(data), status);
  }

  http::Response EditProductPage(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    auto product = catalog_.catalog.GetForManage(Who(request), *id);
    if (!product.ok()) return renderer_.ErrorPage(request, product.error());
    Context context = std::get<Context>(current);
    if (product->seller_id != context.shop.id) {
      // Opened from another shop's list (a cooperative's member): run that shop.
      if (auto seller = sellers_.Get(product->seller_id); seller.ok()) context.shop = *seller;
    }
    return EditPage(request, context, *product, FormOf(*product), 200);
  }

  http::Response UpdateProduct(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto parts = http::ParseMultipart(request);
    if (!parts.ok() || !CsrfOk(request, *parts)) return renderer_.ErrorPage(request, Error::Forbidden());
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    auto product = catalog_.catalog.GetForManage(Who(request), *id);
    if (!product.ok()) return renderer_.ErrorPage(request, product.error());
    Form form = FormFromParts(*parts);
    const Context& context = std::get<Context>(current);
    const std::optional<catalog::StagedPhoto> staged = StagePhoto(request, *parts, form);
    form.Required("name");
    std::optional<std::int64_t> price, stock, weight;
    ReadNumbers(form, price, stock, weight);
    const catalog::LabelData label = ReadLabelForm(form);
    if (!form.ok()) return EditPage(request, context, *product, form, 422, staged);
    catalog::ProductPatch patch;
    patch.name = form.Value("name");
    if (!form.Value("sku").empty()) patch.sku = form.Value("sku");
    patch.description = form.Value("description");
    patch.category = form.Value("category");
    patch.unit = form.Value("unit");
    patch.price_vnd = *price;
    patch.stock = *stock;
    patch.weight_grams = *weight;
    patch.label = LabelPatchOf(label);
    if (auto status = catalog::ParseStatus(form.Value("status"));
        status && product->status != catalog::ProductStatus::kSuspended) {
      patch.status = status;
    }
    auto updated = catalog_.catalog.Update(Who(request), *id, patch);
    if (!updated.ok()) {
      form.AddErrors(updated.error());
      return EditPage(request, context, *product, form, 422, staged);
    }
    std::string target = std::string(kCentre) + "/san-pham/" + std::to_string(*id) + "?da-luu=1";
    if (staged) {
      if (std::string error = AttachError(catalog_.photos.AttachStaged(Who(request), *id, staged->key));
          !error.empty()) {
        target += "&" + error;
      }
    }
    return http::Response::Redirect(target);
  }

  // ---- orders

  http::Response Queue(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    const std::string wanted = request.Query("trang-thai").value_or("placed");
    auto status = orders::ParseStatus(wanted);
    nlohmann::json tabs = nlohmann::json::array();
    for (std::string_view name : kQueueStatuses) {
      tabs.push_back({{"label", renderer_.T(request, "order_status." + std::string(name))},
                      {"url", std::string(kCentre) + "/don-hang?trang-thai=" + std::string(name)},
                      {"current", wanted == name}});
    }
    tabs.push_back({{"label", renderer_.T(request, "seller.all_orders")},
                    {"url", std::string(kCentre) + "/don-hang?trang-thai=tat-ca"},
                    {"current", !status.has_value()}});
    nlohmann::json orders = QueueOrders(request, context.shop.id, status);
    nlohmann::json data = {{"title", renderer_.T(request, "seller.orders")},
                           {"tabs", std::move(tabs)},
                           {"orders", orders},
                           {"has_orders", !orders.empty()}};
    if (auto error = request.Query("loi")) {
      const std::string key = "errors.type." + *error;
      data["error"] =
          renderer_.T(request, renderer_.translations().Has(Lang::kVi, key) ? key : "errors.generic");
    }
    if (request.Query("xong")) data["done"] = true;
    return Render(request, context, "seller/orders", std::move(data));
  }

  http::Response ShopOrder(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    auto order = orders_.Get(*request.principal, *id);
    if (!order.ok()) return renderer_.ErrorPage(request, order.error());
    nlohmann::json data = OrderDetail(renderer_, request, *order, OrderAudience::kShop);
    data["title"] = renderer_.T(request, "orders.order") + " " + order->value("code", "");
    if (auto error = request.Query("loi")) {
      const std::string key = "errors.type." + *error;
      data["error"] =
          renderer_.T(request, renderer_.translations().Has(Lang::kVi, key) ? key : "errors.generic");
    }
    return Render(request, std::get<Context>(current), "seller/order", std::move(data));
  }

  http::Response MoveOrder(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    auto id = ParseCount(request.Param("id"));
    if (!id) return renderer_.NotFound(request);
    Form form(request);
    orders::TransitionInput input{form.Value("to"), form.Value("reason"), form.Value("tracking_code")};
    auto moved = orders_.Transition(*request.principal, *id, input);
    std::string back = form.Value("back");
    if (!IsLocalPath(back)) back = std::string(kCentre) + "/don-hang/" + std::to_string(*id);
    back += back.find('?') == std::string::npos ? "?" : "&";
    if (!moved.ok()) {
      if (moved.error().code == ErrorCode::kNotFound) return renderer_.NotFound(request);
      return http::Response::Redirect(back + "loi=" + http::UrlEncode(moved.error().type));
    }
    return http::Response::Redirect(back + "xong=1");
  }

  // ---- shop profile and staff

  http::Response ProfilePage(const http::Request& request, const Context& context, const Form& form,
                             int status) {
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json staff = nlohmann::json::array();
    bool owner = false;
    if (auto members = sellers_.ListStaff(*request.principal, context.shop.id); members.ok()) {
      for (const auto& member : *members) {
        if (member.role == Role::kShopOwner && member.user_id == request.principal->user_id) owner = true;
        staff.push_back({{"user_id", member.user_id},
                         {"name", member.full_name.empty() ? member.phone : member.full_name},
                         {"phone", member.phone},
                         {"role", renderer_.translations().Get(
                                      lang, std::string("seller.role_") + RoleName(member.role))},
                         {"removable", member.role == Role::kShopStaff}});
      }
    }
    nlohmann::json data = {{"title", renderer_.T(request, "seller.profile")},
                           {"form", form.View(renderer_.translations(), lang)},
                           {"staff", std::move(staff)},
                           {"owner", owner},
                           {"place", places_.FullName(context.shop.commune_code)},
                           {"saved", request.Query("da-luu").has_value()}};
    if (auto error = request.Query("loi")) {
      const std::string key = "errors.type." + *error;
      data["error"] =
          renderer_.T(request, renderer_.translations().Has(Lang::kVi, key) ? key : "errors.generic");
    }
    return Render(request, context, "seller/profile", std::move(data), status);
  }

  http::Response Profile(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    Form form;
    form.Set("name", context.shop.name);
    form.Set("address_line", context.shop.address_line);
    form.Set("phone", context.shop.phone);
    form.Set("description", context.shop.description);
    return ProfilePage(request, context, form, 200);
  }

  http::Response SaveProfile(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    Form form(request);
    form.Required("name");
    if (!form.ok()) return ProfilePage(request, context, form, 422);
    sellers::SellerPatch patch;
    patch.name = form.Value("name");
    patch.address_line = form.Value("address_line");
    if (!form.Value("phone").empty()) patch.phone = form.Value("phone");
    patch.description = form.Value("description");
    auto updated = sellers_.Update(*request.principal, context.shop.id, patch, accounts::ClientOf(request));
    if (!updated.ok()) {
      form.AddErrors(updated.error());
      return ProfilePage(request, context, form, updated.error().code == ErrorCode::kForbidden ? 403 : 422);
    }
    return http::Response::Redirect(std::string(kCentre) + "/cua-hang?da-luu=1");
  }

  // A shop an officer sent back, corrected and back in the officers' queue.
  http::Response Resubmit(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    auto resubmitted = sellers_.Resubmit(*request.principal, context.shop.id, accounts::ClientOf(request));
    if (!resubmitted.ok()) return renderer_.ErrorPage(request, resubmitted.error());
    return http::Response::Redirect(std::string(kCentre) + "?gui-lai=1");
  }

  http::Response AddStaff(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    Form form(request);
    auto added = sellers_.AddStaff(*request.principal, context.shop.id, form.Value("staff_phone"),
                                   Role::kShopStaff, accounts::ClientOf(request));
    std::string target = std::string(kCentre) + "/cua-hang";
    if (!added.ok()) target += "?loi=" + http::UrlEncode(added.error().type);
    return http::Response::Redirect(target);
  }

  http::Response RemoveStaff(http::Request& request) {
    auto current = CurrentShop(request);
    if (auto* response = std::get_if<http::Response>(&current)) return std::move(*response);
    const Context& context = std::get<Context>(current);
    Form form(request);
    auto user_id = ParseCount(form.Value("user_id"));
    std::string target = std::string(kCentre) + "/cua-hang";
    if (user_id) {
      Status removed =
          sellers_.RemoveStaff(*request.principal, context.shop.id, *user_id, accounts::ClientOf(request));
      if (!removed.ok()) target += "?loi=" + http::UrlEncode(removed.error().type);
    }
    return http::Response::Redirect(target);
  }

  // ---- opening a shop, and an officer onboarding a household

  nlohmann::json CommunePicker(const Form& form) {
    const std::string province = form.Value("province");
    nlohmann::json provinces = nlohmann::json::array();
    for (const auto& unit : places_.Children("")) {
      provinces.push_back({{"code", unit.code}, {"name", unit.name}, {"selected", unit.code == province}});
    }
    nlohmann::json communes = nlohmann::json::array();
    if (places_.IsProvince(province)) {
      for (const auto& unit : places_.Children(province)) {
        communes.push_back({{"code", unit.code},
                            {"name", unit.name},
                            {"selected", unit.code == form.Value("commune_code")}});
      }
    }
    return {{"provinces", std::move(provinces)}, {"communes", std::move(communes)}};
  }

  http::Response OpenShopForm(const http::Request& request, const Form& form, int status) {
    nlohmann::json data = CommunePicker(form);
    data["title"] = renderer_.T(request, "seller.open_shop");
    data["form"] = form.View(renderer_.translations(), renderer_.LangOf(request));
    data["noindex"] = true;
    for (const char* type : {"household", "cooperative", "enterprise"}) {
      data["types"].push_back(
          {{"value", type},
           {"label", renderer_.T(request, std::string("seller.type_") + type)},
           {"selected", form.Value("type") == type ||
                            (form.Value("type").empty() && std::string_view(type) == "household")}});
    }
    return renderer_.Render(request, "seller/open", std::move(data), status);
  }

  http::Response OpenShopPage(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form;
    form.Set("province", renderer_.home_province());
    return OpenShopForm(request, form, 200);
  }

  http::Response OpenShop(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    if (form.Value("step") == "province") return OpenShopForm(request, form, 200);
    form.Required("name");
    if (form.Value("commune_code").empty()) form.AddError("commune_code", "errors.choose_commune");
    form.Required("address_line");
    if (!form.ok()) return OpenShopForm(request, form, 422);
    sellers::SellerInput input;
    input.name = form.Value("name");
    input.type = form.Value("type").empty() ? "household" : form.Value("type");
    input.commune_code = form.Value("commune_code");
    input.address_line = form.Value("address_line");
    auto created = sellers_.Create(*request.principal, input, accounts::ClientOf(request));
    if (!created.ok() && created.error().type == "phone_unverified") {
      // Only a verified phone may open a shop: confirm the code, then come back.
      return http::Response::Redirect("/xac-minh?next=" +
                                      http::UrlEncode(std::string(kCentre) + "/mo-cua-hang"));
    }
    if (!created.ok()) {
      form.AddErrors(created.error());
      return OpenShopForm(request, form, 422);
    }
    http::Response response =
        http::Response::Redirect(std::string(kCentre) + "?shop=" + std::to_string(created->id));
    return response;
  }

  http::Response OfficerForm(const http::Request& request, const Form& form, int status) {
    nlohmann::json data = CommunePicker(form);
    data["title"] = renderer_.T(request, "officer.title");
    data["form"] = form.View(renderer_.translations(), renderer_.LangOf(request));
    data["noindex"] = true;
    nlohmann::json shops = nlohmann::json::array();
    if (auto list = sellers_.ListForOfficer(*request.principal, "", ""); list.ok()) {
      for (const auto& shop : *list) {
        shops.push_back({{"name", shop.name},
                         {"place", places_.FullName(shop.commune_code)},
                         {"status", renderer_.T(request, std::string("officer.status_") +
                                                             sellers::SellerStatusName(shop.status))},
                         {"url", ShopPath(shop.name, shop.id)},
                         {"manage_url", std::string(kCentre) + "?shop=" + std::to_string(shop.id)},
                         {"assist", shop.officer_assist}});
      }
    } else {
      return renderer_.ErrorPage(request, list.error());
    }
    data["shops"] = std::move(shops);
    data["has_shops"] = !data["shops"].empty();
    if (auto phone = request.Query("da-tao")) data["created"] = *phone;
    return renderer_.Render(request, "officer", std::move(data), status);
  }

  http::Response OfficerPage(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form;
    for (const auto& grant : request.principal->grants) {
      if (grant.role == Role::kCommuneOfficer) {
        form.Set("province", places_.ProvinceOf(grant.scope).value_or(""));
        form.Set("commune_code", grant.scope);
      } else if (grant.role == Role::kProvinceAdmin && form.Value("province").empty()) {
        form.Set("province", grant.scope);
      }
    }
    return OfficerForm(request, form, 200);
  }

  http::Response Onboard(http::Request& request) {
    if (!request.principal) return renderer_.SignInRedirect(request);
    Form form(request);
    if (form.Value("step") == "province") return OfficerForm(request, form, 200);
    form.Required("full_name");
    form.Required("phone");
    form.Required("shop_name");
    form.Required("address_line");
    if (form.Value("commune_code").empty()) form.AddError("commune_code", "errors.choose_commune");
    if (!form.ok()) return OfficerForm(request, form, 422);
    sellers::HouseholdInput input;
    input.full_name = form.Value("full_name");
    input.phone = form.Value("phone");
    input.shop_name = form.Value("shop_name");
    input.commune_code = form.Value("commune_code");
    input.address_line = form.Value("address_line");
    auto onboarded =
        sellers_.OnboardHousehold(*request.principal, input, std::nullopt, accounts::ClientOf(request));
    if (!onboarded.ok()) {
      form.AddErrors(onboarded.error());
      return OfficerForm(request, form, onboarded.error().code == ErrorCode::kForbidden ? 403 : 422);
    }
    return http::Response::Redirect("/can-bo?da-tao=" + http::UrlEncode(onboarded->user.phone));
  }

 private:
  const Renderer& renderer_;
  SellerCentre centre_;
  sellers::SellerService& sellers_;
  catalog::CatalogModule& catalog_;
  orders::OrderService& orders_;
  const places::PlaceService& places_;
};

}  // namespace

void AddSellerPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<SellerPages>(renderer, services);
  const http::RouteOptions read{.max_body = 0};
  const http::RouteOptions form{.max_body = kFormMaxBody};
  const http::RouteOptions photo_form{.max_body = kPhotoFormMaxBody, .csrf_exempt = true};
  const std::string centre(kCentre);
  router.Get(
      centre, [pages](http::Request& r) { return pages->Dashboard(r); }, read);
  router.Get(
      centre + "/san-pham", [pages](http::Request& r) { return pages->ProductList(r); }, read);
  router.Get(
      centre + "/san-pham/moi", [pages](http::Request& r) { return pages->NewProductPage(r); }, read);
  router.Post(
      centre + "/san-pham/moi", [pages](http::Request& r) { return pages->CreateProduct(r); }, photo_form);
  router.Get(
      centre + "/san-pham/{id}", [pages](http::Request& r) { return pages->EditProductPage(r); }, read);
  router.Post(
      centre + "/san-pham/{id}", [pages](http::Request& r) { return pages->UpdateProduct(r); }, photo_form);
  router.Get(
      centre + "/don-hang", [pages](http::Request& r) { return pages->Queue(r); }, read);
  router.Get(
      centre + "/don-hang/{id}", [pages](http::Request& r) { return pages->ShopOrder(r); }, read);
  router.Post(
      centre + "/don-hang/{id}/trang-thai", [pages](http::Request& r) { return pages->MoveOrder(r); }, form);
  router.Get(
      centre + "/cua-hang", [pages](http::Request& r) { return pages->Profile(r); }, read);
  router.Post(
      centre + "/cua-hang", [pages](http::Request& r) { return pages->SaveProfile(r); }, form);
  router.Post(
      centre + "/cua-hang/gui-lai", [pages](http::Request& r) { return pages->Resubmit(r); }, form);
  router.Post(
      centre + "/nhan-vien", [pages](http::Request& r) { return pages->AddStaff(r); }, form);
  router.Post(
      centre + "/nhan-vien/xoa", [pages](http::Request& r) { return pages->RemoveStaff(r); }, form);
  router.Get(
      centre + "/mo-cua-hang", [pages](http::Request& r) { return pages->OpenShopPage(r); }, read);
  router.Post(
      centre + "/mo-cua-hang", [pages](http::Request& r) { return pages->OpenShop(r); }, form);
  router.Get(
      "/dang-ky-ban-hang", [](http::Request&) { return http::Response::Redirect("/kenh-ban/mo-cua-hang"); },
      read);
  router.Get(
      "/can-bo", [pages](http::Request& r) { return pages->OfficerPage(r); }, read);
  router.Post(
      "/can-bo", [pages](http::Request& r) { return pages->Onboard(r); }, form);
}

}  // namespace nongsan::web::detail
