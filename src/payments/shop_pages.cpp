#include "payments/shop_pages.hpp"

#include <charconv>
#include <map>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "http/multipart.hpp"
#include "payments/payments_module.hpp"
#include "web/renderer.hpp"

namespace nongsan::payments {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kShopBase = "/kenh-ban/cua-hang/";
constexpr std::string_view kPage = "/thanh-toan";
constexpr std::string_view kOperatorPage = "/can-bo/thanh-toan";
constexpr std::size_t kFormMaxBody = 16 * 1024;
// Unmatched transfers shown on the page (the API lists more).
constexpr std::size_t kUnmatchedShown = 50;

const std::map<std::string, std::string, std::less<>>& AccountMessages() {
  static const std::map<std::string, std::string, std::less<>> messages = {
      {"bank_bin", "Chọn ngân hàng trong danh sách."},
      {"account_number", "Số tài khoản chỉ gồm chữ số (6 đến 19 số)."},
      {"account_name", "Nhập tên chủ tài khoản (tối đa 100 ký tự)."},
      {"password", "Mật khẩu không đúng."},
  };
  return messages;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::string Base(std::int64_t seller_id) {
  return std::string(kShopBase) + std::to_string(seller_id) + std::string(kPage);
}

// The two date fields of a filter (?tu=, ?den=) as the date_field partial
// shows them, each with its error ("" for none) beside it.
json DateRangeFields(const std::string& from, const std::string& from_error, const std::string& to,
                     const std::string& to_error) {
  auto field = [](const char* name, const char* label, const std::string& value, const std::string& error) {
    json f = {{"date_name", name}, {"date_label", label}, {"date_value", value}, {"date_error", false}};
    if (!error.empty()) f["date_error"] = error;
    return f;
  };
  return json::array({field("tu", "Từ ngày", from, from_error), field("den", "Đến ngày", to, to_error)});
}

class ShopPages {
 public:
  ShopPages(const web::Renderer& renderer, PaymentsModule& module)
      : renderer_(renderer), payments_(module.payments), sellers_(module.payments.sellers()) {}

  // The page, with `extra` (a form's input and errors, a notice) merged in.
  Response Show(const Request& req, std::int64_t seller_id, json extra, int status) {
    const Principal& p = *req.principal;
    auto access = sellers_.AccessFor(&p, seller_id);
    if (!access.ok()) return renderer_.ErrorPage(req, access.error());
    auto may = payments_.MaySeeMoney(&p, seller_id);
    if (!may.ok() || !*may) return renderer_.NotFound(req);
    auto account = payments_.GetPayoutAccount(&p, seller_id);
    auto methods = payments_.AcceptedMethods(seller_id);
    auto ledger = payments_.Ledger(&p, seller_id);
    auto unmatched = payments_.Unmatched(&p, seller_id);
    if (!account.ok() || !methods.ok() || !ledger.ok() || !unmatched.ok()) {
      return renderer_.ErrorPage(req, Error::Internal("payments page"));
    }
    json data = {{"title", "Thanh toán · " + access->seller.name},
                 {"noindex", true},
                 {"shop_name", access->seller.name},
                 {"base", Base(seller_id)},
                 {"is_owner", access->capacity == sellers::Capacity::kOwner},
                 {"balance", money::FormatVnd((*ledger)["balance_vnd"].get<std::int64_t>())}};
    const std::string chosen_bin = *account ? (*account)->bank_bin : "";
    if (*account) {
      data["account"] = {{"bank_name", (*account)->bank_name},
                         {"account_number", (*account)->account_number},
                         {"account_name", (*account)->account_name}};
    }
    json banks = json::array();
    for (const Bank& b : payments_.banks().all()) {
      banks.push_back({{"bin", b.bin},
                       {"short_name", b.short_name},
                       {"name", b.name},
                       {"selected", b.bin == chosen_bin}});
    }
    data["banks"] = std::move(banks);
    json offered = json::array();
    auto has = [&](const char* m) {
      return std::find(methods->begin(), methods->end(), m) != methods->end();
    };
    offered.push_back({{"value", "vietqr"},
                       {"label", "Chuyển khoản VietQR vào tài khoản của cửa hàng"},
                       {"checked", has("vietqr")}});
    if (payments_.GatewayConfigured("vnpay"))
      offered.push_back({{"value", "vnpay"}, {"label", "VNPay"}, {"checked", has("vnpay")}});
    if (payments_.GatewayConfigured("momo"))
      offered.push_back({{"value", "momo"}, {"label", "Ví MoMo"}, {"checked", has("momo")}});
    data["methods"] = std::move(offered);
    json rows = json::array();
    for (const json& u : *unmatched) {
      if (rows.size() >= kUnmatchedShown) break;
      rows.push_back({{"amount", money::FormatVnd(u.value("amount_vnd", std::int64_t{0}))},
                      {"at", u.value("transferred_at", "").substr(0, 16)},
                      {"description", u.value("description", "")}});
    }
    data["has_unmatched"] = !rows.empty();
    data["unmatched"] = std::move(rows);
    if (access->seller.type == sellers::SellerType::kCooperative)
      data["coop"] = MemberShares(req, p, seller_id);
    if (req.Query("da-luu")) data["saved"] = "Đã lưu.";
    data.update(extra);
    return renderer_.Render(req, "payments/shop", std::move(data), status);
  }

  // A cooperative's members and their share over ?tu=&den= (its month by
  // default); a bad date is shown beside its field.
  json MemberShares(const Request& req, const Principal& p, std::int64_t coop_id) {
    const std::string from = req.Query("tu").value_or("");
    const std::string to = req.Query("den").value_or("");
    auto shares = payments_.MemberShares(&p, coop_id, from, to);
    if (!shares.ok()) {
      if (shares.error().fields.empty()) return {{"failed", true}};
      std::string from_error;
      std::string to_error;
      for (const FieldError& f : shares.error().fields) {
        const bool order = f.message.rfind("Must not", 0) == 0;
        const bool length = f.message.rfind("At most", 0) == 0;
        (f.field == "from" ? from_error : to_error) =
            order    ? "Ngày bắt đầu không được sau ngày kết thúc."
            : length ? "Tối đa " + std::to_string(kMaxShareRangeDays) + " ngày."
                     : "Nhập ngày theo dạng năm-tháng-ngày, ví dụ 2026-11-30.";
      }
      return {{"date_fields", DateRangeFields(from, from_error, to, to_error)}, {"date_invalid", true}};
    }
    json view = {{"date_fields", DateRangeFields((*shares)["from"].get<std::string>(), "",
                                                 (*shares)["to"].get<std::string>(), "")}};
    view["csv"] = "/api/v1/sellers/" + std::to_string(coop_id) +
                  "/ledger/members.csv?from=" + (*shares)["from"].get<std::string>() +
                  "&to=" + (*shares)["to"].get<std::string>();
    auto sums = [](const json& row) {
      json out = json::object();
      for (const char* k : {"sales_vnd", "commission_vnd", "refunds_vnd", "net_vnd", "balance_vnd"}) {
        out[std::string(k).substr(0, std::string(k).size() - 4)] =
            money::FormatVnd(row.value(k, std::int64_t{0}));
      }
      return out;
    };
    json rows = json::array();
    for (const json& m : (*shares)["members"]) {
      json row = sums(m);
      const std::int64_t member = m["member_id"];
      row["name"] = m["name"];
      // The member's own statement, for those who may open it (its coop managers).
      if (sellers_.CanManage(&p, member)) row["link"] = Base(member);
      rows.push_back(std::move(row));
    }
    view["has_members"] = !rows.empty();
    view["members"] = std::move(rows);
    view["totals"] = sums((*shares)["totals"]);
    return view;
  }

  Response Page(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    return Show(req, *id, json::object(), 200);
  }

  Response SetAccount(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    auto value = [&](const char* name) { return req.Form(name).value_or(""); };
    PayoutAccountInput input{value("bank_bin"), value("account_number"), value("account_name"),
                             value("password")};
    auto set = payments_.SetPayoutAccount(*req.principal, *id, input, req.remote_ip);
    if (set.ok()) return Response::Redirect(Base(*id) + "?da-luu=1");
    const Error& error = set.error();
    if (error.code != ErrorCode::kInvalid) return renderer_.ErrorPage(req, error);
    json form = {{"account_number", {{"value", input.account_number}}},
                 {"account_name", {{"value", input.account_name}}},
                 {"has_errors", true}};
    for (const auto& f : error.fields) {
      auto message = AccountMessages().find(f.field);
      form[f.field]["error"] = message != AccountMessages().end() ? message->second : "Giá trị không hợp lệ.";
      form[f.field]["invalid"] = true;
    }
    return Show(req, *id, {{"account_form", std::move(form)}}, 422);
  }

  Response SetMethods(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    std::vector<std::string> methods{"cod"};
    for (auto& [key, value] : http::ParseUrlEncoded(req.body)) {
      if (key == "methods") methods.push_back(value);
    }
    auto set = payments_.SetAcceptedMethods(*req.principal, *id, methods, req.remote_ip);
    if (set.ok()) return Response::Redirect(Base(*id) + "?da-luu=1");
    if (set.error().code != ErrorCode::kInvalid) return renderer_.ErrorPage(req, set.error());
    return Show(req, *id,
                {{"methods_error",
                  "Cần lưu tài khoản nhận tiền trước khi nhận VietQR; cổng thanh toán chưa được sàn "
                  "cấu hình thì chưa chọn được."}},
                422);
  }

  Response ImportStatement(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto id = ParseId(req.Param("id"));
    if (!id) return renderer_.NotFound(req);
    auto parts = http::ParseMultipart(req);
    const http::MultipartPart* token = parts.ok() ? http::FindPart(*parts, "csrf_token") : nullptr;
    const std::string expected = renderer_.CsrfToken(req);
    if (token == nullptr || expected.empty() || !ids::SecureEquals(token->data, expected)) {
      return renderer_.ErrorPage(req, Error::Forbidden());
    }
    const http::MultipartPart* file = http::FindPart(*parts, "statement");
    const std::string_view csv = file != nullptr ? file->data : std::string_view();
    auto imported = payments_.ImportShopStatement(*req.principal, *id, csv, req.remote_ip);
    if (imported.ok()) {
      return Show(req, *id,
                  {{"imported",
                    {{"lines", imported->lines},
                     {"applied", imported->applied},
                     {"late", imported->late},
                     {"unmatched", imported->unmatched},
                     {"duplicate", imported->duplicate}}}},
                  200);
    }
    const Error& error = imported.error();
    if (error.code != ErrorCode::kInvalid) return renderer_.ErrorPage(req, error);
    json items = json::array();
    for (const auto& f : error.fields) {
      // "line 7" → "Dòng 7"; the problem names the column, as the file does.
      const std::string where = f.field.rfind("line ", 0) == 0 ? "Dòng " + f.field.substr(5) : f.field;
      items.push_back({{"field", where}, {"message", f.message}});
    }
    return Show(req, *id, {{"statement_errors", {{"items", std::move(items)}}}}, 422);
  }

 private:
  const web::Renderer& renderer_;
  PaymentService& payments_;
  sellers::SellerService& sellers_;
};

// The operator's page: transfers that named no order, each given to its order
// by hand, and a carrier's cash-on-delivery remittance uploaded.
class OperatorPages {
 public:
  OperatorPages(const web::Renderer& renderer, PaymentsModule& module)
      : renderer_(renderer), payments_(module.payments) {}

  Response Show(const Request& req, json extra, int status) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto unmatched = payments_.Unmatched(&*req.principal, 0);
    if (!unmatched.ok()) return renderer_.ErrorPage(req, unmatched.error());
    const std::int64_t failed_id = extra.value("failed_id", std::int64_t{0});
    json rows = json::array();
    for (const json& u : *unmatched) {
      if (rows.size() >= kUnmatchedShown) break;
      const std::int64_t id = u.value("id", std::int64_t{0});
      json row = {{"id", id},
                  {"amount", money::FormatVnd(u.value("amount_vnd", std::int64_t{0}))},
                  {"at", u.value("transferred_at", "").substr(0, 16)},
                  {"account_number", u.value("account_number", "")},
                  {"description", u.value("description", "")}};
      if (id == failed_id) {
        row["error"] = extra.value("assign_error", "");
        row["value"] = extra.value("assign_value", "");
      }
      rows.push_back(std::move(row));
    }
    json data = {{"title", "Đối soát thanh toán"},
                 {"noindex", true},
                 {"has_unmatched", !rows.empty()},
                 {"unmatched", std::move(rows)}};
    if (req.Query("da-gan")) data["saved"] = "Đã gán khoản tiền vào đơn.";
    data.update(extra);
    return renderer_.Render(req, "payments/operator", std::move(data), status);
  }

  Response Page(Request& req) { return Show(req, json::object(), 200); }

  Response Assign(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto receipt = ParseId(req.Param("id"));
    if (!receipt) return renderer_.NotFound(req);
    const std::string typed = text::Trim(req.Form("order_id").value_or(""));
    auto order = ParseId(typed);
    std::string message;
    if (!order) {
      message = "Nhập số đơn hàng (chỉ gồm chữ số).";
    } else {
      auto assigned = payments_.AssignUnmatched(*req.principal, *receipt, *order, req.remote_ip);
      if (assigned.ok()) return Response::Redirect(std::string(kOperatorPage) + "?da-gan=1");
      if (assigned.error().code != ErrorCode::kUnprocessable)
        return renderer_.ErrorPage(req, assigned.error());
      message = assigned.error().type == "already_assigned"
                    ? "Khoản tiền này đã được gán vào một đơn."
                    : "Không có đơn VietQR số này chuyển vào tài khoản đã nhận tiền.";
    }
    return Show(req, {{"failed_id", *receipt}, {"assign_error", message}, {"assign_value", typed}}, 422);
  }

  Response ImportRemittance(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    auto parts = http::ParseMultipart(req);
    const http::MultipartPart* token = parts.ok() ? http::FindPart(*parts, "csrf_token") : nullptr;
    const std::string expected = renderer_.CsrfToken(req);
    if (token == nullptr || expected.empty() || !ids::SecureEquals(token->data, expected)) {
      return renderer_.ErrorPage(req, Error::Forbidden());
    }
    const http::MultipartPart* file = http::FindPart(*parts, "remittance");
    const std::string_view csv = file != nullptr ? file->data : std::string_view();
    auto imported = payments_.ImportCodRemittanceAs(*req.principal, csv, req.remote_ip);
    if (imported.ok()) {
      json differences = json::array();
      for (const RemittanceLine& d : imported->differences) {
        differences.push_back(
            {{"line", d.line},
             {"tracking_code", d.tracking_code},
             {"amount", money::FormatVnd(d.amount_vnd)},
             {"outcome", OutcomeText(d.outcome)},
             {"expected", d.order_id > 0 ? money::FormatVnd(d.expected_vnd) : std::string()}});
      }
      return Show(req,
                  {{"remitted",
                    {{"lines", imported->lines},
                     {"applied", imported->applied},
                     {"duplicate", imported->duplicate},
                     {"has_differences", !differences.empty()},
                     {"differences", std::move(differences)}}}},
                  200);
    }
    const Error& error = imported.error();
    if (error.code != ErrorCode::kInvalid) return renderer_.ErrorPage(req, error);
    json items = json::array();
    for (const auto& f : error.fields) {
      const std::string where = f.field.rfind("line ", 0) == 0 ? "Dòng " + f.field.substr(5) : f.field;
      items.push_back({{"field", where}, {"message", f.message}});
    }
    return Show(req, {{"remittance_errors", {{"items", std::move(items)}}}}, 422);
  }

 private:
  static std::string OutcomeText(const std::string& outcome) {
    if (outcome == "amount_differs") return "số tiền khác giá trị đơn";
    if (outcome == "unknown_tracking") return "không có đơn nào mang mã vận đơn này";
    if (outcome == "not_cod") return "đơn không thu hộ (COD)";
    if (outcome == "order_closed") return "đơn đã huỷ hoặc trả lại";
    return "đơn đã được thanh toán trước đó";
  }

  const web::Renderer& renderer_;
  PaymentService& payments_;
};

}  // namespace

