// The programme module's LivestreamPort (programme/ports.hpp) answered from
// the live module's own sessions: programme counts `livestream_sessions`
// through it and never reads live's tables. Wired by the app in place of
// programme::NoLivestreams. Thread-safe (LiveService is).
#pragma once

#include "live/live_service.hpp"
#include "programme/ports.hpp"

namespace nongsan::live {

class ProgrammeLivestreams final : public programme::LivestreamPort {
 public:
  explicit ProgrammeLivestreams(LiveService& live) : live_(live) {}
  Result<std::int64_t> Sessions(const std::vector<std::string>& communes, std::int64_t from_day,
                                std::int64_t to_day) override {
    return live_.CountHeld(communes, from_day, to_day);
  }

 private:
  LiveService& live_;
};

}  // namespace nongsan::live
