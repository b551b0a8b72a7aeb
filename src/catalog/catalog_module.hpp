// Everything the catalogue runs in one process, built in dependency order
// from the services it needs from other modules (places, sellers, the
// InventoryService the orders module shares). App holds one; the CLI commands
// build one over their own App. Members are public so wiring and tests can
// reach each service; each documents its own thread-safety.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog_service.hpp"
#include "catalog/inventory_service.hpp"
#include "catalog/photo_service.hpp"
#include "catalog/photo_storage.hpp"
#include "catalog/product_import.hpp"
#include "catalog/search_service.hpp"
#include "catalog/seller_directory.hpp"

namespace nongsan::places {
class PlaceService;
}
namespace nongsan::sellers {
class SellerService;
}

namespace nongsan::catalog {

struct CatalogModule {
  // Photos go to <data_dir>/photos.
  CatalogModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                std::unique_ptr<SellerDirectory> sellers, const InventoryService& inventory,
                const std::string& data_dir);
  // The production wiring: shops come from the sellers module.
  CatalogModule(db::Database& db, const Clock& clock, const places::PlaceService& places,
                sellers::SellerService& sellers, const InventoryService& inventory,
                const std::string& data_dir);

  db::Database& db;
  const Clock& clock;
  const places::PlaceService& places;
  std::unique_ptr<SellerDirectory> sellers;
  const InventoryService& inventory;
  CatalogService catalog;
  SearchService search;
  std::unique_ptr<PhotoStorage> photo_storage;
  PhotoService photos;
  ProductImporter importer;
};

}  // namespace nongsan::catalog
