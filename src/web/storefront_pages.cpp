// Buyer-facing catalogue pages: home, search and category listings with
// facets, suggestions as you type, product, shop and cooperative pages.
#include <cmath>
#include <set>

#include "catalog/catalog_module.hpp"
#include "catalog/categories.hpp"
#include "core/text.hpp"
#include "places/places.hpp"
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

// The buyer's chosen province; until they pick one, "shops near you" shows
// the platform's home province (the `home_province` setting).
constexpr std::string_view kProvinceCookie = "tinh";
constexpr int kProvinceCookieMaxAgeSeconds = 365 * 24 * 3600;
constexpr std::size_t kFeaturedCount = 8;
// Descriptions in meta tags and JSON-LD (search engines show ~160 characters;
// Vietnamese letters take 2–3 bytes each).
constexpr std::size_t kMaxMetaDescriptionBytes = 300;
constexpr std::size_t kNearbyShopCount = 6;
// Products scanned to find distinct shops for the home page.
constexpr std::size_t kNearbyScan = 60;
constexpr std::size_t kSearchPageSize = 20;
constexpr int kShopPageSize = 20;
// Province facets shown before "more".
constexpr std::size_t kMaxProvinceFacets = 12;
constexpr std::size_t kMaxDescriptionParagraphs = 30;
// Reviews shown under #danh-gia on a product page, newest or most helpful first.
constexpr std::size_t kProductReviewsShown = 10;
// ?danh-gia=huu-ich: the most helpful reviews first.
constexpr std::string_view kHelpfulFirst = "huu-ich";

const catalog::Category* CategoryBySlug(std::string_view slug) {
  for (const auto& category : catalog::AllCategories()) {
    if (category.slug == slug) return &category;
  }
  return nullptr;
}

std::string CategoryUrl(const catalog::Category& category) {
  return std::string(kCategoryPrefix) + category.slug;
}

nlohmann::json TopCategories(Lang lang, std::string_view current = "") {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& category : catalog::AllCategories()) {
    if (!category.parent_code.empty()) continue;
    list.push_back({{"name", lang == Lang::kEn ? category.name_en : category.name_vi},
                    {"url", CategoryUrl(category)},
                    {"current", category.code == current}});
  }
  return list;
}

std::string SellerPath(const sellers::Seller& seller) {
  return seller.type == sellers::SellerType::kCooperative ? CoopPath(seller.name, seller.id)
                                                          : ShopPath(seller.name, seller.id);
}

nlohmann::json ShopCard(const sellers::Seller& seller, const places::PlaceService& places) {
  return {{"name", seller.name},
          {"url", SellerPath(seller)},
          {"place", PlaceName(places, seller.commune_code)},
          {"coop", seller.type == sellers::SellerType::kCooperative},
          {"verified", seller.status == sellers::SellerStatus::kVerified}};
}

// Builds a query string from pairs, skipping empty values.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (value.empty()) continue;
    out += out.empty() ? "?" : "&";
    out += http::UrlEncode(name) + "=" + http::UrlEncode(value);
  }
  return out;
}

std::vector<std::string> Paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size() && out.size() < kMaxDescriptionParagraphs) {
    std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out.push_back(std::move(line));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

// Certificate badges as the pages show them: "OCOP 4★", "VietGAP", …, each
// linking to its public verification page (/c/{code}).
nlohmann::json BadgesView(const std::vector<catalog::CertificationBadge>& badges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& b : badges) {
    std::string label = b.label;
    if (b.ocop_stars) label += " " + std::to_string(*b.ocop_stars) + "★";
    out.push_back({{"kind", b.kind},
                   {"label", std::move(label)},
                   {"number", b.number},
                   {"issuer", b.issuer},
                   {"expires_on", b.expires_on},
                   {"url", b.verify_path.empty() ? b.verify_url : b.verify_path}});
  }
  return out;
}

