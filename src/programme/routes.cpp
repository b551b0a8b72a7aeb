#include "programme/routes.hpp"

#include <charconv>

#include "accounts/auth.hpp"
#include "accounts/json_input.hpp"
#include "programme/report.hpp"
#include "programme/report_csv.hpp"
#include "programme/report_pdf.hpp"
#include "programme/report_xlsx.hpp"

namespace nongsan::programme {
namespace {

using accounts::JsonInput;
using accounts::Presence;
using http::Request;
using http::Response;
using nlohmann::json;

const Principal* PrincipalOf(const Request& req) { return req.principal ? &*req.principal : nullptr; }

// {targets: [{unit_code, metric, target}, …]}; shapes only, the service
// checks the values.
Result<std::vector<TargetRow>> ReadTargets(const json& body) {
  JsonInput in(body);
  std::vector<TargetRow> rows;
  const json* list = body.contains("targets") ? &body["targets"] : nullptr;
  if (list == nullptr || !list->is_array()) {
    in.Fail("targets", "must be a list of {unit_code, metric, target}");
    TRY(in.Finish());
  }
  if (list->size() > kMaxTargetRows) {
    return FieldsRefused({{"targets", "at most " + std::to_string(kMaxTargetRows) + " rows"}});
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = "targets[" + std::to_string(i) + "]";
    if (!(*list)[i].is_object()) {
      in.Fail(at, "must be an object {unit_code, metric, target}");
      continue;
    }
    JsonInput row((*list)[i]);
    TargetRow t;
    t.unit_code = row.String("unit_code", Presence::kRequired).value_or("");
    t.metric = row.String("metric", Presence::kRequired).value_or("");
    t.target = row.Int("target", Presence::kRequired).value_or(0);
    if (Status st = row.Finish(); !st.ok()) {
      for (const auto& f : st.error().fields) in.Fail(at + "." + f.field, f.message);
    }
    rows.push_back(std::move(t));
  }
  TRY(in.Finish());
  return rows;
}

void AddSupportRoutes(http::Router& router, ProgrammeModule& m) {
  router.Post("/api/v1/support-requests",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(json body, req.JsonBody());
                  JsonInput in(body);
                  SupportRequestInput input;
                  input.shop_id = in.Int("shop_id", Presence::kRequired).value_or(0);
                  input.kind = in.String("kind", Presence::kRequired).value_or("");
                  input.note = in.String("note", Presence::kOptional).value_or("");
                  TRY(in.Finish());
                  TRY_ASSIGN(json view, m.support.Create(PrincipalOf(req), input));
                  return Response::Json(201, view);
                });
              },
              {.max_body = kSmallMaxBody});

  router.Get(
      "/api/v1/support-requests",
      [&m](Request& req) {
        return accounts::Reply(req, [&]() -> Result<Response> {
          SupportQuery query;
          if (auto shop = req.Query("shop_id")) {
            std::int64_t id = 0;
            auto [end, ec] = std::from_chars(shop->data(), shop->data() + shop->size(), id);
            if (ec != std::errc() || end != shop->data() + shop->size() || id <= 0) {
              return Error(FieldsRefused({{"shop_id", "must be a shop id"}}));
            }
            query.shop_id = id;
          }
          query.status = req.Query("status").value_or("");
          if (auto limit = req.Query("limit")) {
            int n = 0;
            auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
            if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > kMaxSupportPage) {
              return Error(FieldsRefused({{"limit", "must be 1 to " + std::to_string(kMaxSupportPage)}}));
            }
            query.limit = n;
          }
          TRY_ASSIGN(json page, m.support.List(PrincipalOf(req), query));
          return Response::Json(200, page);
        });
      },
      {.max_body = 0});

  router.Get("/api/v1/support-requests/{id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "support request"));
                 TRY_ASSIGN(json view, m.support.Get(PrincipalOf(req), id));
                 return Response::Json(200, view);
               });
             },
             {.max_body = 0});

  router.Post("/api/v1/support-requests/{id}/transitions",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "support request"));
                  TRY_ASSIGN(json body, req.JsonBody());
                  JsonInput in(body);
                  SupportTransitionInput input;
                  input.to = in.String("to", Presence::kRequired).value_or("");
                  input.assignee_id = in.Int("assignee_id", Presence::kOptional);
                  input.outcome = in.String("outcome", Presence::kOptional).value_or("");
                  input.reason = in.String("reason", Presence::kOptional).value_or("");
                  TRY(in.Finish());
                  TRY_ASSIGN(json view, m.support.Transition(PrincipalOf(req), id, input));
                  return Response::Json(200, view);
                });
              },
              {.max_body = kSmallMaxBody});
}

