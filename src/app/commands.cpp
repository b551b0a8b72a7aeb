#include "app/commands.hpp"

#include <termios.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "accounts/account_service.hpp"
#include "app/app.hpp"
#include "app/services.hpp"
#include "catalog/catalog_cli.hpp"
#include "catalog/catalog_module.hpp"
#include "payments/payments_module.hpp"
#include "payments/statement_cli.hpp"
#include "places/places.hpp"
#include "programme/rebuild.hpp"

namespace nongsan::app {

namespace {

// ---------------------------------------------------------------- admin create-user

struct CreateUserFlags {
  std::string data_dir;
  std::string database;
  std::string phone;
  std::string role;
  std::string province;
  std::vector<std::string> communes;
  std::string carrier;
  std::string name = "Quản trị viên";
};

// Reads one line without echo when stdin is a terminal, else one line of the
// piped input, so `echo "$PW" | nongsan admin create-user …` works in scripts.
std::optional<std::string> ReadPassword(const std::string& prompt) {
  std::string line;
  if (!::isatty(STDIN_FILENO)) {
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  termios old_mode{};
  ::tcgetattr(STDIN_FILENO, &old_mode);
  termios quiet = old_mode;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::cerr << prompt << std::flush;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::cerr << "\n";
  if (!got) return std::nullopt;
  return line;
}

int Fail(const std::string& message) {
  std::cerr << "nongsan: " << message << "\n";
  return 1;
}

std::string Describe(const Error& error) {
  std::string out = error.detail;
  for (const auto& f : error.fields) out += "\n  " + f.field + ": " + f.message;
  return out;
}

int RunCreateUser(Config& config, const CreateUserFlags& flags) {
  if (!flags.data_dir.empty()) config.data_dir = flags.data_dir;
  if (!flags.database.empty()) config.database = flags.database;
  Role role;
  if (!ParseRole(flags.role, &role)) return Fail("unknown role: " + flags.role);
  std::vector<Grant> grants;
  switch (role) {
    case Role::kBuyer:
      break;
    case Role::kProvinceAdmin:
      if (flags.province.empty()) return Fail("--role province_admin needs --province CODE (e.g. 19)");
      grants.push_back({role, flags.province});
      break;
    case Role::kCommuneOfficer:
      if (flags.communes.empty()) return Fail("--role commune_officer needs --commune CODE (repeatable)");
      for (const auto& code : flags.communes) grants.push_back({role, code});
      break;
    case Role::kCarrier:
      if (flags.carrier.empty()) return Fail("--role carrier needs --carrier NAME (e.g. vnpost)");
      grants.push_back({role, flags.carrier});
      break;
    default:
      return Fail("shop roles come from opening a shop, not from this command");
  }

  auto opened = App::Open(config);
  if (!opened.ok()) return Fail(opened.error().detail);
  App& app = **opened;
  if (auto applied = app.Migrate(); !applied.ok()) return Fail("migration failed: " + applied.error().detail);
  const places::PlaceService& places = *app.services().places;
  for (const auto& grant : grants) {
    if (grant.role == Role::kProvinceAdmin && !places.IsProvince(grant.scope)) {
      return Fail("not a current province code: " + grant.scope);
    }
    if (grant.role == Role::kCommuneOfficer && !places.IsCommune(grant.scope)) {
      return Fail("not a current commune code: " + grant.scope);
    }
  }
  accounts::AccountService& accounts = *app.services().accounts;
  auto existing = accounts.FindByPhone(flags.phone);
  if (!existing.ok()) return Fail(existing.error().detail);
  std::optional<std::string> password;
  if (!*existing) {
    password = ReadPassword("Password for the new account: ");
    if (!password) return Fail("no password given");
    if (::isatty(STDIN_FILENO)) {
      auto again = ReadPassword("Repeat the password: ");
      if (!again || *again != *password) return Fail("the passwords differ");
    }
  }
  auto user = accounts.CreateOrGrantFromCli(flags.phone, flags.name, password, grants);
  if (!user.ok()) return Fail(Describe(user.error()));
  std::cout << (*existing ? "updated" : "created") << " user " << user->id << " (" << user->phone << ")";
  for (const auto& grant : user->grants)
    std::cout << " " << RoleName(grant.role) << (grant.scope.empty() ? "" : ":" + grant.scope);
  std::cout << "\n";
  return 0;
}

void RegisterAdminCommands(CLI::App& cli, CommandRegistry& registry) {
  auto* admin = cli.add_subcommand("admin", "Operator tasks on accounts");
  admin->require_subcommand(1);
  auto flags = std::make_shared<CreateUserFlags>();
  auto* create = admin->add_subcommand(
      "create-user",
      "Create an account with a role (or add the role to an existing account); the password is "
      "prompted for, or read from stdin");
  create->add_option("--phone", flags->phone, "Mobile number, e.g. 0912345678")->required();
  create->add_option("--role", flags->role, "province_admin, commune_officer, carrier or buyer")->required();
  create->add_option("--province", flags->province, "Province code for province_admin, e.g. 19");
  create->add_option("--commune", flags->communes, "Commune code for commune_officer (repeatable)");
  create->add_option("--carrier", flags->carrier, "Carrier name for carrier, e.g. vnpost");
  create->add_option("--name", flags->name, "Full name of a new account");
  create->add_option("--data-dir", flags->data_dir, "Data directory (default ./data)");
  create->add_option("--database", flags->database, "sqlite:PATH or postgresql://user@host:port/dbname");
  registry.Add(create, [flags](Config& config) { return RunCreateUser(config, *flags); });
}

// ---------------------------------------------------------------- catalogue

struct CatalogFlags {
  std::string data_dir;
  std::string database;
  std::string file;
  std::size_t products = 0;
};

// Opens and migrates the App named by the flags, then runs fn on its catalogue.
int WithCatalog(Config& config, const CatalogFlags& flags,
                const std::function<int(catalog::CatalogModule&)>& fn) {
  if (!flags.data_dir.empty()) config.data_dir = flags.data_dir;
  if (!flags.database.empty()) config.database = flags.database;
  auto opened = App::Open(config);
  if (!opened.ok()) return Fail(opened.error().detail);
  App& app = **opened;
  if (auto applied = app.Migrate(); !applied.ok()) return Fail("migration failed: " + applied.error().detail);
  return fn(*app.services().catalog);
}

void RegisterCatalogCommands(CLI::App& cli, CommandRegistry& registry) {
  auto flags = std::make_shared<CatalogFlags>();
  auto add_db_flags = [&flags](CLI::App* sub) {
    sub->add_option("--data-dir", flags->data_dir, "Data directory (default ./data)");
    sub->add_option("--database", flags->database, "sqlite:PATH or postgresql://user@host:port/dbname");
  };
  auto* import = cli.add_subcommand("import", "Bulk imports");
  import->require_subcommand(1);
  auto* products = import->add_subcommand(
      "products",
      "Import shops and products from a CSV file (columns in docs/import.md); exit code 1 if any row is bad");
  products->add_option("FILE", flags->file, "UTF-8 CSV file")->required();
  add_db_flags(products);
  registry.Add(products, [flags](Config& config) {
    return WithCatalog(config, *flags, [&](catalog::CatalogModule& m) {
      return catalog::RunImportProducts(m, flags->file, std::cout, std::cerr);
    });
  });
  auto* demo = cli.add_subcommand("demo", "Demo and benchmark data");
  demo->require_subcommand(1);
  auto* generate = demo->add_subcommand("generate", "Generate a large catalogue for benchmarks");
  generate->add_option("--products", flags->products, "How many products")->required();
  add_db_flags(generate);
  registry.Add(generate, [flags](Config& config) {
    return WithCatalog(config, *flags, [&](catalog::CatalogModule& m) {
      return catalog::RunGenerateCatalog(m, flags->products, std::cout, std::cerr);
    });
  });
}

// ---------------------------------------------------------------- payments

struct StatementFlags {
  std::string data_dir;
  std::string database;
  std::string file;
  std::string account;
};

// Under `import` (made by RegisterCatalogCommands).
void RegisterPaymentCommands(CLI::App& cli, CommandRegistry& registry) {
  auto flags = std::make_shared<StatementFlags>();
  auto* statement = cli.get_subcommand("import")->add_subcommand(
      "bank-statement",
      "Reconcile a bank statement CSV of one account (docs/payments.md); exit code 1 and nothing "
      "applied if any line is broken");
  statement->add_option("FILE", flags->file, "UTF-8 CSV: id,amount_vnd,description,transferred_at")
      ->required();
  statement->add_option("--account", flags->account, "The account number the statement is of")->required();
  statement->add_option("--data-dir", flags->data_dir, "Data directory (default ./data)");
  statement->add_option("--database", flags->database, "sqlite:PATH or postgresql://user@host:port/dbname");
  registry.Add(statement, [flags](Config& config) {
    if (!flags->data_dir.empty()) config.data_dir = flags->data_dir;
    if (!flags->database.empty()) config.database = flags->database;
    auto opened = App::Open(config);
    if (!opened.ok()) return Fail(opened.error().detail);
    App& app = **opened;
    if (auto applied = app.Migrate(); !applied.ok())
      return Fail("migration failed: " + applied.error().detail);
    return payments::RunImportStatement(app.services().payments->payments, flags->file, flags->account,
                                        std::cout, std::cerr);
  });

  auto cod = std::make_shared<StatementFlags>();
  auto* remittance = cli.get_subcommand("import")->add_subcommand(
      "cod-remittance",
      "Mark cash-on-delivery orders paid from a carrier's remittance CSV (docs/payments.md); "
      "exit code 1 and nothing applied if any line is broken");
  remittance->add_option("FILE", cod->file, "UTF-8 CSV: tracking_code,amount_vnd,remitted_at")->required();
  remittance->add_option("--data-dir", cod->data_dir, "Data directory (default ./data)");
  remittance->add_option("--database", cod->database, "sqlite:PATH or postgresql://user@host:port/dbname");
  registry.Add(remittance, [cod](Config& config) {
    if (!cod->data_dir.empty()) config.data_dir = cod->data_dir;
    if (!cod->database.empty()) config.database = cod->database;
    auto opened = App::Open(config);
    if (!opened.ok()) return Fail(opened.error().detail);
    App& app = **opened;
    if (auto applied = app.Migrate(); !applied.ok())
      return Fail("migration failed: " + applied.error().detail);
    return payments::RunImportCodRemittance(app.services().payments->payments, cod->file, std::cout,
                                            std::cerr);
  });
}

// ---------------------------------------------------------------- programme

struct ProgrammeFlags {
  std::string data_dir;
  std::string database;
};

void RegisterProgrammeCommands(CLI::App& cli, CommandRegistry& registry) {
  auto flags = std::make_shared<ProgrammeFlags>();
  auto* programme = cli.add_subcommand("programme", "Programme management (docs/programme-metrics.md)");
  programme->require_subcommand(1);
  auto* rebuild = programme->add_subcommand(
      "rebuild-rollups", "Back-fill the programme's roll-ups from the orders and the catalogue as they are");
  rebuild->add_option("--data-dir", flags->data_dir, "Data directory (default ./data)");
  rebuild->add_option("--database", flags->database, "sqlite:PATH or postgresql://user@host:port/dbname");
  registry.Add(rebuild, [flags](Config& config) {
    if (!flags->data_dir.empty()) config.data_dir = flags->data_dir;
    if (!flags->database.empty()) config.database = flags->database;
    auto opened = App::Open(config);
    if (!opened.ok()) return Fail(opened.error().detail);
    App& app = **opened;
    if (auto applied = app.Migrate(); !applied.ok())
      return Fail("migration failed: " + applied.error().detail);
    auto report = programme::RebuildRollups(app.db(), app.clock());
    if (!report.ok()) return Fail("rebuild failed: " + report.error().detail);
    std::cout << "roll-ups rebuilt: " << report->orders << " orders counted, " << report->listing_spans
              << " listing spans opened or closed\n";
    return 0;
  });
}

}  // namespace

void RegisterCommands(CLI::App& cli, CommandRegistry& registry) {
  RegisterAdminCommands(cli, registry);
  RegisterCatalogCommands(cli, registry);
  RegisterPaymentCommands(cli, registry);
  RegisterProgrammeCommands(cli, registry);
}

}  // namespace nongsan::app
