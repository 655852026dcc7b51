#include "fz/cli/users_command.h"

#include <iostream>
#include <memory>
#include <string>

#include "fz/auth/accounts.h"
#include "fz/cli/store_cli.h"
#include "fz/common/clock.h"
#include "fz/common/str_cat.h"

namespace fz::cli {
namespace {

struct UsersOptions {
  StoreCliOptions store;
  std::string name;
  std::string role;
  std::string unit;
  std::string display_name;
  std::string label;
  bool machine = false;
  bool password_stdin = false;
};

// The store context (config, unit tree, schema check) and the accounts on the same database.
struct UsersContext {
  std::unique_ptr<StoreContext> store;
  std::unique_ptr<auth::Accounts> accounts;  // declared last: destroyed first
};

StatusOr<UsersContext> OpenUsers(const UsersOptions& o, bool migrate) {
  UsersContext ctx;
  FZ_ASSIGN_OR_RETURN(ctx.store, OpenStoreContext(o.store, migrate));
  auth::AuthOptions options;
  options.units = &ctx.store->tree;
  FZ_ASSIGN_OR_RETURN(ctx.accounts, auth::Accounts::Open(o.store.db, options, DefaultClock()));
  return ctx;
}

void PrintPasswordOnce(const std::string& name, const std::string& password) {
  std::cout << "password for '" << name << "' (shown once, store it safely): " << password << "\n";
}

int RunCreateAdmin(const UsersOptions& o) {
  // Like `ingest`, the first command on a new database: bring the schema up to date first.
  StatusOr<UsersContext> ctx = OpenUsers(o, /*migrate=*/true);
  if (!ctx.ok()) return FailCommand("users create-admin", ctx.status());
  StatusOr<std::pair<auth::User, std::string>> admin =
      ctx->accounts->CreateAdmin(o.name, model::UnitCode(o.unit));
  if (!admin.ok()) return FailCommand("users create-admin", admin.status());
  std::cout << "created administrator '" << admin->first.name << "' (unit " << o.unit << ")\n";
  PrintPasswordOnce(admin->first.name, admin->second);
  return 0;
}

int RunAdd(const UsersOptions& o) {
  std::optional<workflow::Role> role = workflow::ParseRole(o.role);
  if (!role) {
    return FailCommand("users add", absl::InvalidArgumentError(
                                        StrCat("--role: '", o.role,
                                               "' is not a role (dispatcher, supervisor, officer, "
                                               "grid_worker, analyst, auditor, admin, feed)")));
  }
  auth::NewUser u{.name = o.name,
                  .display_name = o.display_name,
                  .role = *role,
                  .unit = model::UnitCode(o.unit),
                  .machine = o.machine};
  bool generated = false;
  if (o.machine) {
    if (o.password_stdin) {
      return FailCommand("users add", absl::InvalidArgumentError(
                                          "--password-stdin: machine accounts have no password "
                                          "(use `fanzha users api-key`)"));
    }
  } else if (o.password_stdin) {
    std::getline(std::cin, u.password);
    if (!u.password.empty() && u.password.back() == '\r') u.password.pop_back();
  } else {
    u.password = auth::GeneratePasswordFor(o.name);
    generated = true;
  }
  StatusOr<UsersContext> ctx = OpenUsers(o, /*migrate=*/false);
  if (!ctx.ok()) return FailCommand("users add", ctx.status());
  StatusOr<auth::User> user = ctx->accounts->CreateUser(u);
  if (!user.ok()) return FailCommand("users add", user.status());
  std::cout << "created user '" << user->name << "' (" << workflow::RoleName(user->role)
            << ", unit " << user->unit.value() << (user->machine ? ", machine" : "") << ")\n";
  if (generated) PrintPasswordOnce(user->name, u.password);
  return 0;
}

int RunList(const UsersOptions& o) {
  StatusOr<UsersContext> ctx = OpenUsers(o, /*migrate=*/false);
  if (!ctx.ok()) return FailCommand("users list", ctx.status());
  StatusOr<std::vector<auth::User>> users = ctx->accounts->ListUsers();
  if (!users.ok()) return FailCommand("users list", users.status());
  std::cout << "name\tdisplay_name\trole\tunit\tstatus\tfailed_logins\tcreated\n";
  absl::Time now = DefaultClock()->Now();
  for (const auth::User& u : *users) {
    std::string status = u.disabled ? "disabled" : "active";
    if (u.locked_until && *u.locked_until > now) {
      status += StrCat(",locked until ", FormatCst(*u.locked_until));
    }
    if (u.machine) status += ",machine";
    std::cout << u.name << "\t" << u.display_name << "\t" << workflow::RoleName(u.role) << "\t"
              << u.unit.value() << "\t" << status << "\t" << u.failed_logins << "\t"
              << FormatCst(u.created_at) << "\n";
  }
  std::cout << users->size() << " users\n";
  return 0;
}

int RunApiKey(const UsersOptions& o) {
  StatusOr<UsersContext> ctx = OpenUsers(o, /*migrate=*/false);
  if (!ctx.ok()) return FailCommand("users api-key", ctx.status());
  StatusOr<std::string> key = ctx->accounts->CreateApiKey(o.name, o.label);
  if (!key.ok()) return FailCommand("users api-key", key.status());
  std::cout << "API key for '" << o.name << "' (" << o.label
            << ", shown once, store it safely): " << *key << "\n";
  return 0;
}

// unlock, disable, enable: one call on one user.
int RunUserChange(const UsersOptions& o, std::string_view command) {
  StatusOr<UsersContext> ctx = OpenUsers(o, /*migrate=*/false);
  if (!ctx.ok()) return FailCommand(command, ctx.status());
  auth::Accounts& a = *ctx->accounts;
  Status s = command == "users unlock"    ? a.Unlock(o.name)
             : command == "users disable" ? a.SetDisabled(o.name, true)
                                          : a.SetDisabled(o.name, false);
  if (!s.ok()) return FailCommand(command, s);
  std::string_view done = command == "users unlock"    ? "unlocked"
                          : command == "users disable" ? "disabled"
                                                       : "enabled";
  std::cout << done << " '" << o.name << "'\n";
  return 0;
}

}  // namespace

void AddUsersCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<UsersOptions>();
  CLI::App* cmd =
      app.add_subcommand("users", "Accounts for `fanzha serve`: people, feeds, API keys");
  cmd->require_subcommand(1);