void AddTrainingRoutes(http::Router& router, ProgrammeModule& m) {
  router.Post("/api/v1/trainings",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(json body, req.JsonBody());
                  JsonInput in(body);
                  TrainingInput input;
                  input.title = in.String("title", Presence::kRequired).value_or("");
                  input.kind = in.String("kind", Presence::kRequired).value_or("");
                  input.held_on = in.String("held_on", Presence::kRequired).value_or("");
                  input.commune_code = in.String("commune_code", Presence::kRequired).value_or("");
                  input.trainer = in.String("trainer", Presence::kOptional).value_or("");
                  // Read here rather than with StringArray: a training may list more
                  // attendees than the generic array limit.
                  if (const auto it = body.find("attendees"); it == body.end() || !it->is_array()) {
                    in.Fail("attendees", "must be a list of phone numbers");
                  } else if (it->size() > kMaxAttendees) {
                    in.Fail("attendees", "at most " + std::to_string(kMaxAttendees) + " per training");
                  } else {
                    for (std::size_t i = 0; i < it->size(); ++i) {
                      if (!(*it)[i].is_string()) {
                        in.Fail("attendees[" + std::to_string(i) + "]", "must be a phone number as text");
                        continue;
                      }
                      input.attendees.push_back((*it)[i].get<std::string>());
                    }
                  }
                  TRY(in.Finish());
                  TRY_ASSIGN(json view, m.trainings.Create(PrincipalOf(req), input));
                  return Response::Json(201, view);
                });
              },
              {.max_body = kTrainingMaxBody});

  router.Get("/api/v1/trainings",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TrainingQuery query;
                 query.commune_code = req.Query("commune_code").value_or("");
                 query.from = req.Query("from").value_or("");
                 query.to = req.Query("to").value_or("");
                 query.cursor = req.Query("cursor").value_or("");
                 if (auto limit = req.Query("limit")) {
                   auto [end, ec] =
                       std::from_chars(limit->data(), limit->data() + limit->size(), query.limit);
                   if (ec != std::errc() || end != limit->data() + limit->size())
                     query.limit = 0;  // refused by List
                 }
                 TRY_ASSIGN(json page, m.trainings.List(PrincipalOf(req), query));
                 return Response::Json(200, page);
               });
             },
             {.max_body = 0});
}

// The report in one format: the file with the caller's view of the figures.
void AddReportRoute(http::Router& router, ProgrammeModule& m, const std::string& extension,
                    const std::string& content_type,
                    std::function<Result<std::string>(const Report&)> write) {
  router.Get("/api/v1/programmes/{id}/report." + extension,
             [&m, extension, content_type, write](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "programme"));
                 MetricsQuery period;
                 period.from = req.Query("from").value_or("");
                 period.to = req.Query("to").value_or("");
                 TRY_ASSIGN(Report report, BuildReport(m, PrincipalOf(req), id, period));
                 TRY_ASSIGN(std::string bytes, write(report));
                 Response res = Response::Text(200, std::move(bytes), content_type);
                 res.SetHeader("Content-Disposition", "attachment; filename=\"chuong-trinh-" +
                                                          std::to_string(id) + "." + extension + "\"");
                 res.SetHeader("Cache-Control", "private, no-store");
                 return res;
               });
             },
             {.max_body = 0});
}

