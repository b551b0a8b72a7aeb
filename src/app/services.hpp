// The domain services of one App, built in dependency order in App::App (all
// wiring in one place). Tests and operator commands reach a service through
// App::services(). Each service documents its own thread-safety.
#pragma once

#include <memory>

namespace nongsan::places { class PlaceService; }

namespace nongsan::app {

struct Services {
  Services();
  ~Services();
  std::unique_ptr<places::PlaceService> places;
};

}  // namespace nongsan::app