// "4,5" (Vietnamese) or "4.5": one decimal.
std::string OneDecimal(double value, Lang lang) {
  const auto tenths = static_cast<std::int64_t>(value * 10 + 0.5);
  return std::to_string(tenths / 10) + (lang == Lang::kVi ? "," : ".") + std::to_string(tenths % 10);
}

std::string PercentText(double share, Lang lang) { return OneDecimal(share * 100, lang) + "%"; }

class StorefrontPages {
 public:
  StorefrontPages(const Renderer& renderer, const PageServices& services)
      : renderer_(renderer),
        catalog_(*services.catalog),
        sellers_(*services.sellers),
        places_(*services.places),
        quality_(services.quality) {}

  http::Response Home(http::Request& request) {
    const Lang lang = renderer_.LangOf(request);
    std::string province = renderer_.home_province();
    bool province_chosen = false;
    if (auto cookie = request.Cookie(kProvinceCookie); cookie && places_.IsProvince(*cookie))
      province = *cookie;
    if (auto query = request.Query("tinh"); query && places_.IsProvince(*query)) {
      province = *query;
      province_chosen = true;
    }

    catalog::SearchRequest featured_request;
    featured_request.limit = kFeaturedCount;
    nlohmann::json featured = nlohmann::json::array();
    if (auto page = catalog_.search.Search(featured_request); page.ok()) {
      for (const auto& product : page->products) featured.push_back(ProductCard(product, places_));
    }

    catalog::SearchRequest nearby_request;
    nearby_request.province_code = province;
    nearby_request.limit = kNearbyScan;
    nlohmann::json shops = nlohmann::json::array();
    if (auto page = catalog_.search.Search(nearby_request); page.ok()) {
      std::set<std::int64_t> seen;
      for (const auto& product : page->products) {
        if (shops.size() == kNearbyShopCount) break;
        if (!seen.insert(product.seller_id).second) continue;
        if (auto seller = sellers_.Get(product.seller_id); seller.ok())
          shops.push_back(ShopCard(*seller, places_));
      }
    }

    nlohmann::json provinces = nlohmann::json::array();
    for (const auto& unit : places_.Children("")) {
      provinces.push_back({{"code", unit.code}, {"name", unit.name}, {"selected", unit.code == province}});
    }
    nlohmann::json data = {{"categories", TopCategories(lang)},
                           {"featured", std::move(featured)},
                           {"has_featured", true},
                           {"shops", std::move(shops)},
                           {"province_name", PlaceName(places_, province)},
                           {"provinces", std::move(provinces)},
                           {"canonical", "/"}};
    data["has_featured"] = !data["featured"].empty();
    data["has_shops"] = !data["shops"].empty();
    http::Response response = renderer_.Render(request, "home", std::move(data));
    if (province_chosen) {
      response.AddCookie(std::string(kProvinceCookie) + "=" + province + "; Path=/; Max-Age=" +
                         std::to_string(kProvinceCookieMaxAgeSeconds) + "; SameSite=Lax");
    }
    return response;
  }

