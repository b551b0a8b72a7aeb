#include "live/live_service.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "accounts/audit_log.hpp"
#include "catalog/catalog_service.hpp"
#include "core/field_errors.hpp"
#include "core/rfc3339.hpp"
#include "db/sql_lists.hpp"
#include "http/json_input.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::live {
namespace {

using sellers::Capacity;

constexpr const char* kSessionColumns =
    "id, seller_id, commune_code, province_code, title, platform, url, started_at, ended_at, started_day, "
    "peak_viewers, orders_reported, recorded_by, created_at";

constexpr const char* kInsertColumns =
    "seller_id, commune_code, province_code, title, platform, url, started_at, ended_at, started_day, "
    "peak_viewers, orders_reported, recorded_by, created_at";

Session SessionFromRow(const db::Row& r) {
  Session s;
  s.id = r.Int(0);
  s.seller_id = r.Int(1);
  s.commune_code = r.Text(2);
  s.province_code = r.Text(3);
  s.title = r.Text(4);
  s.platform = ParsePlatform(r.Text(5)).value_or(Platform::kOther);
  s.url = r.Text(6);
  s.started_at = r.Int(7);
  s.ended_at = r.Int(8);
  s.started_day = r.Int(9);
  s.peak_viewers = r.OptInt(10);
  s.orders_reported = r.OptInt(11);
  s.recorded_by = r.Int(12);
  s.created_at = r.Int(13);
  return s;
}

Status LoadProducts(db::Connection& c, std::vector<Session>& sessions) {
  if (sessions.empty()) return Ok{};
  db::Params params;
  for (const Session& s : sessions) params.emplace_back(s.id);
  TRY_ASSIGN(db::Rows rows, c.Query("SELECT session_id, product_id FROM live_session_products WHERE "
                                    "session_id IN " +
                                        db::InList(sessions.size()) + " ORDER BY session_id, position",
                                    params));
  for (const auto& r : rows) {
    for (Session& s : sessions) {
      if (s.id == r.Int(0)) s.product_ids.push_back(r.Int(1));
    }
  }
  return Ok{};
}

// "<started_at>.<id>" of the last item of a page.
std::string CursorOf(const Session& s) { return std::to_string(s.started_at) + "." + std::to_string(s.id); }

std::optional<std::pair<std::int64_t, std::int64_t>> ParseCursor(const std::string& text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::int64_t at = 0, id = 0;
  const char* begin = text.data();
  auto [p1, e1] = std::from_chars(begin, begin + dot, at);
  auto [p2, e2] = std::from_chars(begin + dot + 1, begin + text.size(), id);
  if (e1 != std::errc() || p1 != begin + dot || e2 != std::errc() || p2 != begin + text.size() || id <= 0) {
    return std::nullopt;
  }
  return std::pair{at, id};
}

nlohmann::json AuditJson(const Session& s) {
  return {
      {"seller_id", s.seller_id},
      {"title", s.title},
      {"platform", PlatformName(s.platform)},
      {"url", s.url},
      {"started_at", timefmt::Rfc3339(s.started_at)},
      {"ended_at", timefmt::Rfc3339(s.ended_at)},
      {"product_ids", s.product_ids},
      {"peak_viewers", s.peak_viewers ? nlohmann::json(*s.peak_viewers) : nlohmann::json(nullptr)},
      {"orders_reported", s.orders_reported ? nlohmann::json(*s.orders_reported) : nlohmann::json(nullptr)}};
}

}  // namespace

LiveService::LiveService(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
                         catalog::CatalogService& catalog, std::string own_host)
    : db_(db), clock_(clock), sellers_(sellers), catalog_(catalog), own_host_(std::move(own_host)) {}

Result<SessionRights> LiveService::RightsOn(const Principal* principal, std::int64_t seller_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(sellers::Access access, sellers_.AccessFor(principal, seller_id));
  SessionRights rights;
  rights.write = access.capacity != Capacity::kNone;
  rights.read = rights.write || sellers_.OfficerCovers(*principal, access.seller.commune_code);
  if (!rights.read) return Error::NotFound("shop");
  return rights;
}

bool LiveService::Deletable(const Session& session, std::int64_t now_ms) {
  return now_ms - session.created_at <= kDeleteWindowMs;
}

