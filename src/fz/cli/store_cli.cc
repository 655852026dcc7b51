#include "fz/cli/store_cli.h"

#include <iostream>

#include "fz/common/clock.h"
#include "fz/common/str_cat.h"
#include "fz/units/units_file.h"
#include "fz/units/yinchuan_seed.h"

namespace fz::cli {
namespace {
const absl::TimeZone kCst = absl::FixedTimeZone(8 * 3600);
}  // namespace

void AddStoreOptions(CLI::App* cmd, StoreCliOptions* o) {
  cmd->add_option("--db", o->db, "database URL: sqlite:PATH or postgresql://...")->required();
  cmd->add_option("--workflow-config", o->workflow_config,
                  "workflow TOML (SLA clocks, plans, routing; docs/workflow.md)");
  cmd->add_option("--units", o->units, "units CSV (default: the Yinchuan seed)");
}

void AddActorOptions(CLI::App* cmd, StoreCliOptions* o) {
  cmd->add_option("--user", o->user, "acting user (recorded in the audit log)")->default_val("cli");
  cmd->add_option("--role", o->role,
                  "role: dispatcher, supervisor, officer, grid_worker, analyst, auditor "
                  "(analyst and auditor see masked personal data)")
      ->default_val("analyst");
  cmd->add_option("--actor-unit", o->actor_unit, "the acting user's unit (default: the city)");
}

StatusOr<std::unique_ptr<StoreContext>> OpenStoreContext(const StoreCliOptions& o, bool migrate,
                                                         const model::FraudTypeRegistry* types) {
  auto ctx = std::make_unique<StoreContext>();
  if (types != nullptr) ctx->types = *types;
  if (o.workflow_config.empty()) {
    ctx->config = workflow::WorkflowConfig::Defaults();
  } else {
    FZ_ASSIGN_OR_RETURN(ctx->config,
                        workflow::WorkflowConfig::LoadFile(o.workflow_config, ctx->types));
  }
  FZ_ASSIGN_OR_RETURN(ctx->tree,
                      o.units.empty() ? units::YinchuanSeed() : units::LoadUnitsFile(o.units));
  FZ_ASSIGN_OR_RETURN(ctx->store, store::OpenStore(o.db, ctx->config, DefaultClock()));
  if (migrate) {
    FZ_RETURN_IF_ERROR(ctx->store->Migrate());
  } else {
    FZ_ASSIGN_OR_RETURN(store::SchemaStatus schema, ctx->store->CheckSchema());
    if (!schema.pending.empty()) {
      return absl::FailedPreconditionError(StrCat(o.db, ": schema version ", schema.current_version,
                                                  " of ", schema.latest_version,
                                                  "; run `fanzha db migrate --db ", o.db, "`"));
    }
  }
  return ctx;
}

StatusOr<workflow::Actor> CliActor(const StoreCliOptions& o, const StoreContext& ctx) {
  std::optional<workflow::Role> role = workflow::ParseRole(o.role);
  if (!role || *role == workflow::Role::kSystem) {
    return absl::InvalidArgumentError(StrCat("--role: '", o.role, "' is not a user role"));
  }
  model::UnitCode unit(o.actor_unit.empty() ? ctx.tree.Root()->code.value() : o.actor_unit);
  if (ctx.tree.Find(unit) == nullptr) {
    return absl::InvalidArgumentError(StrCat("--actor-unit: ", unit.value(), " is not a unit"));
  }
  return workflow::Actor{.user = o.user, .role = *role, .unit = unit};
}

StatusOr<absl::Time> ParseCliTime(std::string_view flag, const std::string& text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime("%Y-%m-%d", text, kCst, &t, &err)) return t;
  if (absl::ParseTime(absl::RFC3339_full, text, kCst, &t, &err)) return t;
  return absl::InvalidArgumentError(
      StrCat(flag, ": '", text, "' is not a date (2026-11-26) or RFC 3339 time"));
}

std::string FormatCst(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, kCst); }

int FailCommand(std::string_view command, const Status& status) {
  std::cerr << "fanzha " << command << ": " << status.message() << "\n";
  return 2;
}

}  // namespace fz::cli
