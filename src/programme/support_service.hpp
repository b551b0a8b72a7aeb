// Support requests: a shop asks the programme for help (a trademark, a GS1
// barcode, packaging and labels, a catalogue, a website, e-commerce
// onboarding, livestream selling, training) and officials work through them:
//
//   open → assigned → in_progress → done | declined
//   (open and assigned may also be declined; assigned may be re-assigned)
//
// Who: a request is made by someone who may manage the shop or by an officer
// covering its commune. Only officers covering the shop's commune (quality's
// CoversCommune: a commune officer of it, the admin of its province) move
// it; the assignee must be such an officer too. The shop side sees its own
// requests (403 on moves); anyone else gets 404.
//
// Outcomes: `done` carries what the work produced. A GS1 prefix (kind
// gs1_barcode) goes into the traceability module's record of the shop's
// prefix through OutcomePort before the request is closed, so a refused
// prefix leaves the request open (422 naming `outcome`). A trademark
// application number is recorded on the request only: quality's `trademark`
// certificate needs the products it covers and issue/expiry dates, which an
// application does not have yet. A website outcome must be an http(s) URL.
//
// Figures: `done` adds to support_requests_done (and, for a cooperative's
// first done request, cooperatives_supported) in the same transaction.
//
// Thread-safety: safe to share between threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

inline constexpr std::size_t kMaxSupportNoteChars = 1000;
inline constexpr std::size_t kMaxOutcomeChars = 300;
inline constexpr std::size_t kMaxSupportReasonChars = 500;
// The longest queue page.
inline constexpr int kMaxSupportPage = 200;

struct SupportRequestInput {
  std::int64_t shop_id = 0;
  std::string kind;
  std::string note;
};

struct SupportTransitionInput {
  std::string to;
  std::optional<std::int64_t> assignee_id;
  std::string outcome;
  std::string reason;
};

struct SupportQuery {
  std::optional<std::int64_t> shop_id;  // a shop's own requests
  std::string status;                   // "" = every open one (open, assigned, in_progress)
  int limit = 50;
};

bool IsSupportKind(const std::string& kind);

class SupportService {
 public:
  SupportService(db::Database& db, const Clock& clock, ShopPort& shops, const AreaPort& areas,
                 PeoplePort& people, OutcomePort& outcomes);

  Result<nlohmann::json> Create(const Principal* principal, const SupportRequestInput& input);
  Result<nlohmann::json> Get(const Principal* principal, std::int64_t id);
  Result<nlohmann::json> Transition(const Principal* principal, std::int64_t id,
                                    const SupportTransitionInput& input);
  // A shop's own requests (newest first) or, for an officer, the open queue of
  // their area, oldest first, each with its age in days.
  Result<nlohmann::json> List(const Principal* principal, const SupportQuery& query);
  // Every request of a commune's shops, newest first, for an officer covering it.
  Result<nlohmann::json> ListForCommune(const Principal& officer, const std::string& commune_code, int limit);

 private:
  struct Row;
  Result<std::optional<Row>> Load(std::int64_t id);
  nlohmann::json View(const Row& r) const;
  // What the principal may do with a request's shop.
  enum class Side { kNone, kShop, kOfficer };
  Result<Side> SideOf(const Principal& principal, std::int64_t shop_id, const std::string& commune_code);

  db::Database& db_;
  const Clock& clock_;
  ShopPort& shops_;
  const AreaPort& areas_;
  PeoplePort& people_;
  OutcomePort& outcomes_;
};

}  // namespace nongsan::programme
