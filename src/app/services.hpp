// The domain services of one App, built in dependency order in App::App (all
// wiring in one place). Tests and operator commands reach a service through
// App::services(). Each service documents its own thread-safety.
#pragma once

#include <memory>

namespace nongsan::places {
class PlaceService;
}
namespace nongsan::accounts {
class AccountService;
class SmsGateway;
}  // namespace nongsan::accounts
namespace nongsan::sellers {
class SellerService;
class ShopFacts;
}  // namespace nongsan::sellers
namespace nongsan::web {
class Renderer;
}
namespace nongsan::catalog {
class InventoryService;
struct CatalogModule;
class CertificationSource;
}  // namespace nongsan::catalog
namespace nongsan::orders {
class ShopDirectory;
class ShippingRates;
class Carrier;
class Notifications;
class CartService;
class OrderService;
class AddressBook;
}  // namespace nongsan::orders

namespace nongsan::quality {
struct QualityModule;
}
namespace nongsan::trace {
struct TraceModule;
}
namespace nongsan::sites {
struct SitesModule;
}
namespace nongsan::printing {
struct PrintingModule;
}
namespace nongsan::live {
struct LiveModule;
}
namespace nongsan::programme {
struct ProgrammeModule;
}
namespace nongsan::payments {
struct PaymentsModule;
}
namespace nongsan::payments::gateways {
struct GatewaysModule;
}

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
  // Buyers' saved delivery addresses (filled by checkout, managed on /tai-khoan).
  std::unique_ptr<orders::AddressBook> addresses;
  // Quality: certificates, badges, the public register, reviews, complaints
  // and enforcement (over sellers, catalog and orders).
  std::unique_ptr<quality::QualityModule> quality;
  // Certificates as the catalogue sees them (search filters and facets,
  // product badges): quality's adapter, handed to catalog->search.
  std::unique_ptr<catalog::CertificationSource> certifications;
  // The same certificates in a shop's JSON, through sellers' ShopFacts.
  std::unique_ptr<sellers::ShopFacts> shop_certifications;
  // Traceability: GS1 prefixes, GTINs and barcodes, production lots and
  // their QR codes (over sellers, catalog, quality and places).
  std::unique_ptr<trace::TraceModule> trace;
  // Shops' promotional websites (/s/{slug}) and their custom domains (over
  // sellers, catalog and the certification source).
  std::unique_ptr<sites::SitesModule> sites;
  // Livestream sessions shops record (over sellers and catalog); programme
  // counts them through its LivestreamPort.
  std::unique_ptr<live::LiveModule> live;
  // Programme management: programmes, targets and the daily roll-ups the
  // orders module feeds inside each order's transaction (over places, sellers, accounts, trace).
  std::unique_ptr<programme::ProgrammeModule> programme;
  // Payments: methods, payout accounts, VietQR, bank transfers, the payment
  // deadline and the shops' ledger (over sellers, accounts and orders).
  std::unique_ptr<payments::PaymentsModule> payments;
  // VNPay and MoMo: pay URLs, IPNs, return pages, refunds (over payments).
  std::unique_ptr<payments::gateways::GatewaysModule> gateways;
  // The HTML page renderer (templates, translations), built last; the page
  // routes (src/web/pages.hpp) call the services above through it.
  std::unique_ptr<web::Renderer> pages;
  // Printing: product labels and shop catalogues as PDF (over sellers,
  // catalog, trace and quality).
  std::unique_ptr<printing::PrintingModule> printing;
};

}  // namespace nongsan::app
