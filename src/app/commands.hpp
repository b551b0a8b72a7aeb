// Operator subcommands beyond serve/migrate/version (admin create-user, import
// products, demo generate, …). Each domain's command is registered here so
// main.cpp stays small. Single-threaded: runs once per process.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

#include "app/config.hpp"

namespace nongsan::app {

struct Command {
  CLI::App* sub;
  std::function<int(Config&)> run;  // process exit code
};

class CommandRegistry {
 public:
  void Add(CLI::App* sub, std::function<int(Config&)> run) { commands_.push_back({sub, std::move(run)}); }
  int Run(Config& config) const {
    for (const auto& c : commands_) {
      if (c.sub->parsed()) return c.run(config);
    }
    return 2;
  }

 private:
  std::vector<Command> commands_;
};

// Adds every operator subcommand to cli.
void RegisterCommands(CLI::App& cli, CommandRegistry& registry);

}  // namespace nongsan::app