  CLI::App* admin = cmd->add_subcommand(
      "create-admin", "Create the first administrator (migrates the schema; prints the password)");
  AddStoreOptions(admin, &o->store);
  admin->add_option("--name", o->name, "login name")->default_val("admin");
  admin->add_option("--unit", o->unit, "unit code")->default_val("640100");
  admin->callback([o, &exit_code] { exit_code = RunCreateAdmin(*o); });

  CLI::App* add = cmd->add_subcommand("add", "Add a user (prints a generated password once)");
  AddStoreOptions(add, &o->store);
  add->add_option("--name", o->name, "login name: letters, digits, '.', '_', '-'")->required();
  add->add_option("--role", o->role,
                  "dispatcher, supervisor, officer, grid_worker, analyst, auditor, admin, feed")
      ->required();
  add->add_option("--unit", o->unit, "unit code (the user sees this unit's subtree)")->required();
  add->add_option("--display-name", o->display_name, "name shown in the console (王伟)");
  add->add_flag("--machine", o->machine, "a data feed: API keys only, no password");
  add->add_flag("--password-stdin", o->password_stdin, "read the password from standard input");
  add->callback([o, &exit_code] { exit_code = RunAdd(*o); });

  CLI::App* list = cmd->add_subcommand("list", "List users");
  AddStoreOptions(list, &o->store);
  list->callback([o, &exit_code] { exit_code = RunList(*o); });

  CLI::App* key = cmd->add_subcommand("api-key", "Create an API key for a machine user");
  AddStoreOptions(key, &o->store);
  key->add_option("--name", o->name, "machine user")->required();
  key->add_option("--label", o->label, "what uses the key (carrier CDR feed)")->required();
  key->callback([o, &exit_code] { exit_code = RunApiKey(*o); });

  for (std::string_view change : {"unlock", "disable", "enable"}) {
    std::string help = change == "unlock"    ? "Clear a lockout after failed logins"
                       : change == "disable" ? "Disable a user and end their sessions"
                                             : "Enable a disabled user";
    CLI::App* sub = cmd->add_subcommand(std::string(change), help);
    AddStoreOptions(sub, &o->store);
    sub->add_option("--name", o->name, "login name")->required();
    std::string command = StrCat("users ", change);
    sub->callback([o, &exit_code, command] { exit_code = RunUserChange(*o, command); });
  }
}

}  // namespace fz::cli
