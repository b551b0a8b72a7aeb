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
  Result<std::vector<programme::SessionDay>> SessionsByDay(const std::vector<std::string>& communes,
                                                           std::int64_t from_day,
                                                           std::int64_t to_day) override {
    TRY_ASSIGN(auto held, live_.CountHeldByDay(communes, from_day, to_day));
    std::vector<programme::SessionDay> out;
    out.reserve(held.size());
    for (HeldOnDay& h : held) out.push_back({std::move(h.commune_code), h.day, h.count});
    return out;
  }

 private:
  LiveService& live_;
};

}  // namespace nongsan::live
