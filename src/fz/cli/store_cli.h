// What the store commands share: --db, --workflow-config and --units options, opening the
// store (and checking its schema), the acting user (--user/--role/--actor-unit), and time
// flags. Only wiring; the logic is in workflow/ and store/.
#pragma once

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/model/fraud_type.h"
#include "fz/store/store.h"
#include "fz/units/unit_tree.h"
#include "fz/workflow/workflow_config.h"

namespace fz::cli {

struct StoreCliOptions {
  std::string db;
  std::string workflow_config;
  std::string units;
  std::string user = "cli";
  std::string role = "analyst";  // city-wide and masked: personal data only when asked for
  std::string actor_unit;        // default: the city
};

void AddStoreOptions(CLI::App* cmd, StoreCliOptions* o);
void AddActorOptions(CLI::App* cmd, StoreCliOptions* o);

struct StoreContext {
  model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  workflow::WorkflowConfig config;
  units::UnitTree tree;
  std::unique_ptr<store::Store> store;  // declared last: destroyed first
};

// Loads config and units and opens the store. `migrate`: apply pending migrations; otherwise
// a store with pending migrations is an error telling the user to run `fanzha db migrate`.
StatusOr<std::unique_ptr<StoreContext>> OpenStoreContext(
    const StoreCliOptions& o, bool migrate, const model::FraudTypeRegistry* types = nullptr);

StatusOr<workflow::Actor> CliActor(const StoreCliOptions& o, const StoreContext& ctx);

// "2026-11-26" (00:00 China Standard Time) or RFC 3339.
StatusOr<absl::Time> ParseCliTime(std::string_view flag, const std::string& text);
std::string FormatCst(absl::Time t);

int FailCommand(std::string_view command, const Status& status);

}  // namespace fz::cli
