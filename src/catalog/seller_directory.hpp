// What the catalogue needs to know about shops, which belong to the sellers
// module. The catalogue never reads the sellers' tables: it asks through this
// narrow interface, implemented over sellers::SellerService by
// SellerServiceDirectory (seller_service_directory.cpp) and by a fake in tests.
//
// Thread-safety: implementations must be safe to call from any thread.
// Implementations open their own transactions, so callers must not hold a
// write transaction (the SQLite writer is one connection) when calling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"

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

class SellerDirectory {
 public:
  virtual ~SellerDirectory() = default;
  virtual Result<std::optional<SellerSummary>> Find(std::int64_t seller_id) = 0;
  // May this principal manage the shop's products (owner, staff, the managing
  // cooperative, an officer acting for it)? Anonymous → false.
  virtual Result<bool> CanManage(const Principal* principal, std::int64_t seller_id) = 0;
  virtual Result<std::optional<std::int64_t>> FindByPhone(const std::string& phone) = 0;
  // Creates the shop (and whatever owner account the sellers module needs)
  // on behalf of `actor`, the officer running the import (nullptr for the
  // operator's CLI and demo data).
  virtual Result<std::int64_t> CreateForImport(const ImportedSeller& seller, const Principal* actor) = 0;
  // Shops that are members of a cooperative.
  virtual Result<std::vector<std::int64_t>> ListMembers(std::int64_t coop_id) = 0;
};

}  // namespace nongsan::catalog
