#include "app/commands.hpp"

namespace nongsan::app {

void RegisterCommands(CLI::App& cli, CommandRegistry& registry) {
  (void)cli;
  (void)registry;
}

}  // namespace nongsan::app