Result<Session> LiveService::Record(const Principal* principal, std::int64_t seller_id,
                                    const SessionInput& input) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(sellers::Access access, sellers_.RequireCapacity(principal, seller_id,
                                                              {Capacity::kOwner, Capacity::kStaff,
                                                               Capacity::kCoopManager, Capacity::kOfficer}));
  const std::int64_t now = clock_.NowMs();
  std::vector<FieldError> bad;
  Session s;
  s.seller_id = seller_id;
  s.commune_code = access.seller.commune_code;
  s.province_code = access.seller.province_code;
  if (auto title = http::CleanText(
          input.title, "title",
          {.min_chars = 1, .max_chars = kMaxTitleChars, .markup = http::Markup::kRefused}, bad)) {
    s.title = *title;
  }
  const auto platform = ParsePlatform(input.platform);
  if (!platform)
    bad.push_back({"platform", "must be facebook, tiktok, shopee, zalo, youtube, nongsan or other"});
  if (!HttpHost(input.url)) {
    bad.push_back({"url", "must be an http or https address of at most " + std::to_string(kMaxUrlBytes) +
                              " bytes, without spaces"});
  } else if (platform && !UrlFitsPlatform(input.url, *platform, own_host_)) {
    const std::string domains = *platform == Platform::kNongsan ? own_host_ : PlatformDomainsText(*platform);
    bad.push_back(
        {"url", "must be on " + std::string(PlatformName(*platform)) + "'s domains (" + domains + ")"});
  }
  const auto started = timefmt::ParseRfc3339(input.started_at);
  const auto ended = timefmt::ParseRfc3339(input.ended_at);
  if (!started) {
    bad.push_back({"started_at", "must be a date-time (RFC 3339, e.g. 2026-11-28T20:00:00+07:00)"});
  } else if (*started > now) {
    bad.push_back({"started_at", "must not be in the future"});
  } else if (*started < kEarliestStartMs) {
    bad.push_back({"started_at", "must not be before 2016-01-01"});
  }
  // The end is judged against the start only when the start itself passed.
  const bool start_ok = started && *started <= now && *started >= kEarliestStartMs;
  if (!ended) {
    bad.push_back({"ended_at", "must be a date-time (RFC 3339, e.g. 2026-11-28T21:30:00+07:00)"});
  } else if (*ended > now) {
    bad.push_back({"ended_at", "must not be in the future"});
  } else if (start_ok && *ended <= *started) {
    bad.push_back({"ended_at", "must be after started_at"});
  } else if (start_ok && *ended - *started > kMaxSessionMs) {
    bad.push_back(
        {"ended_at", "a session lasts at most " + std::to_string(kMaxSessionMs / 3'600'000) + " hours"});
  }
  if (input.peak_viewers && (*input.peak_viewers < 0 || *input.peak_viewers > kMaxPeakViewers)) {
    bad.push_back({"peak_viewers", "must be a whole number from 0 to " + std::to_string(kMaxPeakViewers)});
  }
  if (input.orders_reported && (*input.orders_reported < 0 || *input.orders_reported > kMaxOrdersReported)) {
    bad.push_back(
        {"orders_reported", "must be a whole number from 0 to " + std::to_string(kMaxOrdersReported)});
  }
  if (input.product_ids.size() > kMaxSessionProducts) {
    bad.push_back({"product_ids", "at most " + std::to_string(kMaxSessionProducts) + " products"});
  } else if (!input.product_ids.empty()) {
    TRY_ASSIGN(auto products, catalog_.FindMany(input.product_ids));
    std::set<std::int64_t> own;
    for (const auto& p : products) {
      if (p.seller_id == seller_id) own.insert(p.id);
    }
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < input.product_ids.size(); ++i) {
      const std::int64_t id = input.product_ids[i];
      const std::string at = "product_ids[" + std::to_string(i) + "]";
      if (!seen.insert(id).second) {
        bad.push_back({at, "is listed twice"});
      } else if (!own.count(id)) {
        bad.push_back({at, "is not a product of this shop"});
      }
    }
  }
  if (!bad.empty()) return UnprocessableFields(std::move(bad));
  s.platform = *platform;
  s.url = input.url;
  s.started_at = *started;
  s.ended_at = *ended;
  s.started_day = timefmt::LocalDay(*started);
  s.peak_viewers = input.peak_viewers;
  s.orders_reported = input.orders_reported;
  s.product_ids = input.product_ids;
  s.recorded_by = principal->user_id;
  s.created_at = now;
  TRY(db_.Write([&](db::Connection& c) -> Status {
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(); };
    TRY_ASSIGN(s.id, c.QueryInt(std::string("INSERT INTO live_sessions (") + kInsertColumns +
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                {s.seller_id, s.commune_code, s.province_code, s.title,
                                 std::string(PlatformName(s.platform)), s.url, s.started_at, s.ended_at,
                                 s.started_day, opt(s.peak_viewers), opt(s.orders_reported), s.recorded_by,
                                 s.created_at}));
    for (std::size_t i = 0; i < s.product_ids.size(); ++i) {
      TRY(c.Exec("INSERT INTO live_session_products (session_id, product_id, position) VALUES (?, ?, ?)",
                 {s.id, s.product_ids[i], static_cast<std::int64_t>(i)}));
    }
    // Recorded for a household by an officer or its cooperative: in its
    // name and theirs, as every on-behalf action is.
    if (access.on_behalf_of) {
      accounts::AuditEntry entry;
      entry.actor_user_id = principal->user_id;
      entry.on_behalf_of_user_id = access.on_behalf_of;
      entry.action = "livestream.record";
      entry.object_type = "livestream";
      entry.object_id = std::to_string(s.id);
      entry.before = nullptr;
      entry.after = AuditJson(s);
      entry.province_code = s.province_code;
      TRY(accounts::RecordAudit(c, entry, now));
    }
    return Ok{};
  }));
  return s;
}