void AddShopPaymentPages(http::Router& router, const web::Renderer& renderer, PaymentsModule& module) {
  auto pages = std::make_shared<ShopPages>(renderer, module);
  const std::string base = std::string(kShopBase) + "{id}" + std::string(kPage);
  router.Get(base, [pages](Request& r) { return pages->Page(r); }, {.max_body = 0});
  router.Post(base + "/tai-khoan", [pages](Request& r) { return pages->SetAccount(r); },
              {.max_body = kFormMaxBody});
  router.Post(base + "/phuong-thuc", [pages](Request& r) { return pages->SetMethods(r); },
              {.max_body = kFormMaxBody});
  router.Post(base + "/sao-ke", [pages](Request& r) { return pages->ImportStatement(r); },
              {.max_body = kStatementFormMaxBody, .csrf_exempt = true});

  auto operator_pages = std::make_shared<OperatorPages>(renderer, module);
  const std::string page(kOperatorPage);
  router.Get(page, [operator_pages](Request& r) { return operator_pages->Page(r); }, {.max_body = 0});
  router.Post(page + "/chuyen-khoan/{id}/gan-don",
              [operator_pages](Request& r) { return operator_pages->Assign(r); }, {.max_body = kFormMaxBody});
  router.Post(page + "/thu-ho", [operator_pages](Request& r) { return operator_pages->ImportRemittance(r); },
              {.max_body = kStatementFormMaxBody, .csrf_exempt = true});
}

}  // namespace nongsan::payments