void AddReportRoutes(http::Router& router, ProgrammeModule& m) {
  AddReportRoute(router, m, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 [](const Report& r) { return WriteReportXlsx(r); });
  AddReportRoute(router, m, "csv", "text/csv; charset=utf-8",
                 [](const Report& r) -> Result<std::string> { return WriteReportCsv(r); });
  AddReportRoute(router, m, "pdf", "application/pdf", [](const Report& r) { return WriteReportPdf(r); });
}

}  // namespace

void AddRoutes(http::Router& router, ProgrammeModule& m) {
  router.Post("/api/v1/programmes",
              [&m](Request& req) {
                return accounts::Reply(req, [&]() -> Result<Response> {
                  TRY_ASSIGN(json body, req.JsonBody());
                  JsonInput in(body);
                  ProgrammeInput input;
                  input.name = in.String("name", Presence::kRequired).value_or("");
                  input.province_code = in.String("province_code", Presence::kRequired).value_or("");
                  input.starts_on = in.String("starts_on", Presence::kRequired).value_or("");
                  input.ends_on = in.String("ends_on", Presence::kRequired).value_or("");
                  TRY(in.Finish());
                  TRY_ASSIGN(Programme p, m.programmes.Create(PrincipalOf(req), input));
                  return Response::Json(201, m.programmes.ProgrammeJson(p, {}));
                });
              },
              {.max_body = kSmallMaxBody});

  router.Get("/api/v1/programmes/{id}",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "programme"));
                 TRY_ASSIGN(Programme p, m.programmes.Get(PrincipalOf(req), id));
                 TRY_ASSIGN(auto targets, m.programmes.Targets(id));
                 return Response::Json(200, m.programmes.ProgrammeJson(p, targets));
               });
             },
             {.max_body = 0});

  router.Put("/api/v1/programmes/{id}/targets",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "programme"));
                 TRY_ASSIGN(json body, req.JsonBody());
                 TRY_ASSIGN(auto rows, ReadTargets(body));
                 TRY_ASSIGN(auto targets, m.programmes.SetTargets(PrincipalOf(req), id, rows));
                 TRY_ASSIGN(Programme p, m.programmes.Get(PrincipalOf(req), id));
                 return Response::Json(200, m.programmes.ProgrammeJson(p, targets));
               });
             },
             {.max_body = kTargetsMaxBody});

  router.Get("/api/v1/programmes/{id}/metrics",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "programme"));
                 MetricsQuery query;
                 query.level = req.Query("level").value_or("province");
                 query.unit = req.Query("unit").value_or("");
                 query.from = req.Query("from").value_or("");
                 query.to = req.Query("to").value_or("");
                 query.interval = req.Query("interval").value_or("month");
                 TRY_ASSIGN(json body, m.programmes.Metrics(PrincipalOf(req), id, query));
                 return Response::Json(200, body);
               });
             },
             {.max_body = 0});
  router.Get("/api/v1/programmes/{id}/demand",
             [&m](Request& req) {
               return accounts::Reply(req, [&]() -> Result<Response> {
                 TRY_ASSIGN(std::int64_t id, accounts::IdParam(req, "id", "programme"));
                 DemandQuery query;
                 query.from = req.Query("from").value_or("");
                 query.to = req.Query("to").value_or("");
                 query.unit = req.Query("unit").value_or("");
                 TRY_ASSIGN(json body, m.demand.Demand(PrincipalOf(req), id, query));
                 return Response::Json(200, body);
               });
             },
             {.max_body = 0});
  AddSupportRoutes(router, m);
  AddTrainingRoutes(router, m);
  AddReportRoutes(router, m);
}

}  // namespace nongsan::programme
