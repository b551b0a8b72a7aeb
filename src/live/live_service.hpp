// Livestream sessions a shop held (on Facebook, TikTok, Shopee, Zalo,
// YouTube, nongsan or elsewhere), recorded as data so the province's
// programme counts them (`livestream_sessions`, docs/programme-metrics.md).
//
// Who may: a session is recorded by the shop's people — owner, staff, the
// manager of its cooperative — or by an officer acting for a household
// they onboarded (sellers' Capacity::kOfficer), and deleted by them within
// kDeleteWindowMs of recording (a mistake), audited. Sessions are read by
// the same people and by the officials whose area holds the shop (a commune
// officer of its commune, the province admin). Anyone else learns nothing:
// 404, as for a shop they cannot see; an official of the area who may read
// but not write gets 403.
//
// Rules (every limit a named constant below): a title; a platform of
// platforms.hpp and an http(s) url on that platform's domains; started_at
// before ended_at, neither in the future, at most kMaxSessionMs apart and not
// before kEarliestStartMs; product_ids of the shop's own (not deleted)
// products, at most kMaxSessionProducts, none twice; peak_viewers and
// orders_reported whole numbers from 0. Bad input is one 422 naming every
// bad field; nothing is written.
//
// A session is counted on the Vietnam day it started, in the commune the shop
// was in when it was recorded (kept on the row: a later move of the shop does
// not move its past sessions).
//
// Thread-safety: safe to share between threads (state is in the database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "live/platforms.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
class CatalogService;
}

namespace nongsan::live {

inline constexpr std::size_t kMaxTitleChars = 200;
// The longest session recorded; a longer one is a typing error.
inline constexpr std::int64_t kMaxSessionMs = 12LL * 3600 * 1000;
inline constexpr std::size_t kMaxSessionProducts = 30;
// A session may be deleted (recorded by mistake) this long after recording.
inline constexpr std::int64_t kDeleteWindowMs = 24LL * 3600 * 1000;
// 2016-01-01T00:00:00+07:00: before social platforms offered live video to
// everyone, so an earlier start is a typing error.
inline constexpr std::int64_t kEarliestStartMs = 1451581200000;
inline constexpr std::int64_t kMaxPeakViewers = 100'000'000;
inline constexpr std::int64_t kMaxOrdersReported = 10'000'000;
inline constexpr std::size_t kDefaultSessionsPage = 20;
inline constexpr std::size_t kMaxSessionsPage = 100;

// Sessions started on one Vietnam day by shops of one commune (CountHeldByDay).
struct HeldOnDay {
  std::string commune_code;
  std::int64_t day = 0;
  std::int64_t count = 0;
};

struct SessionInput {
  std::string title;
  std::string platform;  // facebook | tiktok | shopee | zalo | youtube | nongsan | other
  std::string url;
  std::string started_at;  // RFC 3339
  std::string ended_at;
  std::vector<std::int64_t> product_ids;
  std::optional<std::int64_t> peak_viewers;
  std::optional<std::int64_t> orders_reported;
};

struct Session {
  std::int64_t id = 0;
  std::int64_t seller_id = 0;
  std::string commune_code;  // the shop's when recorded
  std::string province_code;
  std::string title;
  Platform platform = Platform::kOther;
  std::string url;
  std::int64_t started_at = 0;  // Unix ms
  std::int64_t ended_at = 0;
  std::int64_t started_day = 0;  // Vietnam day of started_at
  std::optional<std::int64_t> peak_viewers;
  std::optional<std::int64_t> orders_reported;
  std::vector<std::int64_t> product_ids;  // in the order given
  std::int64_t recorded_by = 0;
  std::int64_t created_at = 0;
};

struct SessionPage {
  std::vector<Session> items;
  std::optional<std::string> next_cursor;  // null on the last page
};

// What the caller may do with a shop's sessions.
struct SessionRights {
  bool read = false;
  bool write = false;
};

class LiveService {
 public:
  // own_host: the marketplace's host, the `nongsan` platform's domain.
  LiveService(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
              catalog::CatalogService& catalog, std::string own_host);

  Result<Session> Record(const Principal* principal, std::int64_t seller_id, const SessionInput& input);
  // Latest started first; cursor "" for the first page.
  Result<SessionPage> List(const Principal* principal, std::int64_t seller_id, const std::string& cursor,
                           std::size_t limit);
  Result<Session> Get(const Principal* principal, std::int64_t session_id);
  Status Delete(const Principal* principal, std::int64_t session_id);
  // Whether the principal may read or record the shop's sessions; kNotFound
  // when they may not even learn of them.
  Result<SessionRights> RightsOn(const Principal* principal, std::int64_t seller_id);
  // May this session still be deleted at now_ms (inside kDeleteWindowMs)?
  static bool Deletable(const Session& session, std::int64_t now_ms);

  // Sessions started on Vietnam days [from_day, to_day] by shops recorded in
  // these communes, per commune and day (days without one left out). No
  // authorization: the programme's port.
  Result<std::vector<HeldOnDay>> CountHeldByDay(const std::vector<std::string>& communes,
                                                std::int64_t from_day, std::int64_t to_day);

  const Clock& clock() const { return clock_; }
  const std::string& own_host() const { return own_host_; }

 private:
  Result<std::optional<Session>> Load(db::Connection& c, std::int64_t id);

  db::Database& db_;
  const Clock& clock_;
  sellers::SellerService& sellers_;
  catalog::CatalogService& catalog_;
  std::string own_host_;
};

}  // namespace nongsan::live