  http::Response Search(http::Request& request, const catalog::Category* fixed_category) {
    const Lang lang = renderer_.LangOf(request);
    catalog::SearchParams params;
    params.q = request.Query("q");
    params.category =
        fixed_category ? std::optional<std::string>(fixed_category->code) : request.Query("category");
    params.province = request.Query("province");
    params.price_min = request.Query("price_min");
    params.price_max = request.Query("price_max");
    params.sort = request.Query("sort");
    params.cursor = request.Query("cursor");
    params.ocop_min = request.Query("ocop_min");
    params.certified = request.Query("certified");
    params.limit = std::to_string(kSearchPageSize);
    for (auto* value : {&params.category, &params.province, &params.price_min, &params.price_max,
                        &params.sort, &params.cursor, &params.ocop_min, &params.certified}) {
      if (*value && value->value().empty()) value->reset();
    }

    const std::string q = params.q.value_or("");
    const std::string category = params.category.value_or("");
    const std::string province = params.province.value_or("");
    const std::string sort = params.sort.value_or("");
    const std::string base_path = fixed_category ? CategoryUrl(*fixed_category) : std::string(kSearchPath);
    // Links keep every other filter; a facet link replaces its own.
    auto link = [&](std::string category_code, std::string province_code, std::string sort_name) {
      std::vector<std::pair<std::string, std::string>> pairs = {{"q", q}};
      if (!fixed_category) pairs.emplace_back("category", category_code);
      pairs.emplace_back("province", province_code);
      pairs.emplace_back("price_min", params.price_min.value_or(""));
      pairs.emplace_back("price_max", params.price_max.value_or(""));
      pairs.emplace_back("sort", sort_name);
      pairs.emplace_back("ocop_min", params.ocop_min.value_or(""));
      pairs.emplace_back("certified", params.certified.value_or(""));
      return base_path + QueryString(pairs);
    };

    nlohmann::json data = {
        {"query", q},
        {"canonical", base_path + QueryString({{"q", q}})},
        {"noindex", !fixed_category},
        {"categories", TopCategories(lang, fixed_category ? fixed_category->code : category)},
        {"price_min", params.price_min.value_or("")},
        {"price_max", params.price_max.value_or("")},
        {"fixed_category", fixed_category != nullptr},
        {"category_code", category},
        {"province_code", province},
        {"action", base_path}};
    std::string title =
        fixed_category ? CategoryName(fixed_category->code, lang)
                       : (q.empty() ? renderer_.translations().Get(lang, "search.title")
                                    : renderer_.translations().Format(lang, "search.title_for", {{"q", q}}));
    data["title"] = title;
    data["heading"] = title;

    nlohmann::json sorts = nlohmann::json::array();
    for (const char* name : {"relevance", "price_asc", "price_desc", "newest"}) {
      sorts.push_back(
          {{"value", name},
           {"label", renderer_.translations().Get(lang, std::string("search.sort_") + name)},
           {"selected", sort == name || (sort.empty() && std::string_view(name) == "relevance")}});
    }
    data["sorts"] = std::move(sorts);

    auto parsed = catalog_.search.ParseSearchParams(params);
    if (!parsed.ok()) {
      data["error"] = renderer_.translations().Get(lang, "search.bad_filter");
      data["results"] = nlohmann::json::array();
      data["total"] = 0;
      return renderer_.Render(request, "search", std::move(data), 400);
    }
    auto page = catalog_.search.Search(*parsed);
    if (!page.ok()) return renderer_.ErrorPage(request, page.error());

    nlohmann::json results = nlohmann::json::array();
    for (const auto& product : page->products) results.push_back(ProductCard(product, places_));
    data["results"] = std::move(results);
    data["has_results"] = !page->products.empty();
    data["total"] = page->response.total;
    data["count_text"] =
        renderer_.translations().Format(lang, "search.count", {{"n", std::to_string(page->response.total)}});

    // Category facets: leaf counts rolled up to the top-level categories.
    if (!fixed_category) {
      std::map<std::string, std::uint32_t> top_counts;
      for (const auto& facet : page->response.categories) {
        const catalog::Category* leaf = catalog::FindCategory(facet.code);
        if (!leaf) continue;
        top_counts[leaf->parent_code.empty() ? leaf->code : leaf->parent_code] += facet.count;
      }
      nlohmann::json facets = nlohmann::json::array();
      for (const auto& top : catalog::AllCategories()) {
        if (!top.parent_code.empty() || !top_counts.contains(top.code)) continue;
        const bool selected = category == top.code;
        facets.push_back({{"name", CategoryName(top.code, lang)},
                          {"count", top_counts[top.code]},
                          {"selected", selected},
                          {"url", link(selected ? "" : top.code, province, sort)}});
      }
      data["category_facets"] = std::move(facets);
      data["has_category_facets"] = !data["category_facets"].empty();
    }
    nlohmann::json province_facets = nlohmann::json::array();
    for (const auto& facet : page->response.provinces) {
      if (province_facets.size() == kMaxProvinceFacets) break;
      const bool selected = province == facet.code;
      province_facets.push_back({{"name", PlaceName(places_, facet.code)},
                                 {"count", facet.count},
                                 {"selected", selected},
                                 {"url", link(category, selected ? "" : facet.code, sort)}});
    }
    data["province_facets"] = std::move(province_facets);
    data["has_province_facets"] = !data["province_facets"].empty();
    // Certificate filters (verified and valid today), with how many products each would give.
    if (page->certifications) {
      const std::string ocop_min = params.ocop_min.value_or("");
      const std::string certified = params.certified.value_or("");
      nlohmann::json ocop = nlohmann::json::array();
      for (const auto& facet : page->response.ocop_min) {
        ocop.push_back(
            {{"value", facet.code},
             {"label", renderer_.translations().Format(lang, "search.ocop_at_least", {{"n", facet.code}}) +
                           " (" + std::to_string(facet.count) + ")"},
             {"selected", facet.code == ocop_min}});
      }
      nlohmann::json kinds = nlohmann::json::array();
      for (const auto& facet : page->response.certified) {
        if (facet.count == 0 && facet.code != certified) continue;
        kinds.push_back({{"value", facet.code},
                         {"label", renderer_.translations().Get(lang, "search.cert_" + facet.code) + " (" +
                                       std::to_string(facet.count) + ")"},
                         {"selected", facet.code == certified}});
      }
      data["ocop_options"] = std::move(ocop);
      data["cert_options"] = std::move(kinds);
      data["has_cert_filters"] = true;
    }
    if (page->response.next) {
      std::string next = link(category, province, sort);
      next += (next.find('?') == std::string::npos ? "?" : "&");
      next += "cursor=" + http::UrlEncode(catalog::EncodeCursor(*page->response.next));
      data["next_url"] = next;
    }
    if (params.cursor) data["first_url"] = link(category, province, sort);
    return renderer_.Render(request, "search", std::move(data));
  }

