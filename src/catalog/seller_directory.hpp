// What the catalogue needs to know about shops, which belong to the sellers
// module. The catalogue never reads the sellers' tables: it asks through this
// narrow interface, implemented over sellers::SellerService by
// SellerServiceDirectory (seller_service_directory.cpp) and by a fake in tests.
//
// Thread-safety: implementations must be safe to call from any thread.
// Implementations open their own transactions, so callers must not hold a
// write transaction (the SQLite writer is one connection) when calling —
// except the method ending in `With`, which writes in the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace nongsan::catalog {

struct SellerSummary {
  std::int64_t id = 0;
  std::string name;
  std::string commune_code;  // current commune, "" if unknown
  bool is_public = false;    // listed and not suspended: its products may be shown
};

// A shop as an import file describes it (matched by phone, created if new).
struct ImportedSeller {
  std::string phone;  // canonical 10-digit form
  std::string name;
  std::string type;  // household | cooperative | enterprise
  std::string commune_code;
};

// A shop found by its contact phone.
struct PhoneShop {
  std::string phone;
  SellerSummary summary;
};

// A shop an import created.
struct CreatedSeller {
  std::int64_t id = 0;
  std::int64_t owner_user_id = 0;
};

class SellerDirectory {
 public:
  virtual ~SellerDirectory() = default;
  virtual Result<std::optional<SellerSummary>> Find(std::int64_t seller_id) = 0;
  // May this principal manage the shop's products (owner, staff, the managing
  // cooperative, an officer acting for it)? Anonymous → false.
  virtual Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  // The shops of these phones (canonical form), the oldest of each phone,
  // in one or a few queries; a phone with no shop is absent.
  virtual Result<std::vector<PhoneShop>> FindByPhones(const std::vector<std::string>& phones) = 0;
  // Creates the new shops of an import batch (and whatever owner accounts the
  // sellers module needs) inside the caller's write transaction `c`, on behalf
  // of `actor`, the officer running the import (nullptr for the operator's
  // CLI and demo data). One result per shop, in order; a refused shop is
  // refused before anything of it is written, so the transaction may go on.
  // An error of the whole answer is the database's: roll back.
  virtual Result<std::vector<Result<CreatedSeller>>> CreateForImportWith(
      db::Connection& c, const std::vector<ImportedSeller>& sellers, const Principal* actor) = 0;
  // After the transaction of CreateForImportWith committed (an officer's
  // import sends the new owners their claim codes).
  virtual void ImportCommitted(const std::vector<CreatedSeller>& created, const Principal* actor) = 0;
  // Shops that are members of a cooperative.
  virtual Result<std::vector<std::int64_t>> ListMembers(std::int64_t coop_id) = 0;
};

}  // namespace nongsan::catalog
