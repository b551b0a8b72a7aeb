// The domain services of one App, built in dependency order in App::App (all
// wiring in one place). Tests and operator commands reach a service through
// App::services(). Each service documents its own thread-safety.
#pragma once

#include <memory>

namespace nongsan::places { class PlaceService; }
namespace nongsan::accounts { class AccountService; class SmsGateway; }
namespace nongsan::sellers { class SellerService; }
namespace nongsan::web { class Renderer; }

namespace nongsan::app {

struct Services {
  Services();
  ~Services();
  std::unique_ptr<places::PlaceService> places;
  // One-time codes go out through this gateway (development outbox or HTTP).
  std::unique_ptr<accounts::SmsGateway> sms;
  std::unique_ptr<accounts::AccountService> accounts;
  std::unique_ptr<sellers::SellerService> sellers;
  // The HTML page renderer (templates, translations), built last; the page
  // routes (src/web/pages.hpp) call the services above through it.
  std::unique_ptr<web::Renderer> pages;
};

}  // namespace nongsan::app