  http::Response Category(http::Request& request) {
    const catalog::Category* category = CategoryBySlug(request.Param("slug"));
    if (category == nullptr) return renderer_.NotFound(request);
    return Search(request, category);
  }

  // Suggestions as you type, for app.js: {items: [{name, url}]}.
  http::Response Suggest(http::Request& request) {
    const Lang lang = renderer_.LangOf(request);
    nlohmann::json items = nlohmann::json::array();
    auto q = request.Query("q");
    if (q && !q->empty()) {
      if (auto suggestions = catalog_.search.Suggest(*q); suggestions.ok()) {
        for (const auto& code : suggestions->category_codes) {
          const catalog::Category* category = catalog::FindCategory(code);
          if (category)
            items.push_back({{"name", CategoryName(code, lang)}, {"url", CategoryUrl(*category)}});
        }
        for (const auto& product : suggestions->products) {
          items.push_back({{"name", product.name}, {"url", ProductPath(product.name, product.id)}});
        }
      }
    }
    http::Response response = http::Response::Json(200, {{"items", std::move(items)}});
    response.SetHeader("Cache-Control", "no-cache");
    return response;
  }

  http::Response Product(http::Request& request) {
    const Lang lang = renderer_.LangOf(request);
    auto id = IdFromSlug(request.Param("slug"));
    if (!id) return renderer_.NotFound(request);
    const Principal* who = request.principal ? &*request.principal : nullptr;
    auto product = catalog_.catalog.Get(who, *id);
    if (!product.ok()) return renderer_.ErrorPage(request, product.error());
    const std::string path = ProductPath(product->name, product->id);
    if (request.path != path)
      return http::Response::Redirect(path + QueryString({{"lang", request.Query("lang").value_or("")}}),
                                      301);

    const std::string url = renderer_.base_url() + path;
    nlohmann::json photos = nlohmann::json::array();
    nlohmann::json images = nlohmann::json::array();
    for (const auto& photo : product->photos) {
      const int width = kCardPhotoWidth;
      const int height = photo.width > 0
                             ? static_cast<int>(static_cast<std::int64_t>(photo.height) * width / photo.width)
                             : width;
      photos.push_back(
          {{"src", PhotoUrl(photo.key, kCardPhotoWidth)},
           {"srcset", PhotoUrl(photo.key, kCardPhotoWidth) + " " + std::to_string(kCardPhotoWidth) + "w, " +
                          PhotoUrl(photo.key, kLargePhotoWidth) + " " + std::to_string(kLargePhotoWidth) +
                          "w"},
           {"width", width},
           {"height", height},
           {"lazy", !photos.empty()}});
      images.push_back(renderer_.base_url() + PhotoUrl(photo.key, kLargePhotoWidth));
    }

    nlohmann::json shop = false;
    std::string shop_name;
    if (auto seller = sellers_.Get(product->seller_id); seller.ok()) {
      shop = ShopCard(*seller, places_);
      shop_name = seller->name;
    }
    const catalog::Category* category = catalog::FindCategory(product->category_code);
    const catalog::Category* top =
        category && !category->parent_code.empty() ? catalog::FindCategory(category->parent_code) : category;
    const std::string origin = places_.FullName(product->origin_commune);
    const bool in_stock = product->stock > 0 && product->IsPublic();

    nlohmann::json offer = {
        {"@type", "Offer"},
        {"price", product->price_vnd},
        {"priceCurrency", "VND"},
        {"url", url},
        {"availability", in_stock ? "https://schema.org/InStock" : "https://schema.org/OutOfStock"}};
    nlohmann::json jsonld = {{"@context", "https://schema.org"},
                             {"@type", "Product"},
                             {"name", product->name},
                             {"description", product->description},
                             {"sku", product->sku},
                             {"url", url},
                             {"offers", offer}};
    if (!images.empty()) jsonld["image"] = images;
    if (product->gtin) jsonld["gtin13"] = *product->gtin;
    if (!shop_name.empty()) jsonld["brand"] = {{"@type", "Brand"}, {"name", shop_name}};
    if (category) jsonld["category"] = CategoryName(category->code, lang);
    if (!origin.empty()) jsonld["countryOfOrigin"] = "VN";

    std::string description = text::Truncate(product->description, kMaxMetaDescriptionBytes, "…");
    if (description.empty())
      description = product->name + " — " + Price(product->price_vnd) + "/" + product->unit;
    nlohmann::json paragraphs = nlohmann::json::array();
    for (auto& line : Paragraphs(product->description)) paragraphs.push_back(std::move(line));

    nlohmann::json badges = nlohmann::json::array();
    if (catalog::CertificationSource* source = catalog_.search.certifications()) {
      auto found = source->ProductBadges({product->id});
      if (!found.ok()) return renderer_.ErrorPage(request, found.error());
      if (auto it = found->find(product->id); it != found->end()) badges = BadgesView(it->second);
    }
    nlohmann::json rating = false;
    nlohmann::json reviews = false;
    nlohmann::json trademarks = nlohmann::json::array();
    if (quality_) {
      auto granted = quality_->certificates.GrantedTrademarks(product->seller_id);
      if (!granted.ok()) return renderer_.ErrorPage(request, granted.error());
      for (const auto& t : *granted) trademarks.push_back({{"number", t.number}, {"url", t.verify_url}});
      auto summary = quality_->reviews.ProductRating(product->id);
      if (!summary.ok()) return renderer_.ErrorPage(request, summary.error());
      rating = RatingView(*summary, lang);
      const bool by_helpful = request.Query("danh-gia").value_or("") == kHelpfulFirst;
      auto shown = by_helpful ? MostHelpfulReviews(product->id)
                              : quality_->reviews.ForProduct(product->id, "", kProductReviewsShown);
      if (!shown.ok()) return renderer_.ErrorPage(request, shown.error());
      reviews = ProductReviewsView(shown->items, renderer_.translations(), lang);
      if (!AddHelpfulCounts(reviews, shown->items))
        return renderer_.ErrorPage(request, Error::Unavailable("reviews"));
      reviews["sorts"] = {{{"label", renderer_.T(request, "reviews.sort_newest")},
                           {"href", ProductPath(product->name, product->id) + "#danh-gia"},
                           {"current", !by_helpful}},
                          {{"label", renderer_.T(request, "reviews.sort_helpful")},
                           {"href", ProductPath(product->name, product->id) +
                                        "?danh-gia=" + std::string(kHelpfulFirst) + "#danh-gia"},
                           {"current", by_helpful}}};
      if (summary->count > 0) {
        jsonld["aggregateRating"] = {{"@type", "AggregateRating"},
                                     {"ratingValue", std::round(summary->average * 10) / 10},
                                     {"reviewCount", summary->count}};
      }
    }

    nlohmann::json data = {
        {"title", product->name},
        {"description", description},
        {"canonical", path},
        {"jsonld", std::move(jsonld)},
        {"og",
         {{"type", "product"},
          {"title", product->name},
          {"description", description},
          {"url", url},
          {"image", images.empty() ? nlohmann::json(false) : images[0]}}},
        {"product",
         {{"id", product->id},
          {"name", product->name},
          {"price", Price(product->price_vnd)},
          {"unit", product->unit},
          {"stock", product->stock},
          {"in_stock", in_stock},
          {"stock_text", in_stock ? renderer_.translations().Format(
                                        lang, "product.in_stock",
                                        {{"n", std::to_string(product->stock)}, {"unit", product->unit}})
                                  : renderer_.translations().Get(lang, "product.out_of_stock")},
          {"max_quantity", std::max<std::int64_t>(1, product->stock)},
          {"photos", std::move(photos)},
          {"has_photos", !product->photos.empty()},
          {"paragraphs", std::move(paragraphs)},
          {"origin", origin},
          {"gtin", product->gtin.value_or("")},
          {"sku", product->sku},
          {"weight", product->weight_grams > 0 ? std::to_string(product->weight_grams) + " g" : ""},
          {"has_badges", !badges.empty()},
          {"badges", std::move(badges)},
          {"trademarks", std::move(trademarks)},
          {"rating", std::move(rating)}}},
        {"shop", std::move(shop)},
        {"category", category ? nlohmann::json{{"name", CategoryName(category->code, lang)},
                                               {"url", CategoryUrl(*category)}}
                              : nlohmann::json(false)},
        {"top_category", top && top != category ? nlohmann::json{{"name", CategoryName(top->code, lang)},
                                                                 {"url", CategoryUrl(*top)}}
                                                : nlohmann::json(false)},
        {"share_url", url},
        {"share_sms", "sms:?&body=" + http::UrlEncode(product->name + " " + url)},
        {"added", request.Query("da-them").has_value()},
        {"reviews", std::move(reviews)},
        {"reviewed", request.Query("da-danh-gia").has_value()},
        {"reported", request.Query("da-bao-cao").has_value()},
        {"report_failed", request.Query("loi-bao-cao").has_value()},
        {"voted", request.Query("huu-ich").value_or("") == "1"},
        {"vote_refused", request.Query("huu-ich").value_or("") == "already_voted"
                             ? renderer_.T(request, "reviews.already_voted")
                         : request.Query("huu-ich").value_or("") == "own_review"
                             ? renderer_.T(request, "reviews.own_review")
                             : ""},
    };
    return renderer_.Render(request, "product", std::move(data));
  }

