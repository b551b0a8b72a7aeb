#include "app/app.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <thread>

#include "accounts/account_service.hpp"
#include "accounts/auth.hpp"
#include "accounts/migrations.hpp"
#include "accounts/routes.hpp"
#include "accounts/sms_gateway.hpp"
#include "app/demo_data.hpp"
#include "app/services.hpp"
#include "catalog/catalog_module.hpp"
#include "catalog/catalog_routes.hpp"
#include "catalog/demo_catalog.hpp"
#include "catalog/inventory_service.hpp"
#include "catalog/migrations.hpp"
#include "core/source_dir.hpp"
#include "http/address_list.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "live/live_module.hpp"
#include "live/live_pages.hpp"
#include "live/migrations.hpp"
#include "live/routes.hpp"
#include "orders/address_book.hpp"
#include "orders/cart_service.hpp"
#include "orders/migrations.hpp"
#include "orders/notifications.hpp"
#include "orders/order_service.hpp"
#include "orders/routes.hpp"
#include "orders/seller_shop_directory.hpp"
#include "orders/shipping.hpp"
#include "payments/gateways/gateway_routes.hpp"
#include "payments/gateways/gateways_module.hpp"
#include "payments/gateways/migrations.hpp"
#include "payments/migrations.hpp"
#include "payments/payment_pages.hpp"
#include "payments/payments_module.hpp"
#include "payments/routes.hpp"
#include "payments/shop_pages.hpp"
#include "places/places.hpp"
#include "printing/label_pages.hpp"
#include "printing/printing_module.hpp"
#include "printing/routes.hpp"
#include "programme/dashboard_pages.hpp"
#include "programme/migrations.hpp"
#include "programme/programme_module.hpp"
#include "programme/routes.hpp"
#include "quality/catalog_certifications.hpp"
#include "quality/held_order_pages.hpp"
#include "quality/migrations.hpp"
#include "quality/quality_module.hpp"
#include "quality/routes.hpp"
#include "sellers/migrations.hpp"
#include "sellers/routes.hpp"
#include "sellers/seller_service.hpp"
#include "sites/host_routing.hpp"
#include "sites/migrations.hpp"
#include "sites/routes.hpp"
#include "sites/site_pages.hpp"
#include "sites/sites_module.hpp"
#include "trace/lot_pages.hpp"
#include "trace/migrations.hpp"
#include "trace/resolver_routes.hpp"
#include "trace/routes.hpp"
#include "trace/trace_module.hpp"
#include "web/pages.hpp"
#include "web/renderer.hpp"

