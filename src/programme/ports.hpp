// What the programme module needs from the modules that own shops, places and
// livestreams. Programme never reads their tables: it asks through
// these interfaces, implemented over the real services in
// service_adapters.cpp (wired in src/app/app.cpp).
//
// Thread-safety: implementations must be safe to call from any thread. They
// open their own read transactions; callers must not hold a write
// transaction when calling (the SQLite writer is one connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "quality/ports.hpp"

namespace nongsan::programme {

struct ShopInfo {
  std::int64_t id = 0;
  std::string name;
  std::string commune_code;  // current commune
  bool cooperative = false;  // a cooperative (HTX), as the sellers module types it
};

class ShopPort {
 public:
  virtual ~ShopPort() = default;
  virtual Result<std::optional<ShopInfo>> Find(std::int64_t seller_id) = 0;
  // Owner, staff, the managing cooperative or an officer acting for the shop.
  virtual Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  // The shops of a commune as the sellers module lists them to this officer.
  virtual Result<std::vector<ShopInfo>> ListInCommune(const Principal& officer,
                                                      const std::string& commune_code) = 0;
};

struct UnitRef {
  std::string code;
  std::string name;
};

// A pre-2025 district as the province still reports by it, with the current
// communes counted in it (each current commune in exactly one district).
struct OldDistrict {
  UnitRef unit;
  std::vector<std::string> communes;
};

// Areas: quality's AreaPort (so quality's officer scope rule applies
// unchanged) plus the lists a programme reports over.
class AreaPort : public quality::AreaPort {
 public:
  virtual bool IsProvince(const std::string& code) const = 0;
  virtual bool IsCommune(const std::string& code) const = 0;
  // The current communes of a province, by name.
  virtual std::vector<UnitRef> Communes(const std::string& province_code) const = 0;
  // The pre-2025 districts behind the province's current communes.
  virtual Result<std::vector<OldDistrict>> OldDistricts(const std::string& province_code) const = 0;
};

// People, from the accounts module.
struct Person {
  std::int64_t user_id = 0;
  std::string full_name;
  std::vector<Grant> grants;
};

class PeoplePort {
 public:
  virtual ~PeoplePort() = default;
  virtual Result<std::optional<Person>> Get(std::int64_t user_id) = 0;
  // The account holding this canonical phone, if any.
  virtual Result<std::optional<std::int64_t>> UserIdByPhone(const std::string& phone) = 0;
};

// Where support outcomes that are data elsewhere go: a GS1 company prefix
// into the traceability module's record of the shop's prefix, recorded and
// verified by the officer who did the work.
class OutcomePort {
 public:
  virtual ~OutcomePort() = default;
  virtual Status RecordGs1Prefix(const Principal& officer, std::int64_t shop_id,
                                 const std::string& prefix) = 0;
};

// Household shops created per current commune and month (yyyymm) of the
// Vietnam days [from_day, to_day], counted by the sellers module from its
// own table.
struct CreatedCount {
  std::string commune_code;
  std::int64_t month = 0;
  std::int64_t count = 0;
};

class OnboardingPort {
 public:
  virtual ~OnboardingPort() = default;
  virtual Result<std::vector<CreatedCount>> HouseholdsCreated(const std::string& province_code,
                                                              std::int64_t from_day, std::int64_t to_day) = 0;
};

// Products covered on a day by a certificate valid that day, from the
// quality module (its own rule for "valid on a day").
struct CoveredProduct {
  std::int64_t product_id = 0;
  bool ocop = false;  // one of its valid certificates is an OCOP rating
};

class CertificationPort {
 public:
  virtual ~CertificationPort() = default;
  virtual Result<std::vector<CoveredProduct>> CoveredOn(std::int64_t day) = 0;
  // Those of `product_ids` covered at the end of `day`, read on `c` (the
  // caller's transaction: a certificate decision being written).
  virtual Result<std::vector<CoveredProduct>> CoveredAmong(db::Connection& c, std::int64_t day,
                                                           const std::vector<std::int64_t>& product_ids) = 0;
};

// Livestream sessions held by shops of these communes, started on the Vietnam
// days [from_day, to_day], per commune and start day (days without one left
// out), so the programme sums a period and its months. The app wires the
// live module's live::ProgrammeLivestreams; NoLivestreams (none) stands in
// without one.
struct SessionDay {
  std::string commune_code;
  std::int64_t day = 0;
  std::int64_t count = 0;
};

class LivestreamPort {
 public:
  virtual ~LivestreamPort() = default;
  virtual Result<std::vector<SessionDay>> SessionsByDay(const std::vector<std::string>& communes,
                                                        std::int64_t from_day, std::int64_t to_day) = 0;
};

class NoLivestreams final : public LivestreamPort {
 public:
  Result<std::vector<SessionDay>> SessionsByDay(const std::vector<std::string>&, std::int64_t,
                                                std::int64_t) override {
    return std::vector<SessionDay>{};
  }
};

}  // namespace nongsan::programme
