// Trainings the programme holds: {title, kind, held_on, commune_code,
// trainer, attendees}, attendees given as phone numbers, normalised to the
// one canonical form (core/phone) and linked to the account holding that
// phone where there is one.
//
// The province counts both people ("người") and attendances ("lượt
// người"): one person at three sessions is 1 person trained and 3
// attendances. Each training adds its distinct attendees to
// training_attendances, and each person trained for the first time in the
// province to people_trained, in the training's commune on the day it was
// held, in the same transaction that records it.
//
// Who: an officer covering the commune (its commune officer, the admin of
// its province). Bad input is 422 naming the field (`attendees[3]` for a
// number that is not a Vietnamese mobile number).
//
// Thread-safety: safe to share between threads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "programme/ports.hpp"

namespace nongsan::programme {

inline constexpr std::size_t kMaxTrainingTitleChars = 200;
inline constexpr std::size_t kMaxTrainerChars = 200;
// A session in a commune hall; larger events are recorded as several.
inline constexpr std::size_t kMaxAttendees = 1000;
// The longest list of trainings one page shows, and the default page.
inline constexpr int kMaxListedTrainings = 200;
inline constexpr int kDefaultTrainingPage = 50;

// GET /api/v1/trainings: the trainings of the officer's area (or of one
// commune of it), newest first, a page at a time.
struct TrainingQuery {
  std::string commune_code;  // "" → every commune the officer covers
  std::string from;          // held on or after (YYYY-MM-DD), "" → no bound
  std::string to;            // held on or before
  int limit = kDefaultTrainingPage;
  std::string cursor;  // next_cursor of the previous page
};

struct TrainingInput {
  std::string title;
  std::string kind;  // livestream | ecommerce | packaging | quality | traceability | other
  std::string held_on;
  std::string commune_code;
  std::string trainer;
  std::vector<std::string> attendees;  // phone numbers as typed
};

bool IsTrainingKind(const std::string& kind);

class TrainingService {
 public:
  TrainingService(db::Database& db, const Clock& clock, const AreaPort& areas, PeoplePort& people);

  Result<nlohmann::json> Create(const Principal* principal, const TrainingInput& input);
  // A page of trainings with their attendance counts (no phone numbers):
  // {items, next_cursor}; 403 for anyone but an officer covering the
  // commune asked for, 422 naming a bad field.
  Result<nlohmann::json> List(const Principal* principal, const TrainingQuery& query);
  // A commune's trainings, newest first (the items of List's first page).
  Result<nlohmann::json> ListForCommune(const Principal& officer, const std::string& commune_code, int limit);

 private:
  db::Database& db_;
  const Clock& clock_;
  const AreaPort& areas_;
  PeoplePort& people_;
};

}  // namespace nongsan::programme
