// The nongsan application: owns the database, the clock, every domain service,
// the router and the HTTP server, and wires them together in one place
// (app.cpp). `nongsan serve` and the API tests both run an App; tests give it
// a FakeClock and port 0.
//
// Thread-safety: Open/Migrate/Listen happen on one thread before Run(); Run()
// blocks on the server's threads; Stop() may be called from any thread.
#pragma once

#include <memory>
#include <vector>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/router.hpp"

namespace nongsan::http {
class Server;
}

namespace nongsan::app {

struct Services;  // the domain services, src/app/services.hpp

class App {
 public:
  // Opens the database named by config (nothing else is created) and builds
  // every service and route. clock defaults to the system clock.
  static Result<std::unique_ptr<App>> Open(const Config& config, std::shared_ptr<Clock> clock = nullptr);
  ~App();

  // Applies pending migrations of every module; returns how many ran.
  Result<int> Migrate();
  // Loads the demo catalogue if the database holds no shops yet.
  Status LoadDemo();
  // Binds the listening socket (port 0 picks a free port).
  Status Listen();
  // Serves until Stop(); returns after in-flight requests drained.
  void Run();
  void Stop();
  unsigned short port() const;

  const Config& config() const { return config_; }
  db::Database& db() { return *db_; }
  Clock& clock() { return *clock_; }
  http::Router& router() { return router_; }
  Services& services() { return *services_; }

 private:
  App(Config config, std::shared_ptr<Clock> clock, std::unique_ptr<db::Database> db);
  void AddPlatformRoutes();

  Config config_;
  std::shared_ptr<Clock> clock_;
  std::unique_ptr<db::Database> db_;
  http::Router router_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<http::Server> server_;
};

// Every module's migrations, in dependency order.
std::vector<db::ModuleMigrations> AllMigrations();

// Where templates and static files live: config.web_dir, else ./web, else the
// source tree's web/.
std::string ResolveWebDir(const Config& config);

}  // namespace nongsan::app