Result<std::optional<Session>> LiveService::Load(db::Connection& c, std::int64_t id) {
  TRY_ASSIGN(auto row,
             c.QueryOne(std::string("SELECT ") + kSessionColumns + " FROM live_sessions WHERE id = ?", {id}));
  if (!row) return std::optional<Session>();
  std::vector<Session> one{SessionFromRow(*row)};
  TRY(LoadProducts(c, one));
  return std::optional<Session>(std::move(one.front()));
}

Result<SessionPage> LiveService::List(const Principal* principal, std::int64_t seller_id,
                                      const std::string& cursor, std::size_t limit) {
  // Reading is the least right on a shop's sessions: RightsOn refuses the rest.
  if (auto rights = RightsOn(principal, seller_id); !rights.ok()) return std::move(rights).error();
  std::optional<std::pair<std::int64_t, std::int64_t>> after;
  if (!cursor.empty()) {
    after = ParseCursor(cursor);
    if (!after) return Error::Field("cursor", "is not a cursor this API returned");
  }
  limit = std::clamp<std::size_t>(limit, 1, kMaxSessionsPage);
  return db_.Read([&](db::Connection& c) -> Result<SessionPage> {
    std::string sql = std::string("SELECT ") + kSessionColumns + " FROM live_sessions WHERE seller_id = ?";
    db::Params params{seller_id};
    if (after) {
      sql += " AND (started_at < ? OR (started_at = ? AND id < ?))";
      params.insert(params.end(), {after->first, after->first, after->second});
    }
    sql += " ORDER BY started_at DESC, id DESC LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(limit + 1));
    TRY_ASSIGN(db::Rows rows, c.Query(sql, params));
    SessionPage page;
    for (const auto& r : rows) page.items.push_back(SessionFromRow(r));
    if (page.items.size() > limit) {
      page.items.resize(limit);
      page.next_cursor = CursorOf(page.items.back());
    }
    TRY(LoadProducts(c, page.items));
    return page;
  });
}

Result<Session> LiveService::Get(const Principal* principal, std::int64_t session_id) {
  if (principal == nullptr) return Error::Unauthorized();
  TRY_ASSIGN(auto session, db_.Read([&](db::Connection& c) { return Load(c, session_id); }));
  if (!session) return Error::NotFound("livestream");
  auto rights = RightsOn(principal, session->seller_id);
  if (!rights.ok()) {
    if (rights.error().code == ErrorCode::kNotFound) return Error::NotFound("livestream");
    return std::move(rights).error();
  }
  return std::move(*session);
}

Status LiveService::Delete(const Principal* principal, std::int64_t session_id) {
  TRY_ASSIGN(Session session, Get(principal, session_id));
  TRY_ASSIGN(sellers::Access access, sellers_.RequireCapacity(principal, session.seller_id,
                                                              {Capacity::kOwner, Capacity::kStaff,
                                                               Capacity::kCoopManager, Capacity::kOfficer}));
  const std::int64_t now = clock_.NowMs();
  if (!Deletable(session, now)) {
    return Error::Conflict("delete_window_passed", "A session can be deleted only within " +
                                                       std::to_string(kDeleteWindowMs / 3'600'000) +
                                                       " hours of recording it.");
  }
  return db_.Write([&](db::Connection& c) -> Status {
    TRY(c.Exec("DELETE FROM live_session_products WHERE session_id = ?", {session.id}));
    TRY(c.Exec("DELETE FROM live_sessions WHERE id = ?", {session.id}));
    accounts::AuditEntry entry;
    entry.actor_user_id = principal->user_id;
    entry.on_behalf_of_user_id = access.on_behalf_of;
    entry.action = "livestream.delete";
    entry.object_type = "livestream";
    entry.object_id = std::to_string(session.id);
    entry.before = AuditJson(session);
    entry.after = nullptr;
    entry.province_code = session.province_code;
    return accounts::RecordAudit(c, entry, now);
  });
}

Result<std::vector<HeldOnDay>> LiveService::CountHeldByDay(const std::vector<std::string>& communes,
                                                           std::int64_t from_day, std::int64_t to_day) {
  std::vector<HeldOnDay> out;
  if (communes.empty() || from_day > to_day) return out;
  TRY_ASSIGN(db::Rows rows, db_.Read([&](db::Connection& c) {
    db::Params params{from_day, to_day};
    for (const std::string& code : communes) params.emplace_back(code);
    return c.Query(
        "SELECT commune_code, started_day, COUNT(*) FROM live_sessions WHERE started_day >= ? AND "
        "started_day <= ? AND commune_code IN " +
            db::InList(communes.size()) + " GROUP BY commune_code, started_day",
        params);
  }));
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Text(0), r.Int(1), r.Int(2)});
  return out;
}

}  // namespace nongsan::live
