// Demo and benchmark catalogues for Thái Nguyên (province 19 since 2025: old
// Thái Nguyên plus old Bắc Kạn). The demo is about 200 shops in real communes
// with about 1,500 products named as their makers sell them (Tân Cương tea,
// Định Hóa Bao Thai rice, Na Rì dong-root noodles, Võ Nhai custard apples,
// Linh Sơn guava, Bắc Kạn seedless persimmons, forest honey, bamboo shoots,
// buffalo jerky, …). Both go through the product importer, so shops are made
// by the sellers module and every row is validated like an officer's file.
// Generation is deterministic: the same call twice changes nothing.
// Not thread-safe with itself (run once, at start or from the CLI).
#pragma once

#include <cstddef>
#include <functional>

#include "catalog/catalog_module.hpp"

namespace nongsan::catalog {

inline constexpr std::size_t kDemoShops = 200;
inline constexpr std::size_t kDemoProductsPerShopMin = 5;
inline constexpr std::size_t kDemoProductsPerShopMax = 10;
// Benchmark catalogues: this many products per generated shop.
inline constexpr std::size_t kGeneratedProductsPerShop = 50;
inline constexpr std::size_t kMaxGeneratedProducts = 10'000'000;

// Loads the demo catalogue unless the catalogue already has products; true
// when it loaded it now.
Result<bool> LoadDemoCatalog(CatalogModule& module);

// Makes `products` products in shops of kGeneratedProductsPerShop.
Result<ImportReport> GenerateCatalog(CatalogModule& module, std::size_t products,
                                     const std::function<void(std::size_t, std::size_t)>& progress);

}  // namespace nongsan::catalog