  http::Response Seller(http::Request& request, bool coop_path) {
    const Lang lang = renderer_.LangOf(request);
    auto id = IdFromSlug(request.Param("slug"));
    if (!id) return renderer_.NotFound(request);
    const Principal* who = request.principal ? &*request.principal : nullptr;
    auto access = sellers_.View(who, *id);
    if (!access.ok()) return renderer_.ErrorPage(request, access.error());
    const sellers::Seller& seller = access->seller;
    const bool coop = seller.type == sellers::SellerType::kCooperative;
    const std::string path = SellerPath(seller);
    if (request.path != path || coop != coop_path) return http::Response::Redirect(path, 301);

    catalog::SellerListOptions options;
    options.limit = kShopPageSize;
    options.include_members = coop;
    if (auto before = request.Query("truoc")) options.before_id = ParseCount(*before).value_or(0);
    nlohmann::json products = nlohmann::json::array();
    std::string next_url;
    if (auto page = catalog_.catalog.ListForSeller(who, seller.id, options); page.ok()) {
      for (const auto& product : page->items) {
        if (product.IsPublic()) products.push_back(ProductCard(product, places_));
      }
      if (page->next_before_id) next_url = path + "?truoc=" + std::to_string(*page->next_before_id);
    }
    nlohmann::json members = nlohmann::json::array();
    if (coop) {
      if (auto list = sellers_.ListMembers(seller.id); list.ok()) {
        for (const auto& membership : *list) members.push_back(ShopCard(membership.member, places_));
      }
    }
    nlohmann::json paragraphs = nlohmann::json::array();
    for (auto& line : Paragraphs(seller.description)) paragraphs.push_back(std::move(line));
    nlohmann::json badges = nlohmann::json::array();
    if (catalog::CertificationSource* source = catalog_.search.certifications()) {
      auto found = source->SellerBadges(seller.id);
      if (!found.ok()) return renderer_.ErrorPage(request, found.error());
      badges = BadgesView(*found);
    }
    nlohmann::json reputation = false;
    if (quality_) {
      auto figures = quality_->complaints.ShopReputation(seller.id);
      if (!figures.ok()) return renderer_.ErrorPage(request, figures.error());
      reputation = ReputationView(*figures, lang);
    }
    const std::string kind_key =
        coop ? "shop.kind_coop"
             : (seller.type == sellers::SellerType::kEnterprise ? "shop.kind_enterprise"
                                                                : "shop.kind_household");
    nlohmann::json data = {
        {"title", seller.name},
        {"description", seller.description.empty()
                            ? seller.name
                            : text::Truncate(seller.description, kMaxMetaDescriptionBytes, "…")},
        {"canonical", path},
        {"og",
         {{"type", "website"},
          {"title", seller.name},
          {"description", seller.name},
          {"url", renderer_.base_url() + path},
          {"image", false}}},
        {"shop",
         {{"name", seller.name},
          {"kind", renderer_.translations().Get(lang, kind_key)},
          {"place", places_.FullName(seller.commune_code)},
          {"address", seller.address_line},
          {"verified", seller.status == sellers::SellerStatus::kVerified},
          {"suspended", seller.status == sellers::SellerStatus::kSuspended},
          {"paragraphs", std::move(paragraphs)},
          {"since", Date(seller.created_at)},
          {"has_badges", !badges.empty()},
          {"badges", std::move(badges)},
          {"reputation", std::move(reputation)}}},
        {"products", std::move(products)},
        {"members", std::move(members)},
        {"coop", coop},
    };
    data["has_products"] = !data["products"].empty();
    data["has_members"] = !data["members"].empty();
    if (!next_url.empty()) data["next_url"] = next_url;
    return renderer_.Render(request, "shop", std::move(data));
  }

