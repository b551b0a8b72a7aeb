// Everything the programme module runs in one process: its ports onto the
// other modules, the roll-up observer the orders module calls inside each
// order's transaction, and its services. App holds one (built after sellers,
// places and orders) and hands `order_rollups` to
// orders::Notifications::SetObserver. Members are public so wiring and tests
// can reach each; each documents its own thread-safety.
#pragma once

#include <memory>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "programme/certified_today.hpp"
#include "programme/demand.hpp"
#include "programme/listing_rollups.hpp"
#include "programme/ports.hpp"
#include "programme/programme_service.hpp"
#include "programme/rollups.hpp"
#include "programme/snapshots.hpp"
#include "programme/support_service.hpp"
#include "programme/training_service.hpp"

namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::places {
class PlaceService;
}
namespace nongsan::accounts {
class AccountService;
}
namespace nongsan::trace {
class TraceService;
}

namespace nongsan::programme {

struct ProgrammeModule {
  ProgrammeModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                  sellers::SellerService& sellers, accounts::AccountService& accounts,
                  trace::TraceService& trace, std::unique_ptr<LivestreamPort> livestreams = nullptr);
  ProgrammeModule(const ProgrammeModule&) = delete;
  ProgrammeModule& operator=(const ProgrammeModule&) = delete;

  std::unique_ptr<ShopPort> shops;
  std::unique_ptr<AreaPort> areas;
  // The live module's sessions (live/programme_livestreams.hpp) as the app
  // wires them; NoLivestreams when none is given.
  std::unique_ptr<LivestreamPort> livestreams;
  std::unique_ptr<OnboardingPort> onboarding;
  std::unique_ptr<PeoplePort> people;
  std::unique_ptr<OutcomePort> outcomes;
  std::unique_ptr<CertificationPort> certifications;
  OrderRollups order_rollups;
  // Quality's CoverageObserver (certificate decisions), and today's certified
  // figures kept between requests (certified_today.hpp).
  CoverageWatch coverage_watch;
  CertifiedToday certified_today;
  // The catalogue's ListingObserver (products on and off sale).
  ListingRollups listing_rollups;
  ProgrammeService programmes;
  SupportService support;
  TrainingService trainings;
  // The catalogue's DemandObserver and the carts' CartObserver.
  DemandRecorder demand_recorder;
  DemandService demand;
  // Folds the orders journal and snapshots each settled day (snapshots.hpp);
  // last, so its thread stops first.
  RollupKeeper keeper;
};

}  // namespace nongsan::programme
