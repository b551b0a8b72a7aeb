#include "printing/label_service.hpp"

namespace nongsan::printing {
namespace {

// The paragraphs of a label in the decree's order after the name.
LabelContent Compose(const ProductInfo& product, const ShopInfo& shop, const std::optional<LotInfo>& lot,
                     std::optional<int> ocop_stars, const std::vector<std::string>& trademarks) {
  const catalog::LabelData& l = product.label;
  LabelContent c;
  c.name = product.name;
  auto add = [&c](const char* field, const char* caption, const std::optional<std::string>& text,
                  bool joins) {
    if (text) c.lines.push_back({field, caption, *text, joins});
  };
  if (ocop_stars) {
    std::string stars;
    for (int i = 0; i < *ocop_stars; ++i) stars += "\u2605";  // ★
    c.lines.push_back({"ocop", "", "OCOP " + stars + " (" + std::to_string(*ocop_stars) + " sao)"});
    c.ocop_stars = ocop_stars;
  }
  add("brand", "Nhãn hiệu:", l.brand, false);
  if (!trademarks.empty()) {
    // The shop's registered trademark, by its certificate number: short, so
    // it shares the brand's paragraph.
    std::string numbers;
    for (const auto& n : trademarks) numbers += (numbers.empty() ? "số " : ", số ") + n;
    c.lines.push_back({"trademark", "Nhãn hiệu đã đăng ký:", numbers, l.brand.has_value()});
  }
  add("net_quantity", "Định lượng:", l.net_quantity, true);
  if (lot) {
    c.lines.push_back({"lot", "Lô:", lot->code, true});
    c.lines.push_back({"lot", "NSX:", timefmt::DisplayIsoDays(lot->produced_day), true});
    if (lot->expires_day) {
      c.lines.push_back({"lot", "HSD:", timefmt::DisplayIsoDays(*lot->expires_day), true});
    } else if (l.shelf_life_days) {
      c.lines.push_back(
          {"shelf_life_days", "HSD:", std::to_string(*l.shelf_life_days) + " ngày kể từ NSX", true});
    }
    c.qr_uri = lot->uri;
  } else if (l.shelf_life_days) {
    c.lines.push_back(
        {"shelf_life_days", "HSD:", std::to_string(*l.shelf_life_days) + " ngày kể từ ngày sản xuất", true});
  }
  add("ingredients", "Thành phần:", l.ingredients, false);
  add("usage_instructions", "Hướng dẫn sử dụng:", l.usage_instructions, false);
  add("storage_instructions", "Bảo quản:", l.storage_instructions, false);
  add("warnings", "Cảnh báo:", l.warnings, false);
  if (!product.origin.empty()) c.lines.push_back({"origin", "Xuất xứ:", product.origin + ", Việt Nam"});
  // The organisation responsible for the goods and its address (decree 43, art. 10).
  c.lines.push_back({"shop", "Chịu trách nhiệm:", shop.name + ", " + shop.address});
  c.gtin = product.gtin;
  return c;
}

Error MissingFieldsError(const std::vector<std::string>& missing, const std::string& category) {
  std::string list;
  for (const auto& f : missing) list += (list.empty() ? "" : ", ") + f;
  Error error = Error::Unprocessable(
      "label_incomplete", "A label of this product (" + category +
                              ") must show what it does not have yet: " + list +
                              ". Fill them in on the product (or the shop's address) before printing.");
  for (const auto& f : missing) error.fields.push_back({f, "is required on this product's label"});
  error.extra["missing"] = missing;
  return error;
}

}  // namespace

Result<ProductInfo> LabelService::Printable(const Principal* principal, std::int64_t product_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto product, products_.Find(product_id));
  if (!product) return Error::NotFound("product");
  if (!shops_.CanManage(principal, product->seller_id)) {
    TRY_ASSIGN(auto shop, shops_.Find(product->seller_id));
    if (!shop || !shops_.OfficerCovers(*principal, shop->commune_code)) return Error::NotFound("product");
  }
  return std::move(*product);
}

Result<LabelContent> LabelService::Content(const Principal* principal, const LabelRequest& request) {
  TRY_ASSIGN(ProductInfo printable, Printable(principal, request.product_id));
  const std::optional<ProductInfo> product(std::move(printable));
  TRY_ASSIGN(auto shop, shops_.Find(product->seller_id));
  if (!shop) return Error::NotFound("product");
  std::optional<LotInfo> lot;
  if (request.lot_id) {
    TRY_ASSIGN(lot, lots_.Find(*request.lot_id));
    if (!lot || lot->product_id != product->id) {
      Error error = Error::Unprocessable("lot_mismatch", "The lot is not a production lot of this product.");
      error.fields.push_back({"lot", "is not a lot of this product"});
      return error;
    }
  }
  catalog::LabelFacts facts;
  facts.category_code = product->category_code;
  facts.has_name = !product->name.empty();
  facts.has_responsible_name = !shop->name.empty();
  facts.has_responsible_address = !shop->address.empty();
  facts.has_origin = !product->origin.empty();
  facts.has_expiry_date = lot && lot->expires_day;
  facts.label = product->label;
  if (auto missing = catalog::MissingLabelFields(facts); !missing.empty()) {
    return MissingFieldsError(missing,
                              catalog::LabelClassName(catalog::LabelClassOf(product->category_code)));
  }
  TRY_ASSIGN(std::optional<int> stars,
             certificates_.OcopStars(product->id, timefmt::LocalDay(clock_.NowMs())));
  TRY_ASSIGN(std::vector<std::string> trademarks, certificates_.TrademarkNumbers(shop->id));
  return Compose(*product, *shop, lot, stars, trademarks);
}

Result<std::string> LabelService::LabelPdf(const Principal* principal, const LabelRequest& request) {
  const LabelSize* size = FindLabelSize(request.size);
  if (size == nullptr) return Error::Field("size", "must be 50x30, 70x50 or 100x70");
  const int copies = request.copies.value_or(request.sheet == Sheet::kA4 ? size->per_sheet() : 1);
  if (copies < 1 || copies > kMaxCopies) {
    return Error::Field("copies", "must be from 1 to " + std::to_string(kMaxCopies));
  }
  TRY_ASSIGN(LabelContent content, Content(principal, request));
  return RenderLabels(content, *size, request.sheet, copies);
}

}  // namespace nongsan::printing
