// The services the pages call, and nothing more: the web module depends on
// these domains' services, never on the app that builds them (app/ includes
// web/, not the other way round). The app fills one PageServices from its
// Services when it registers the pages; every pointer is non-null and
// outlives the router.
#pragma once

namespace nongsan::accounts {
class AccountService;
}
namespace nongsan::sellers {
class SellerService;
}
namespace nongsan::catalog {
struct CatalogModule;
}
namespace nongsan::places {
class PlaceService;
}
namespace nongsan::orders {
class CartService;
class OrderService;
class Carrier;
class AddressBook;
}  // namespace nongsan::orders
namespace nongsan::quality {
struct QualityModule;
}
namespace nongsan::payments {
class PaymentService;
}

namespace nongsan::web {

struct PageServices {
  accounts::AccountService* accounts = nullptr;
  sellers::SellerService* sellers = nullptr;
  catalog::CatalogModule* catalog = nullptr;
  places::PlaceService* places = nullptr;
  orders::CartService* carts = nullptr;
  orders::OrderService* orders = nullptr;
  orders::Carrier* carrier = nullptr;        // shipping fees shown before ordering
  orders::AddressBook* addresses = nullptr;  // buyers' saved delivery addresses
  quality::QualityModule* quality = nullptr;
  payments::PaymentService* payments = nullptr;  // how an order is paid (VietQR, gateways)
};

}  // namespace nongsan::web
