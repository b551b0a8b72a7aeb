#include "trace/listing_watch.hpp"

namespace nongsan::trace {

Status ProvenanceListingWatch::OnListingChanges(db::Connection& c,
                                                const std::vector<catalog::ListingState>& states,
                                                std::int64_t at) {
  std::vector<std::int64_t> product_ids;
  product_ids.reserve(states.size());
  for (const auto& state : states) product_ids.push_back(state.product_id);
  provenance_.ProductsChanged(product_ids);
  return next_ != nullptr ? next_->OnListingChanges(c, states, at) : Status(Ok{});
}

}  // namespace nongsan::trace
