#include "programme/programme_module.hpp"

#include "programme/service_adapters.hpp"

namespace nongsan::programme {

ProgrammeModule::ProgrammeModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                                 sellers::SellerService& sellers, accounts::AccountService& accounts,
                                 trace::TraceService& trace, std::unique_ptr<LivestreamPort> livestreams_in)
    : shops(std::make_unique<SellerShopPort>(sellers)),
      areas(std::make_unique<PlacesAreaPort>(places)),
      livestreams(livestreams_in ? std::move(livestreams_in) : std::make_unique<NoLivestreams>()),
      onboarding(std::make_unique<SellerCountsOnboardingPort>(db)),
      people(std::make_unique<AccountPeoplePort>(accounts)),
      outcomes(std::make_unique<TraceOutcomePort>(trace)),
      certifications(std::make_unique<QualityCoveragePort>(db)),
      order_rollups(*areas),
      coverage_watch(*certifications),
      certified_today(db, *certifications),
      programmes(db, clock, *areas, *livestreams, *onboarding, *certifications, certified_today),
      support(db, clock, *shops, *areas, *people, *outcomes),
      trainings(db, clock, *areas, *people),
      demand_recorder(db, clock),
      demand(db, clock, *areas, programmes, demand_recorder),
      keeper(db, clock, *certifications, certified_today) {}

}  // namespace nongsan::programme
