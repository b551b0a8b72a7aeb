// Everything the live module runs in one process: its service. App holds
// one (built after sellers and the catalogue, before programme, to which it
// hands a ProgrammeLivestreams over `sessions`). Members are public so
// wiring and tests can reach them.
#pragma once

#include <string>

#include "live/live_service.hpp"
#include "live/programme_livestreams.hpp"

namespace nongsan::live {

struct LiveModule {
  // base_url: the marketplace's public address; its host is the `nongsan`
  // platform's domain.
  LiveModule(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
             catalog::CatalogService& catalog, const std::string& base_url);
  LiveModule(const LiveModule&) = delete;
  LiveModule& operator=(const LiveModule&) = delete;

  LiveService sessions;
};

}  // namespace nongsan::live
