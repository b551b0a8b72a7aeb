#include "catalog/catalog_module.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "catalog/seller_service_directory.hpp"

namespace nongsan::catalog {

CatalogModule::CatalogModule(db::Database& db_in, const Clock& clock_in,
                             const places::PlaceService& places_in,
                             std::unique_ptr<SellerDirectory> sellers_in,
                             const InventoryService& inventory_in, const std::string& data_dir)
    : db(db_in),
      clock(clock_in),
      places(places_in),
      sellers(std::move(sellers_in)),
      inventory(inventory_in),
      catalog(db, clock, places, *sellers, inventory),
      search(db, places),
      photo_storage(
          std::make_unique<DirectoryPhotoStorage>((std::filesystem::path(data_dir) / "photos").string())),
      photos(db, clock, catalog, *photo_storage),
      importer(db, clock, catalog, inventory) {
  // Writes in this process reach its own index before the response is sent.
  catalog.SetOnChange([this] {
    if (Status st = search.CatchUp(); !st.ok()) {
      spdlog::warn("search index catch-up after a write failed: {}", st.error().detail);
    }
  });
}

CatalogModule::CatalogModule(db::Database& db_in, const Clock& clock_in,
                             const places::PlaceService& places_in, sellers::SellerService& sellers_in,
                             const InventoryService& inventory_in, const std::string& data_dir)
    : CatalogModule(db_in, clock_in, places_in, std::make_unique<SellerServiceDirectory>(sellers_in),
                    inventory_in, data_dir) {}

}  // namespace nongsan::catalog