namespace nongsan::app {

Services::Services() = default;
Services::~Services() = default;

std::vector<db::ModuleMigrations> AllMigrations() {
  std::vector<db::ModuleMigrations> all;
  all.push_back(places::Migrations());
  all.push_back(accounts::Migrations());
  all.push_back(sellers::Migrations());
  all.push_back(catalog::Migrations());
  all.push_back(orders::Migrations());
  all.push_back(quality::Migrations());
  all.push_back(trace::Migrations());
  all.push_back(sites::Migrations());
  all.push_back(programme::Migrations());
  all.push_back(payments::Migrations());
  all.push_back(payments::gateways::Migrations());
  all.push_back(live::Migrations());
  return all;
}

std::string ResolveWebDir(const Config& config) {
  namespace fs = std::filesystem;
  if (!config.web_dir.empty()) return config.web_dir;
  if (fs::exists("web/templates")) return "web";
  return std::string(core::SourceDir()) + "/web";
}

Result<std::unique_ptr<App>> App::Open(const Config& config, std::shared_ptr<Clock> clock) {
  db::Options options;
  options.pool_size = config.db_pool_size;
  // A mistyped SMS gateway URL must stop start-up, not the first sign-up.
  if (!config.sms_gateway_url.empty()) TRY(accounts::HttpSmsGateway::Create(config.sms_gateway_url, ""));
  TRY_ASSIGN(auto database, db::Open(config.DatabaseUrl(), options));
  if (!clock) clock = std::make_shared<SystemClock>();
  auto app = std::unique_ptr<App>(new App(config, std::move(clock), std::move(database)));
  if (!app->services_->pages)
    return Error::Internal("web templates or translations could not be loaded (see log)");
  return app;
}

App::App(Config config, std::shared_ptr<Clock> clock, std::unique_ptr<db::Database> db)
    : config_(std::move(config)),
      clock_(std::move(clock)),
      db_(std::move(db)),
      services_(std::make_unique<Services>()) {
  services_->places = std::make_unique<places::PlaceService>(*db_);
  services_->sms =
      std::move(accounts::MakeSmsGateway(config_.sms_gateway_url, config_.sms_gateway_key, *db_, *clock_))
          .value();
  services_->accounts =
      std::make_unique<accounts::AccountService>(*db_, *clock_, *services_->sms, services_->places.get());
  services_->accounts->SetSiteUrl(config_.BaseUrl());  // the claim SMS says where to go
  services_->sellers =
      std::make_unique<sellers::SellerService>(*db_, *clock_, *services_->places, *services_->accounts);
  services_->inventory = std::make_unique<catalog::InventoryService>(*clock_);
  services_->catalog = std::make_unique<catalog::CatalogModule>(
      *db_, *clock_, *services_->places, *services_->sellers, *services_->inventory, config_.data_dir);
  // A suspended or reinstated shop leaves or rejoins the catalogue and search
  // at once, whoever suspended it (the sellers API, quality enforcement, …).
  services_->sellers->OnVisibilityChanged([catalog = services_->catalog.get()](std::int64_t seller_id) {
    if (Status st = catalog->catalog.RefreshSellerVisibility(seller_id); !st.ok()) {
      spdlog::error("shop {} visibility not applied to the catalogue: {}", seller_id, st.error().detail);
    }
  });
  services_->shop_directory = std::make_unique<orders::SellerShopDirectory>(*services_->sellers);
  services_->shipping_rates = std::make_unique<orders::ShippingRates>(*db_);
  services_->carrier = std::make_unique<orders::RateTableCarrier>(*services_->shipping_rates);
  services_->notifications = std::make_unique<orders::Notifications>(*db_);
  services_->carts =
      std::make_unique<orders::CartService>(*db_, *clock_, *services_->inventory, *services_->shop_directory);
  services_->orders = std::make_unique<orders::OrderService>(
      *db_, *clock_, *services_->inventory, *services_->shop_directory, *services_->carrier,
      *services_->places, *services_->carts, *services_->notifications,
      orders::OrderOptions{config_.return_window_days * kMsPerDay});
  services_->addresses = std::make_unique<orders::AddressBook>(*db_);
  services_->quality = std::make_unique<quality::QualityModule>(
      *db_, *clock_, *services_->places, *services_->sellers, services_->catalog->catalog, *services_->orders,
      config_.BaseUrl());
  // The catalogue reads certificates through its own interface (it may not
  // depend on quality); quality's adapter implements it.
  services_->certifications =
      std::make_unique<quality::CatalogCertificationSource>(services_->quality->certificates);
  services_->catalog->search.SetCertificationSource(services_->certifications.get());
  services_->shop_certifications =
      std::make_unique<quality::ShopCertificationFacts>(*services_->certifications);
  services_->sellers->AddFacts(services_->shop_certifications.get());
  services_->trace = std::make_unique<trace::TraceModule>(
      *db_, *clock_, *services_->places, *services_->sellers, services_->catalog->catalog,
      services_->quality->certificates, *services_->notifications, config_.BaseUrl());
  // Packing takes lots and a recalled lot stops shipping: orders own the
  // interface, trace implements it.
  services_->orders->SetLotLedger(&services_->trace->lot_ledger);
  services_->sites = std::make_unique<sites::SitesModule>(
      *db_, *clock_, *services_->places, *services_->sellers, services_->catalog->catalog,
      services_->certifications.get(), config_.BaseUrl(), &services_->quality->certificates);
  services_->printing = std::make_unique<printing::PrintingModule>(
      *clock_, *services_->places, *services_->sellers, services_->catalog->catalog,
      *services_->catalog->photo_storage, services_->trace->trace, services_->quality->certificates,
      config_.BaseUrl());
  services_->live = std::make_unique<live::LiveModule>(*db_, *clock_, *services_->sellers,
                                                       services_->catalog->catalog, config_.BaseUrl());
  // Programme roll-ups follow every order event inside its transaction:
  // orders own the observer interface, programme implements it. Programme
  // counts livestream sessions through its LivestreamPort, which live answers.
  services_->programme = std::make_unique<programme::ProgrammeModule>(
      *db_, *clock_, *services_->places, *services_->sellers, *services_->accounts, services_->trace->trace,
      std::make_unique<live::ProgrammeLivestreams>(services_->live->sessions));
  services_->notifications->SetObserver(&services_->programme->order_rollups);
  // Certificate decisions, in their transaction: quality owns the
  // CoverageObserver interface, programme implements it.
  services_->quality->certificates.SetCoverageObserver(&services_->programme->coverage_watch);
  // Products on and off sale, in the catalogue's write: catalog owns the
  // ListingObserver interface; trace (its provenance pages) and then
  // programme implement it.
  services_->trace->listing_watch.SetNext(&services_->programme->listing_rollups);
  services_->catalog->catalog.SetListingObserver(&services_->trace->listing_watch);
  // What buyers look for (searches, product views, carts), counted in memory
  // by programme behind interfaces catalog and orders own.
  services_->catalog->search.SetDemandObserver(&services_->programme->demand_recorder);
  services_->catalog->catalog.SetDemandObserver(&services_->programme->demand_recorder);
  services_->carts->SetObserver(&services_->programme->demand_recorder);
  {
    // Payments: orders own the PaymentMethods interface, payments implement it.
    auto banks = payments::BankList::Load(payments::BankList::DefaultPath());
    if (!banks.ok()) spdlog::error("payments: {}; no payout account can be recorded", banks.error().detail);
    payments::PaymentsOptions payment_options;
    payment_options.payment_timeout_ms = config_.payment_timeout_minutes * 60'000LL;
    payment_options.commission_percent = config_.commission_percent;
    services_->payments = std::make_unique<payments::PaymentsModule>(
        *db_, *clock_, *services_->sellers, *services_->accounts, *services_->orders,
        banks.ok() ? std::move(banks).value() : payments::BankList(), payment_options,
        payments::PaymentsSecrets{config_.bank_webhook_secret});
    services_->orders->SetPaymentMethods(&services_->payments->for_orders);
  }
  {
    // VNPay and MoMo (src/payments/gateways): fill the payments module's
    // gateway seam for the methods the operator configured.
    payments::gateways::GatewaySettings gateways;
    gateways.vnpay = {config_.vnpay_tmn_code, config_.vnpay_hash_secret, config_.vnpay_url,
                      config_.vnpay_api_url};
    gateways.momo = {config_.momo_partner_code, config_.momo_access_key, config_.momo_secret_key,
                     config_.momo_endpoint};
    gateways.base_url = config_.BaseUrl();
    services_->gateways = std::make_unique<payments::gateways::GatewaysModule>(
        *db_, *clock_, std::move(gateways), services_->payments->payments);
  }
  http::ServerConfig server_config;
  server_config.host = config_.host;
  server_config.port = config_.port;
  server_config.threads = config_.threads > 0
                              ? config_.threads
                              : static_cast<int>(2 * std::max(1u, std::thread::hardware_concurrency()));
  server_config.static_dir = ResolveWebDir(config_) + "/static";
  server_config.access_log = config_.access_log;
  if (config_.max_header_bytes) server_config.limits.max_header_bytes = config_.max_header_bytes;
  if (config_.read_timeout_ms)
    server_config.limits.read_timeout = std::chrono::milliseconds(config_.read_timeout_ms);
  if (config_.idle_timeout_ms)
    server_config.limits.idle_timeout = std::chrono::milliseconds(config_.idle_timeout_ms);
  if (config_.max_connections) server_config.limits.max_connections = config_.max_connections;
  if (config_.max_connections_per_client) {
    server_config.limits.max_connections_per_client = config_.max_connections_per_client;
  }
  if (config_.header_timeout_ms) {
    server_config.limits.header_timeout = std::chrono::milliseconds(config_.header_timeout_ms);
  }
  server_config.trust_proxy = config_.trust_proxy;
  AddPlatformRoutes();
  accounts::AddRoutes(router_, *services_->accounts);
  sellers::AddRoutes(router_, *services_->sellers);
  catalog::AddRoutes(router_, *services_->catalog);
  orders::AddRoutes(
      router_, {*services_->carts, *services_->orders, *services_->notifications, *services_->shipping_rates,
                *services_->shop_directory, *services_->places, *clock_});
  quality::AddRoutes(router_, *services_->quality);
  trace::AddRoutes(router_, *services_->trace);
  sites::AddRoutes(router_, *services_->sites);
  printing::AddRoutes(router_, *services_->printing);
  programme::AddRoutes(router_, *services_->programme);
  live::AddRoutes(router_, services_->live->sessions);
  payments::AddRoutes(router_, *services_->payments);
  payments::gateways::AddGatewayRoutes(router_, services_->gateways->service);
  {
    web::RendererOptions page_options;
    page_options.web_dir = ResolveWebDir(config_);
    page_options.base_url = config_.BaseUrl();
    page_options.home_province = config_.home_province;
    page_options.csrf_token = [](const http::Request& request) {
      return accounts::CsrfToken(request).value_or("");
    };
    page_options.cart_count = [carts = services_->carts.get()](const http::Request& request) -> std::int64_t {
      orders::CartOwner owner;
      if (request.principal) {
        owner.user_id = request.principal->user_id;
      } else if (auto token = request.Cookie(orders::kCartCookie);
                 token && orders::CartService::IsWellFormedToken(*token)) {
        owner.guest_token = *token;
      } else {
        return 0;
      }
      auto count = carts->LineCount(owner);
      return count.ok() ? *count : 0;
    };
    auto renderer = web::Renderer::Load(std::move(page_options));
    if (renderer.ok()) {
      services_->pages = std::move(renderer).value();
      web::PageServices page_services;
      page_services.accounts = services_->accounts.get();
      page_services.sellers = services_->sellers.get();
      page_services.catalog = services_->catalog.get();
      page_services.places = services_->places.get();
      page_services.carts = services_->carts.get();
      page_services.orders = services_->orders.get();
      page_services.carrier = services_->carrier.get();
      page_services.addresses = services_->addresses.get();
      page_services.quality = services_->quality.get();
      page_services.payments = &services_->payments->payments;
      web::AddPageRoutes(router_, *services_->pages, page_services);
      trace::AddResolverRoutes(router_, *services_->pages, services_->trace->provenance,
                               services_->trace->page_cache, config_.BaseUrl());
      trace::AddLotPages(router_, *services_->pages, *services_->trace);
      quality::AddHeldOrderPages(router_, *services_->pages, *services_->quality);
      printing::AddLabelPages(router_, *services_->pages, *services_->printing);
      programme::AddDashboardPages(router_, *services_->pages, *services_->programme);
      live::AddLivePages(router_, *services_->pages, services_->live->sessions, *services_->sellers,
                         services_->catalog->catalog);
      payments::AddPaymentPages(router_, *services_->pages, *services_->payments);
      payments::AddShopPaymentPages(router_, *services_->pages, *services_->payments);
      payments::gateways::AddGatewayPages(router_, *services_->pages, services_->gateways->service);
    } else {
      // App::Open refuses to start without pages; the reason is logged here.
      spdlog::error("web pages: {}", renderer.error().detail);
    }
  }
  // Shops' own websites (/s/{slug}, the seller centre's set-up page), and
  // their approved domains served through the server's host rewrite.
  if (services_->pages) {
    sites::AddSitePages(router_, *services_->pages, *services_->sites, ResolveWebDir(config_));
  }
  server_ = std::make_unique<http::Server>(server_config, router_);
  server_->SetHostRewrite(sites::MakeHostRewrite(services_->sites->sites));
  // First hook: everything after it sees Request::principal.
  server_->AddBefore(accounts::MakeAuthHook(*services_->accounts));
  // People read the pages: an error there is an HTML page, never problem+json.
  if (services_->pages) {
    server_->SetFallback(web::MakeNotFoundFallback(*services_->pages));
    server_->AddAfter(web::MakeErrorPageHook(*services_->pages));
  }
  auto* database = db_.get();
  server_->metrics().AddGauge("nongsan_db_pool_connections", "Database connections open",
                              [database] { return double(database->Stats().size); });
  server_->metrics().AddGauge("nongsan_db_pool_in_use", "Database connections lent out",
                              [database] { return double(database->Stats().in_use); });
  server_->metrics().AddGauge("nongsan_db_pool_waits_total", "Callers that waited for a connection",
                              [database] { return double(database->Stats().waits); });
}

App::~App() = default;

void App::AddPlatformRoutes() {
  router_.Get(
      "/healthz",
      [this](http::Request&) {
        Status st = db_->ReadWith([](db::Connection& c) -> Status {
          TRY(c.Query("SELECT 1"));
          return Ok{};
        });
        if (!st.ok()) {
          return http::Response::Json(503, {{"status", "unavailable"}, {"detail", "database unreachable"}});
        }
        return http::Response::Json(200, {{"status", "ok"}});
      },
      {.max_body = 0});
  auto metrics_allow = http::AddressList::Parse(config_.metrics_allow);
  if (!metrics_allow.ok()) {
    // ApplySettings checks the setting; only a Config built in code gets here.
    spdlog::error("metrics_allow: {}; /metrics is closed", metrics_allow.error().detail);
  }
  router_.Get("/metrics",
              [this, allow = metrics_allow.ok() ? std::move(metrics_allow).value()
                                                : http::AddressList{}](http::Request& request) {
                // The counters tell an outsider which routes are used and how
                // hard the server works; they are for the operator's Prometheus.
                if (!allow.Contains(request.remote_ip)) {
                  return http::Response::Problem(
                      Error::Forbidden("Metrics are served only to the addresses in metrics_allow."),
                      request.path);
                }
                return http::MetricsResponse(server_->metrics());
              },
              {.max_body = 0});
}

Result<int> App::Migrate() {
  TRY_ASSIGN(int applied, db::Migrate(*db_, AllMigrations()));
  TRY(places::Seed(*db_, places::DefaultAdminUnitsDir()));
  TRY(services_->places->Load());
  return applied;
}

Status App::LoadDemo() {
  TRY_ASSIGN(bool fresh, catalog::LoadDemoCatalog(*services_->catalog));
  // Photos and certificates only over the demo catalogue just loaded, never
  // over a catalogue people have worked on.
  if (!fresh) return Ok{};
  return LoadDemoExtras(*services_);
}

Status App::Listen() {
  // The search index is built here, after migrations and demo data, and then
  // follows the change log; CLI commands (imports, demo generate) never
  // listen, so they do not build an index they would not use.
  TRY(services_->catalog->search.Start());
  services_->quality->StartNoticeTimer();
  services_->payments->StartSweeper();
  services_->gateways->StartRefundTimer();
  return server_->Listen();
}
void App::Run() { server_->Run(); }
void App::Stop() { server_->Stop(); }
unsigned short App::port() const { return server_->port(); }

}  // namespace nongsan::app
