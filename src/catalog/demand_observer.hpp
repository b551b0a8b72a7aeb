// What buyers look for, as an interface the catalogue owns: the programme
// module implements it to give officials the demand side of their figures
// (programme/demand.hpp); the app wiring hands it to
// SearchService::SetDemandObserver and CatalogService::SetDemandObserver. The
// catalogue depends on nobody who implements it.
//
// Both calls are on the hot path of a request (a search, a product page):
// an implementation must only count in memory and return at once — no I/O,
// no waiting on a lock held across I/O — and must never fail the request.
// Nothing about the person searching or viewing is passed.
//
// Thread-safety: called from request threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nongsan::catalog {

struct SearchSeen {
  std::vector<std::string> words;  // the query folded as search folds it (no tone marks, đ → d)
  bool found_nothing = false;      // the first page had no result
};

class DemandObserver {
 public:
  virtual ~DemandObserver() = default;
  // A search's first page was answered (autocomplete and later pages are not counted).
  virtual void OnSearch(const SearchSeen& search) = 0;
  // A product on sale was shown on its page or through the public API.
  virtual void OnProductView(std::int64_t product_id) = 0;
};

}  // namespace nongsan::catalog
