// nongsan command line: serve, migrate, version, and the operator commands.
// All wiring lives in App (app.cpp); this file parses flags, loads settings in
// order (defaults < config file < environment < flags) and handles signals.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "app/config.hpp"
#include "core/ids.hpp"

namespace {

using nongsan::app::App;
using nongsan::app::Config;

int Fail(const std::string& message) {
  std::cerr << "nongsan: " << message << "\n";
  return 1;
}

// Blocks SIGINT/SIGTERM in every thread and waits for them on one thread, so
// the stop request runs as ordinary code rather than in a signal handler.
void StopOnSignals(App& app) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  std::thread([&app, set] {
    int sig = 0;
    sigwait(&set, &sig);
    spdlog::info("received signal {}, draining", sig);
    app.Stop();
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  if (!nongsan::ids::InitCrypto()) return Fail("libsodium could not be initialised");
  {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App cli{"nongsan — the farm-produce marketplace of a Vietnamese province"};
  cli.require_subcommand(1);
  std::string config_file;
  cli.add_option("--config", config_file, "Settings file (key = value lines)")->envname("NONGSAN_CONFIG");

  // Flags shared by the commands that open the database.
  struct DbFlags {
    std::string data_dir, database;
  };
  auto add_db_flags = [](CLI::App* sub, DbFlags& f) {
    sub->add_option("--data-dir", f.data_dir, "Data directory (default ./data)");
    sub->add_option("--database", f.database, "sqlite:PATH or postgresql://user@host:port/dbname");
  };

  DbFlags serve_db;
  std::string host;
  int port = -1;
  bool demo = false;
  auto* serve = cli.add_subcommand("serve", "Run the web server (migrates first)");
  serve->add_option("--host", host, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--port", port, "Port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  add_db_flags(serve, serve_db);
  serve->add_flag("--demo", demo, "Load the demo catalogue into an empty database");

  DbFlags migrate_db;
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations and exit");
  add_db_flags(migrate, migrate_db);

  auto* version = cli.add_subcommand("version", "Print the version");

  nongsan::app::CommandRegistry commands;
  nongsan::app::RegisterCommands(cli, commands);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (version->parsed()) {
    std::cout << "nongsan " << NONGSAN_VERSION << "\n";
    return 0;
  }

  Config config;
  if (!config_file.empty()) {
    if (auto st = nongsan::app::LoadConfigFile(config, config_file); !st.ok()) return Fail(st.error().detail);
  }
  if (auto st = nongsan::app::LoadEnvironment(config); !st.ok()) return Fail(st.error().detail);
  auto apply_db = [&](const DbFlags& f) {
    if (!f.data_dir.empty()) config.data_dir = f.data_dir;
    if (!f.database.empty()) config.database = f.database;
  };
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  if (migrate->parsed()) {
    apply_db(migrate_db);
    auto app = App::Open(config);
    if (!app.ok()) return Fail(app.error().detail);
    auto n = (*app)->Migrate();
    if (!n.ok()) return Fail(n.error().detail);
    std::cout << "applied " << *n << " migration(s)\n";
    return 0;
  }

  if (serve->parsed()) {
    apply_db(serve_db);
    if (!host.empty()) config.host = host;
    if (port >= 0) config.port = static_cast<unsigned short>(port);
    if (demo) config.demo = true;
    auto opened = App::Open(config);
    if (!opened.ok()) return Fail(opened.error().detail);
    App& app = **opened;
    if (auto n = app.Migrate(); !n.ok()) return Fail("migration failed: " + n.error().detail);
    if (config.demo) {
      if (auto st = app.LoadDemo(); !st.ok()) return Fail("demo data: " + st.error().detail);
    }
    if (auto st = app.Listen(); !st.ok()) return Fail(st.error().detail);
    spdlog::info("nongsan serving on http://{}:{} ({})", config.host, app.port(), app.db().Describe());
    StopOnSignals(app);
    app.Run();
    spdlog::info("stopped");
    return 0;
  }

  return commands.Run(config);
}
