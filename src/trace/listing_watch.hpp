// The catalogue's ListingObserver on trace's side: a product written by the
// catalogue (renamed, new photo, suspended, its shop hidden …) drops that
// product's provenance context, so the next scan of any of its lots shows the
// change instead of waiting for kProductContextTtl. The catalogue has one
// observer slot, so this one passes every call on to `next` (programme's
// roll-ups) and returns its status.
//
// Thread-safety: as ListingObserver requires; ProvenanceService is safe to
// share and `next` is set at start-up only.
#pragma once

#include <cstdint>
#include <vector>

#include "catalog/listing_observer.hpp"
#include "trace/provenance.hpp"

namespace nongsan::trace {

class ProvenanceListingWatch final : public catalog::ListingObserver {
 public:
  explicit ProvenanceListingWatch(ProvenanceService& provenance) : provenance_(provenance) {}
  // The observer called after this one (start-up wiring only).
  void SetNext(catalog::ListingObserver* next) { next_ = next; }

  Status OnListingChanges(db::Connection& c, const std::vector<catalog::ListingState>& states,
                          std::int64_t at) override;

 private:
  ProvenanceService& provenance_;
  catalog::ListingObserver* next_ = nullptr;
};

}  // namespace nongsan::trace
