#include "fz/cli/store_admin_command.h"

#include <iomanip>
#include <iostream>
#include <memory>

#include "fz/cli/store_cli.h"
#include "fz/common/str_cat.h"

namespace fz::cli {
namespace {

struct AdminOptions {
  StoreCliOptions store;
  std::string unit;
  std::string from, to;
};

int RunMigrate(const AdminOptions& o) {
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, true);
  if (!ctx.ok()) return FailCommand("db migrate", ctx.status());
  StatusOr<store::SchemaStatus> s = (*ctx)->store->CheckSchema();
  if (!s.ok()) return FailCommand("db migrate", s.status());
  std::cout << (*ctx)->store->backend() << ": schema version " << s->current_version << "\n";
  return 0;
}

int RunCheck(const AdminOptions& o) {
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, false);
  if (!ctx.ok()) return FailCommand("db check", ctx.status());
  store::Store& st = *(*ctx)->store;
  StatusOr<store::SchemaStatus> s = st.CheckSchema();
  if (!s.ok()) return FailCommand("db check", s.status());
  std::cout << st.backend() << ": schema version " << s->current_version << " (latest "
            << s->latest_version << ")\n";
  for (std::string_view table :
       {"warnings", "transitions", "steps", "sla_timers", "escalations", "stop_payments", "cases",
        "pending_indicators", "audit_log", "users"}) {
    StatusOr<int64_t> n = st.CountRows(table);
    if (!n.ok()) return FailCommand("db check", n.status());
    std::cout << "  " << table << ": " << *n << "\n";
  }
  return 0;
}

int RunVerify(const AdminOptions& o) {
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, false);
  if (!ctx.ok()) return FailCommand("audit verify", ctx.status());
  StatusOr<store::AuditVerification> v = (*ctx)->store->VerifyAudit();
  if (!v.ok()) return FailCommand("audit verify", v.status());
  if (!v->ok) {
    std::cout << "audit log BROKEN after " << v->rows << " good rows: " << v->problem << "\n";
    return 1;
  }
  std::cout << "audit log OK: " << v->rows << " rows, hash chain intact\n";
  return 0;
}

std::string Percent(const std::optional<double>& r) {
  if (!r) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << *r * 100 << "%";
  return out.str();
}

std::string ChangeText(const store::Change& c) {
  return StrCat(static_cast<int64_t>(c.current), " (before ", static_cast<int64_t>(c.previous),
                ", ", Percent(c.Ratio()), ")");
}

int RunKpi(const AdminOptions& o) {
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, false);
  if (!ctx.ok()) return FailCommand("kpi", ctx.status());
  StatusOr<workflow::Actor> actor = CliActor(o.store, **ctx);
  if (!actor.ok()) return FailCommand("kpi", actor.status());
  StatusOr<absl::Time> from = ParseCliTime("--from", o.from);
  if (!from.ok()) return FailCommand("kpi", from.status());
  StatusOr<absl::Time> to = ParseCliTime("--to", o.to);
  if (!to.ok()) return FailCommand("kpi", to.status());
  StatusOr<store::Kpis> k =
      (*ctx)->store->ComputeKpis({model::UnitCode(o.unit), *from, *to}, *actor);
  if (!k.ok()) return FailCommand("kpi", k.status());
  std::cout << "unit " << o.unit << ", " << o.from << " .. " << o.to << "\n"
            << "warnings handled: " << k->warnings << "\n  by level:";
  for (const auto& [level, n] : k->by_level) std::cout << " " << level << "=" << n;
  std::cout << "\n  by source:";
  for (const auto& [source, n] : k->by_source) std::cout << " " << source << "=" << n;
  std::cout << "\n  by fraud type:";
  for (const auto& [type, n] : k->by_fraud_type) {
    std::cout << " " << (*ctx)->types.Info(model::FraudType{type}).code << "=" << n;
  }
  std::cout << "\n  by state:";
  for (const auto& [state, n] : k->by_state) std::cout << " " << state << "=" << n;
  std::cout << "\n见面率 (visits done / required): " << k->visits_done << "/" << k->visits_required
            << " = " << Percent(k->visit_rate) << "\ndissuasion success: " << k->dissuaded
            << " dissuaded, " << k->defrauded << " defrauded, " << k->unreachable
            << " unreachable = " << Percent(k->dissuasion_rate) << "\n";
  for (const auto& [name, table] :
       {std::pair{"first contact", &k->first_contact}, std::pair{"visit", &k->visit_time}}) {
    for (const auto& [level, p] : *table) {
      std::cout << name << " time (" << level << ", n=" << p.count << "): p50 " << p.p50_s
                << "s, p90 " << p.p90_s << "s, p99 " << p.p99_s << "s\n";
    }
  }
  std::cout << "overdue: " << k->overdue << ", escalations: " << k->escalations << "\n"
            << "stop-payment: " << k->stop_payment_accounts << " accounts, requested ¥"
            << k->stop_payment_requested_fen / 100 << ", stopped ¥"
            << k->stop_payment_stopped_fen / 100 << "\n"
            << "cases: MoM " << ChangeText(k->cases_mom) << ", YoY " << ChangeText(k->cases_yoy)
            << "\nlosses (fen): MoM " << ChangeText(k->losses_fen_mom) << ", YoY "
            << ChangeText(k->losses_fen_yoy) << "\n劝阻后发案: " << k->defrauded_after_dissuasion
            << "\n";
  return 0;
}

}  // namespace

void AddDbCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AdminOptions>();
  CLI::App* cmd = app.add_subcommand("db", "Database schema: migrate, check");
  cmd->require_subcommand(1);
  CLI::App* migrate = cmd->add_subcommand("migrate", "Apply pending schema migrations");
  AddStoreOptions(migrate, &o->store);
  migrate->callback([o, &exit_code] { exit_code = RunMigrate(*o); });
  CLI::App* check = cmd->add_subcommand("check", "Show the schema version and table sizes");
  AddStoreOptions(check, &o->store);
  check->callback([o, &exit_code] { exit_code = RunCheck(*o); });
}

void AddAuditCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AdminOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "Audit log");
  cmd->require_subcommand(1);
  CLI::App* verify = cmd->add_subcommand("verify", "Recompute the audit log's hash chain");
  AddStoreOptions(verify, &o->store);
  verify->callback([o, &exit_code] { exit_code = RunVerify(*o); });
}

void AddKpiCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AdminOptions>();
  CLI::App* cmd = app.add_subcommand("kpi", "KPIs of a unit subtree over a period");
  AddStoreOptions(cmd, &o->store);
  AddActorOptions(cmd, &o->store);
  cmd->add_option("--unit", o->unit, "unit code (subtree root)")->required();
  cmd->add_option("--from", o->from, "period start (2026-11-01)")->required();
  cmd->add_option("--to", o->to, "period end, exclusive (2026-12-01)")->required();
  cmd->callback([o, &exit_code] { exit_code = RunKpi(*o); });
}

}  // namespace fz::cli