 private:
  // {count, average, text} or, without reviews, {count: 0, text}.
  nlohmann::json RatingView(const quality::RatingSummary& rating, Lang lang) const {
    const auto& t = renderer_.translations();
    if (rating.count == 0)
      return {{"count", 0}, {"has_reviews", false}, {"text", t.Get(lang, "product.no_reviews")}};
    const std::string average = OneDecimal(rating.average, lang);
    return {{"count", rating.count},
            {"has_reviews", true},
            {"average", average},
            {"text",
             t.Format(lang, "product.rating", {{"average", average}, {"n", std::to_string(rating.count)}})}};
  }

  // The shop's reputation figures (GET /api/v1/sellers/{id}/reputation), as
  // label/value rows; a figure the shop has no data for is left out.
  nlohmann::json ReputationView(const quality::Reputation& r, Lang lang) const {
    const auto& t = renderer_.translations();
    nlohmann::json rows = nlohmann::json::array();
    rows.push_back({{"label", t.Get(lang, "shop.rating")}, {"value", RatingView(r.rating, lang)["text"]}});
    if (r.on_time_share)
      rows.push_back(
          {{"label", t.Get(lang, "shop.on_time")}, {"value", PercentText(*r.on_time_share, lang)}});
    if (r.cancellation_rate) {
      rows.push_back(
          {{"label", t.Get(lang, "shop.cancellations")}, {"value", PercentText(*r.cancellation_rate, lang)}});
    }
    rows.push_back({{"label", t.Get(lang, "shop.complaints")},
                    {"value", t.Format(lang, "shop.complaints_value",
                                       {{"n", std::to_string(r.complaints)},
                                        {"answered", std::to_string(r.complaints_answered)}})}});
    if (r.median_response_hours) {
      rows.push_back({{"label", t.Get(lang, "shop.response_hours")},
                      {"value", OneDecimal(*r.median_response_hours, lang)}});
    }
    return {{"window", t.Format(lang, "shop.reputation", {{"days", std::to_string(r.window_days)}})},
            {"rows", std::move(rows)}};
  }

