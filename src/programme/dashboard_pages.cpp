#include "programme/dashboard_pages.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>

#include "core/clock.hpp"
#include "programme/charts.hpp"
#include "programme/programme_module.hpp"
#include "quality/officer_scope.hpp"
#include "web/renderer.hpp"

namespace nongsan::programme {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

// The figures the dashboard's commune table shows, in this order.
constexpr Metric kTableMetrics[] = {Metric::kHouseholdsOnboarded,
                                    Metric::kOrders,
                                    Metric::kGmvVnd,
                                    Metric::kSupportRequestsDone,
                                    Metric::kCooperativesSupported,
                                    Metric::kPeopleTrained,
                                    Metric::kTrainingAttendances};
// The charts per month.
constexpr Metric kChartMetrics[] = {Metric::kHouseholdsOnboarded, Metric::kOrders, Metric::kGmvVnd,
                                    Metric::kTrainingAttendances, Metric::kLivestreamSessions};
// Communes the dashboard lists before "see all": the laggards an official
// acts on, and a page that stays light on a phone.
constexpr std::size_t kDashboardRows = 30;
// Rows of a commune's lists on its page (trainings page on with a cursor).
constexpr int kDrillDownRows = 50;
// How long the dashboard shows the figures it computed for a user and period
// before computing them again (steady time): an official's page need not be
// fresher than a minute, and the province's figures take tens of
// milliseconds to sum.
// The API (/metrics, /demand) always computes afresh.
constexpr std::int64_t kDashboardCacheMs = 60'000;
// Figures kept at most (users × periods); the oldest go first.
constexpr std::size_t kDashboardCacheEntries = 256;
// Words the dashboard's demand section lists.
constexpr std::size_t kDashboardDemandWords = 10;

std::string Grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::optional<double> ProgressOf(const json& entry) {
  if (!entry.contains("progress") || !entry["progress"].is_number()) return std::nullopt;
  return entry["progress"].get<double>();
}

// A metric of a unit as a table cell: the value, the target and the bar.
json Cell(const json& entry) {
  json cell = {{"value", entry["value"].is_number() ? Grouped(entry["value"].get<std::int64_t>()) : "—"},
               {"bar", ProgressBarSvg(ProgressOf(entry))}};
  if (entry["target"].is_number()) cell["target"] = Grouped(entry["target"].get<std::int64_t>());
  return cell;
}

// Adds b's values and targets into a (units of one level summed for a headline).
void AddInto(json& a, const json& b) {
  for (auto& [name, entry] : a.items()) {
    const json& other = b[name];
    for (const char* key : {"value", "target"}) {
      if (other[key].is_number()) {
        entry[key] =
            (entry[key].is_number() ? entry[key].get<std::int64_t>() : 0) + other[key].get<std::int64_t>();
      }
    }
    entry["progress"] =
        entry["value"].is_number() && entry["target"].is_number() && entry["target"].get<std::int64_t>() > 0
            ? json(double(entry["value"].get<std::int64_t>()) / double(entry["target"].get<std::int64_t>()))
            : json(nullptr);
  }
}

json Headline(const json& metrics) {
  json tiles = json::array();
  for (Metric m : AllMetrics()) {
    const json& entry = metrics[std::string(MetricName(m))];
    json tile = Cell(entry);
    tile["label"] = MetricLabel(m);
    tile["pending"] = SourceOf(m) == MetricSource::kPending;
    tiles.push_back(std::move(tile));
  }
  return tiles;
}

// Monthly charts of the units' summed series.
json Charts(const json& units) {
  json charts = json::array();
  for (Metric m : kChartMetrics) {
    const std::string name(MetricName(m));
    std::map<std::string, std::int64_t> by_period;
    for (const auto& unit : units) {
      for (const auto& point : unit["series"]) {
        by_period[point["period"].get<std::string>()] += point["values"].value(name, std::int64_t{0});
      }
    }
    std::vector<std::pair<std::string, std::int64_t>> points(by_period.begin(), by_period.end());
    charts.push_back({{"svg", MonthlyBarsSvg(std::string(MetricLabel(m)) + " theo tháng", points)}});
  }
  return charts;
}

// The demand section: the words of the period's weeks summed (each week's
// list holds only words searched often enough to show), the totals and the
// orders by the buyer's province.
json DemandView(const json& demand) {
  auto summed = [&](const char* list) {
    std::map<std::string, std::int64_t> by_word;
    for (const auto& week : demand["weeks"]) {
      for (const auto& w : week[list])
        by_word[w["word"].get<std::string>()] += w["searches"].get<std::int64_t>();
    }
    std::vector<std::pair<std::string, std::int64_t>> sorted(by_word.begin(), by_word.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    json out = json::array();
    for (std::size_t i = 0; i < sorted.size() && i < kDashboardDemandWords; ++i) {
      out.push_back({{"word", sorted[i].first}, {"searches", Grouped(sorted[i].second)}});
    }
    return out;
  };
  json provinces = json::array();
  for (const auto& p : demand["orders_by_buyer_province"]) {
    provinces.push_back({{"name", p["province_name"]}, {"orders", Grouped(p["orders"].get<std::int64_t>())}});
  }
  return {{"from", timefmt::DisplayIsoDays(*timefmt::ParseIsoDate(demand["from"].get<std::string>()))},
          {"to", timefmt::DisplayIsoDays(*timefmt::ParseIsoDate(demand["to"].get<std::string>()))},
          {"min", demand["min_reported_count"]},
          {"top_words", summed("top_words")},
          {"found_nothing", summed("found_nothing")},
          {"views", Grouped(demand["totals"]["views"].get<std::int64_t>())},
          {"carts", Grouped(demand["totals"]["carts"].get<std::int64_t>())},
          {"orders", Grouped(demand["totals"]["orders"].get<std::int64_t>())},
          {"provinces", std::move(provinces)}};
}

// The dashboard's figures per (user, programme, period), for
// kDashboardCacheMs. Keyed by user, so no one is shown figures computed for
// another's scope. Thread-safe.
class FiguresCache {
 public:
  std::optional<json> Get(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || now - it->second.at >= kDashboardCacheMs || now < it->second.at)
      return std::nullopt;
    return it->second.value;
  }
  void Put(const std::string& key, std::int64_t now, json value) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= kDashboardCacheEntries && !entries_.count(key)) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                     [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
      entries_.erase(oldest);
    }
    entries_[key] = {now, std::move(value)};
  }

 private:
  struct Entry {
    std::int64_t at = 0;
    json value;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

class DashboardPages {
 public:
  DashboardPages(const web::Renderer& renderer, ProgrammeModule& module) : renderer_(renderer), m_(module) {}

  Response Dashboard(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    const Principal& who = *req.principal;
    if (!quality::IsOfficer(who)) return renderer_.ErrorPage(req, Error::NotFound("page"));
    auto programme = Pick(req);
    if (!programme.ok()) return renderer_.ErrorPage(req, programme.error());
    if (!*programme)
      return renderer_.Render(req, "programme/dashboard", {{"title", "Chương trình"}, {"none", true}});
    const Programme& p = **programme;
    MetricsQuery query;
    query.level = "commune";
    query.with_province_total = true;
    query.from = req.Query("tu").value_or("");
    query.to = req.Query("den").value_or("");
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
    const std::string key =
        std::to_string(who.user_id) + "|" + std::to_string(p.id) + "|" + query.from + "|" + query.to;
    if (auto cached = cache_.Get(key, now)) {
      return Show(req, p, (*cached)["figures"],
                  {{"tu", {{"value", query.from}}}, {"den", {{"value", query.to}}}}, 200,
                  (*cached)["demand"]);
    }
    auto communes = m_.programmes.Metrics(&who, p.id, query);
    if (!communes.ok()) {
      if (communes.error().code != ErrorCode::kUnprocessable)
        return renderer_.ErrorPage(req, communes.error());
      // A wrong date: the message beside the field, and the whole programme shown.
      json form = {{"tu", {{"value", query.from}}}, {"den", {{"value", query.to}}}};
      for (const auto& f : communes.error().fields) {
        const std::string field = f.field == "from" ? "tu" : "den";
        form[field]["error"] = f.field == "from" && f.message.find("after") != std::string::npos
                                   ? "Ngày bắt đầu phải trước ngày kết thúc."
                                   : "Nhập ngày theo dạng năm-tháng-ngày.";
        form[field]["invalid"] = true;
      }
      query.from.clear();
      query.to.clear();
      communes = m_.programmes.Metrics(&who, p.id, query);
      if (!communes.ok()) return renderer_.ErrorPage(req, communes.error());
      return Show(req, p, std::move(*communes), form, 422, DemandFor(who, p));
    }
    json demand = DemandFor(who, p);
    cache_.Put(key, now, {{"figures", *communes}, {"demand", demand}});
    return Show(req, p, std::move(*communes),
                {{"tu", {{"value", query.from}}}, {"den", {{"value", query.to}}}}, 200, std::move(demand));
  }

  Response Commune(Request& req) {
    if (!req.principal) return renderer_.SignInRedirect(req);
    const Principal& who = *req.principal;
    if (!quality::IsOfficer(who)) return renderer_.ErrorPage(req, Error::NotFound("page"));
    auto programme = Pick(req);
    if (!programme.ok()) return renderer_.ErrorPage(req, programme.error());
    if (!*programme) return renderer_.NotFound(req);
    const std::string code = req.Param("code");
    MetricsQuery query;
    query.level = "commune";
    query.unit = code;
    auto figures = m_.programmes.Metrics(&who, (*programme)->id, query);
    if (!figures.ok()) {
      // A code that is no commune of the province is a page that does not exist.
      if (figures.error().code == ErrorCode::kUnprocessable) return renderer_.NotFound(req);
      return renderer_.ErrorPage(req, figures.error());
    }
    if ((*figures)["units"].empty()) return renderer_.NotFound(req);
    const json& unit = (*figures)["units"][0];
    auto shops = m_.shops->ListInCommune(who, code);
    auto requests = m_.support.ListForCommune(who, code, kDrillDownRows);
    TrainingQuery training_page;
    training_page.commune_code = code;
    training_page.limit = kDrillDownRows;
    training_page.cursor = req.Query("tap-huan-sau").value_or("");
    auto trainings = m_.trainings.List(&who, training_page);
    // A cursor that is not ours is a page that does not exist.
    if (!trainings.ok() && trainings.error().code == ErrorCode::kUnprocessable)
      return renderer_.NotFound(req);
    if (!shops.ok()) return renderer_.ErrorPage(req, shops.error());
    if (!requests.ok()) return renderer_.ErrorPage(req, requests.error());
    if (!trainings.ok()) return renderer_.ErrorPage(req, trainings.error());
    json shop_rows = json::array();
    for (const ShopInfo& s : *shops) {
      shop_rows.push_back({{"name", s.name}, {"cooperative", s.cooperative}});
    }
    json data = {{"title", unit["name"].get<std::string>() + " · Chương trình"},
                 {"noindex", true},
                 {"programme", ProgrammeView(**programme)},
                 {"commune", {{"code", code}, {"name", unit["name"]}}},
                 {"headline", Headline(unit["metrics"])},
                 {"charts", Charts(json::array({unit}))},
                 {"shops", std::move(shop_rows)},
                 {"requests", *requests},
                 {"trainings", (*trainings)["items"]},
                 {"trainings_more_url",
                  (*trainings)["next_cursor"].is_string()
                      ? json("/chuong-trinh/xa/" + code + "?ct=" + std::to_string((*programme)->id) +
                             "&tap-huan-sau=" + (*trainings)["next_cursor"].get<std::string>())
                      : json(nullptr)},
                 {"back_url", "/chuong-trinh?ct=" + std::to_string((*programme)->id)}};
    data["has_shops"] = !data["shops"].empty();
    data["has_requests"] = !data["requests"].empty();
    data["has_trainings"] = !data["trainings"].empty();
    return renderer_.Render(req, "programme/commune", std::move(data));
  }

  Response Public(Request& req) {
    auto programmes = m_.programmes.ListVisible(nullptr);
    if (!programmes.ok()) return renderer_.ErrorPage(req, programmes.error());
    json list = json::array();
    for (const Programme& p : *programmes) {
      auto figures = m_.programmes.PublicFigures(p.id);
      if (!figures.ok()) return renderer_.ErrorPage(req, figures.error());
      const json& unit = (*figures)["units"][0];
      json tiles = json::array();
      for (Metric m : AllMetrics()) {
        if (SourceOf(m) == MetricSource::kPending) continue;
        const json& entry = unit["metrics"][std::string(MetricName(m))];
        tiles.push_back({{"label", MetricLabel(m)}, {"value", Grouped(entry["value"].get<std::int64_t>())}});
      }
      list.push_back(
          {{"programme", ProgrammeView(p)},
           {"from", timefmt::DisplayIsoDays(*timefmt::ParseIsoDate((*figures)["from"].get<std::string>()))},
           {"to", timefmt::DisplayIsoDays(*timefmt::ParseIsoDate((*figures)["to"].get<std::string>()))},
           {"tiles", std::move(tiles)},
           {"charts", Charts(json::array({unit}))}});
    }
    json data = {{"title", "Số liệu chương trình"},
                 {"description",
                  "Số liệu tổng hợp của các chương trình đưa nông sản lên sàn, tính từ dữ liệu của sàn."},
                 {"programmes", std::move(list)}};
    data["none"] = data["programmes"].empty();
    return renderer_.Render(req, "programme/public", std::move(data));
  }

 private:
  // ?ct= or the newest programme the principal sees; nullopt when none.
  Result<std::optional<Programme>> Pick(const Request& req) {
    if (auto ct = req.Query("ct")) {
      auto id = ParseId(*ct);
      if (!id) return Error::NotFound("programme");
      TRY_ASSIGN(Programme p, m_.programmes.Get(&*req.principal, *id));
      return std::optional<Programme>(p);
    }
    TRY_ASSIGN(auto visible, m_.programmes.ListVisible(&*req.principal));
    if (visible.empty()) return std::optional<Programme>();
    return std::optional<Programme>(visible.front());
  }

  json ProgrammeView(const Programme& p) const {
    return {{"id", p.id},
            {"name", p.name},
            {"province_name", m_.areas->UnitName(p.province_code)},
            {"starts_on", timefmt::DisplayIsoDays(p.starts_day)},
            {"ends_on", timefmt::DisplayIsoDays(p.ends_day)}};
  }

  // The demand section's view; null when it cannot be read (the figures
  // are still shown).
  json DemandFor(const Principal& who, const Programme& p) {
    auto demand = m_.demand.Demand(&who, p.id, {});
    return demand.ok() ? DemandView(*demand) : json(nullptr);
  }

  Response Show(const Request& req, const Programme& p, json figures, const json& form, int status,
                json demand) {
    const Principal& who = *req.principal;
    const bool admin = m_.programmes.IsAdminOf(who, p);
    // Headline: the province's own line (last, for its admin), the
    // officer's communes summed otherwise.
    json units = std::move(figures["units"]);
    json headline_metrics;
    if (admin && !units.empty() && units.back()["level"] == "province") {
      headline_metrics = units.back()["metrics"];
      units.erase(units.size() - 1);
    } else if (!units.empty()) {
      headline_metrics = units[0]["metrics"];
      for (std::size_t i = 1; i < units.size(); ++i) AddInto(headline_metrics, units[i]["metrics"]);
    }
    const std::string sort_metric = SortMetric(req);
    const std::string order = req.Query("thu-tu").value_or("cham");
    std::vector<const json*> sorted;
    for (const auto& u : units) sorted.push_back(&u);
    std::stable_sort(sorted.begin(), sorted.end(), [&](const json* a, const json* b) {
      if (order == "ten") return (*a)["name"].get<std::string>() < (*b)["name"].get<std::string>();
      const json& ea = (*a)["metrics"][sort_metric];
      const json& eb = (*b)["metrics"][sort_metric];
      if (order == "cao") return ea["value"].get<std::int64_t>() > eb["value"].get<std::int64_t>();
      // Laggards first: lowest progress towards the target; without a target, last.
      const auto pa = ProgressOf(ea);
      const auto pb = ProgressOf(eb);
      if (pa.has_value() != pb.has_value()) return pa.has_value();
      if (pa && *pa != *pb) return *pa < *pb;
      return ea["value"].get<std::int64_t>() < eb["value"].get<std::int64_t>();
    });
    const std::string base =
        "/chuong-trinh?ct=" + std::to_string(p.id) +
        (form["tu"]["value"].get<std::string>().empty() ? ""
                                                        : "&tu=" + form["tu"]["value"].get<std::string>()) +
        (form["den"]["value"].get<std::string>().empty() ? ""
                                                         : "&den=" + form["den"]["value"].get<std::string>());
    json columns = json::array();
    for (Metric m : kTableMetrics) {
      const std::string name(MetricName(m));
      const bool current = name == sort_metric;
      columns.push_back({{"label", MetricLabel(m)},
                         {"laggards_url", base + "&chi-so=" + name + "&thu-tu=cham"},
                         {"top_url", base + "&chi-so=" + name + "&thu-tu=cao"},
                         {"current", current},
                         {"aria_sort", current ? (order == "cao" ? "descending" : "ascending") : "none"}});
    }
    const bool all = req.Query("tat-ca") == "1";
    json rows = json::array();
    for (const json* u : sorted) {
      if (!all && rows.size() == kDashboardRows) break;
      json cells = json::array();
      for (Metric m : kTableMetrics) {
        // The bar only for the metric the table is sorted by (page weight).
        json cell = Cell((*u)["metrics"][std::string(MetricName(m))]);
        if (MetricName(m) != sort_metric) cell.erase("bar");
        cells.push_back(std::move(cell));
      }
      const auto progress = ProgressOf((*u)["metrics"][sort_metric]);
      rows.push_back(
          {{"name", (*u)["name"]},
           {"url", "/chuong-trinh/xa/" + (*u)["code"].get<std::string>() + "?ct=" + std::to_string(p.id)},
           {"lagging", progress && *progress < kLaggingShare},
           {"cells", std::move(cells)}});
    }
    json data = {
        {"title", p.name},
        {"noindex", true},
        {"programme", ProgrammeView(p)},
        {"scope", admin ? "Toàn tỉnh" : "Xã của bạn"},
        {"from", timefmt::DisplayIsoDays(*timefmt::ParseIsoDate(figures["from"].get<std::string>()))},
        {"to", timefmt::DisplayIsoDays(*timefmt::ParseIsoDate(figures["to"].get<std::string>()))},
        {"form", form},
        {"headline", headline_metrics.is_null() ? json::array() : Headline(headline_metrics)},
        {"columns", std::move(columns)},
        {"rows", std::move(rows)},
        {"name_sort_url", base + "&chi-so=" + sort_metric + "&thu-tu=ten"},
        {"shown", sorted.size() < kDashboardRows || all ? sorted.size() : kDashboardRows},
        {"total", sorted.size()},
        {"more_url", !all && sorted.size() > kDashboardRows
                         ? json(base + "&chi-so=" + sort_metric + "&thu-tu=" + order + "&tat-ca=1")
                         : json(nullptr)},
        {"charts", Charts(units)}};
    if (!demand.is_null()) data["demand"] = std::move(demand);
    return renderer_.Render(req, "programme/dashboard", std::move(data), status);
  }

  static std::string SortMetric(const Request& req) {
    const std::string asked = req.Query("chi-so").value_or("orders");
    for (Metric m : kTableMetrics) {
      if (MetricName(m) == asked) return asked;
    }
    return "orders";
  }

  const web::Renderer& renderer_;
  ProgrammeModule& m_;
  FiguresCache cache_;
};

}  // namespace

void AddDashboardPages(http::Router& router, const web::Renderer& renderer, ProgrammeModule& module) {
  auto pages = std::make_shared<DashboardPages>(renderer, module);
  router.Get("/chuong-trinh", [pages](Request& r) { return pages->Dashboard(r); }, {.max_body = 0});
  router.Get("/chuong-trinh/xa/{code}", [pages](Request& r) { return pages->Commune(r); }, {.max_body = 0});
  router.Get("/so-lieu", [pages](Request& r) { return pages->Public(r); }, {.max_body = 0});
}

}  // namespace nongsan::programme
