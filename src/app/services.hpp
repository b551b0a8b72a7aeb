// The domain services of one App, built in dependency order in App::App (all
// wiring in one place). Tests and operator commands reach a service through
// App::services(). Each service documents its own thread-safety.
#pragma once

#include <memory>

namespace nongsan::places { class PlaceService; }
namespace nongsan::accounts { class AccountService; class SmsGateway; }
namespace nongsan::sellers { class SellerService; }
namespace nongsan::web { class Renderer; }
namespace nongsan::catalog { class InventoryService; struct CatalogModule; class CertificationSource; }
namespace nongsan::orders {
class ShopDirectory; class ShippingRates; class Carrier; class Notifications; class CartService; class OrderService;
}

namespace nongsan::quality { struct QualityModule; }
namespace nongsan::trace { struct TraceModule; }
namespace nongsan::payments { struct PaymentsModule; }
namespace nongsan::payments::gateways { struct GatewaysModule; }

namespace nongsan::app {

struct Services {
  Services();
  ~Services();
  std::unique_ptr<places::PlaceService> places;
  // One-time codes go out through this gateway (development outbox or HTTP).
  std::unique_ptr<accounts::SmsGateway> sms;
  std::unique_ptr<accounts::AccountService> accounts;
  std::unique_ptr<sellers::SellerService> sellers;
  // The catalogue's stock operations; orders take and return stock through it.
  std::unique_ptr<catalog::InventoryService> inventory;
  // The catalogue: products, photos, search (its index starts in Migrate()), import.
  std::unique_ptr<catalog::CatalogModule> catalog;
  // Orders: shops as the orders module sees them (over sellers), the
  // provinces' shipping rate tables and the carrier pricing from them,
  // notifications and their outbox, carts, checkout and the lifecycle.
  std::unique_ptr<orders::ShopDirectory> shop_directory;
  std::unique_ptr<orders::ShippingRates> shipping_rates;
  std::unique_ptr<orders::Carrier> carrier;
  std::unique_ptr<orders::Notifications> notifications;
  std::unique_ptr<orders::CartService> carts;
  std::unique_ptr<orders::OrderService> orders;
  // Quality: certificates, badges, the public register, reviews, complaints
  // and enforcement (over sellers, catalog and orders).
  std::unique_ptr<quality::QualityModule> quality;
  // Certificates as the catalogue sees them (search filters and facets,
  // product badges): quality's adapter, handed to catalog->search.
  std::unique_ptr<catalog::CertificationSource> certifications;
  // Traceability: GS1 prefixes, GTINs and barcodes, production lots and
  // their QR codes (over sellers, catalog, quality and places).
  std::unique_ptr<trace::TraceModule> trace;
  // Payments: methods, payout accounts, VietQR, bank transfers, the payment
  // deadline and the shops' ledger (over sellers, accounts and orders).
  std::unique_ptr<payments::PaymentsModule> payments;
  // VNPay and MoMo: pay URLs, IPNs, return pages, refunds (over payments).
  std::unique_ptr<payments::gateways::GatewaysModule> gateways;
  // The HTML page renderer (templates, translations), built last; the page
  // routes (src/web/pages.hpp) call the services above through it.
  std::unique_ptr<web::Renderer> pages;
};

}  // namespace nongsan::app