  const Renderer& renderer_;
  catalog::CatalogModule& catalog_;
  sellers::SellerService& sellers_;
  const places::PlaceService& places_;
  // The product's most helpful published reviews, in that order.
  Result<quality::ReviewPage> MostHelpfulReviews(std::int64_t product_id) {
    TRY_ASSIGN(std::vector<std::int64_t> ids, quality_->votes.MostHelpful(product_id, kProductReviewsShown));
    quality::ReviewPage page;
    for (std::int64_t id : ids) {
      TRY_ASSIGN(quality::Review review, quality_->reviews.Get(nullptr, id));
      page.items.push_back(std::move(review));
    }
    return page;
  }

  // Each review's "hữu ích" count and the form to add one.
  bool AddHelpfulCounts(nlohmann::json& view, const std::vector<quality::Review>& reviews) {
    std::vector<std::int64_t> ids;
    for (const auto& review : reviews) ids.push_back(review.id);
    auto counts = quality_->votes.Counts(ids);
    if (!counts.ok()) return false;
    for (auto& item : view["items"]) {
      const std::int64_t id = item["id"].get<std::int64_t>();
      const auto it = counts->find(id);
      item["helpful"] = it == counts->end() ? 0 : it->second;
      item["has_helpful"] = it != counts->end() && it->second > 0;
      item["helpful_url"] = "/danh-gia/" + std::to_string(id) + "/huu-ich";
    }
    return true;
  }

  quality::QualityModule* quality_;  // reviews and reputation; null without the quality module
};

}  // namespace

void AddStorefrontPages(http::Router& router, const Renderer& renderer, const PageServices& services) {
  auto pages = std::make_shared<StorefrontPages>(renderer, services);
  const http::RouteOptions read{.max_body = 0};
  router.Get(
      "/", [pages](http::Request& r) { return pages->Home(r); }, read);
  router.Get(
      std::string(kSearchPath), [pages](http::Request& r) { return pages->Search(r, nullptr); }, read);
  router.Get(
      std::string(kCategoryPrefix) + "{slug}", [pages](http::Request& r) { return pages->Category(r); },
      read);
  router.Get(
      "/goi-y", [pages](http::Request& r) { return pages->Suggest(r); }, read);
  router.Get(
      std::string(kProductPrefix) + "{slug}", [pages](http::Request& r) { return pages->Product(r); }, read);
  router.Get(
      std::string(kShopPrefix) + "{slug}", [pages](http::Request& r) { return pages->Seller(r, false); },
      read);
  router.Get(
      std::string(kCoopPrefix) + "{slug}", [pages](http::Request& r) { return pages->Seller(r, true); },
      read);
}

}  // namespace nongsan::web::detail
