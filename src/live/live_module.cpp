#include "live/live_module.hpp"

#include "live/platforms.hpp"

namespace nongsan::live {

LiveModule::LiveModule(db::Database& db, const Clock& clock, sellers::SellerService& sellers,
                       catalog::CatalogService& catalog, const std::string& base_url)
    : sessions(db, clock, sellers, catalog, HttpHost(base_url).value_or("")) {}

}  // namespace nongsan::live
