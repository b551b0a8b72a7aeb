// What `--demo` adds to a fresh database besides the demo catalogue
// (catalog/demo_catalog.hpp): a photo on every product, drawn here
// (catalog/demo_photos.hpp), and verified certificates — OCOP with 3 to 5
// stars, VietGAP — on some shops' products, submitted with an evidence card
// and verified by a demo provincial officer, so the home page, the search
// filters and the badges show what the platform does. Runs once, only right
// after the demo catalogue was loaded into an empty catalogue.
// Not thread-safe (start-up only).
#pragma once

#include <string_view>

#include "app/services.hpp"
#include "core/result.hpp"

namespace nongsan::app {

// The demo's provincial officer of Thái Nguyên (19), who verified the demo
// certificates (a few are left in the queue for them); sign in with these to
// try the officials' pages.
inline constexpr std::string_view kDemoOfficerPhone = "0912099999";
inline constexpr std::string_view kDemoOfficerPassword = "demo-can-bo-19";
inline constexpr std::string_view kDemoProvince = "19";
// One demo shop in kDemoCertifiedEvery holds an OCOP certificate, the next
// one a VietGAP certificate; each covers up to kDemoProductsPerCertificate
// of the shop's products.
inline constexpr std::size_t kDemoCertifiedEvery = 5;
inline constexpr std::size_t kDemoProductsPerCertificate = 3;
// Certificates left pending, so the officials' queue has some to show.
inline constexpr std::size_t kDemoPendingCertificates = 5;

Status LoadDemoExtras(Services& services);

}  // namespace nongsan::app
