#include "fz/cli/warnings_command.h"

#include <iostream>
#include <memory>

#include "fz/cli/store_cli.h"
#include "fz/common/str_cat.h"

namespace fz::cli {
namespace {

struct WarningsOptions {
  StoreCliOptions store;
  std::string unit;
  std::string level;
  std::string state;
  std::string subject;
  std::string from, to;
  int limit = 50;
  int64_t id = 0;
};

StatusOr<store::WarningFilter> MakeFilter(const WarningsOptions& o) {
  store::WarningFilter f;
  f.unit = model::UnitCode(o.unit);
  f.limit = o.limit;
  f.subject = o.subject;
  if (!o.level.empty()) {
    f.level = model::ParseWarningLevel(o.level);
    if (!f.level) return absl::InvalidArgumentError(StrCat("--level: '", o.level, "'"));
  }
  if (!o.state.empty()) {
    f.state = workflow::ParseWarningState(o.state);
    if (!f.state) return absl::InvalidArgumentError(StrCat("--state: '", o.state, "'"));
  }
  if (!o.from.empty()) {
    FZ_ASSIGN_OR_RETURN(f.from, ParseCliTime("--from", o.from));
  }
  if (!o.to.empty()) {
    FZ_ASSIGN_OR_RETURN(f.to, ParseCliTime("--to", o.to));
  }
  return f;
}

int RunList(const WarningsOptions& o) {
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, false);
  if (!ctx.ok()) return FailCommand("warnings list", ctx.status());
  StatusOr<workflow::Actor> actor = CliActor(o.store, **ctx);
  if (!actor.ok()) return FailCommand("warnings list", actor.status());
  StatusOr<store::WarningFilter> filter = MakeFilter(o);
  if (!filter.ok()) return FailCommand("warnings list", filter.status());
  StatusOr<store::WarningPage> page = (*ctx)->store->ListWarnings(*filter, *actor);
  if (!page.ok()) return FailCommand("warnings list", page.status());
  std::cout << "id\tcreated\tlevel\tstate\tunit\tqueue\tsubject\tfraud_type\troute_reason\n";
  for (const store::WarningSummary& s : page->rows) {
    std::cout << s.id.value() << "\t" << FormatCst(s.created_at) << "\t"
              << model::WarningLevelColourZh(s.level) << "\t"
              << workflow::WarningStateNameZh(s.state) << "\t" << s.unit.value() << "\t"
              << workflow::RouteQueueName(s.queue)
              << (s.target_city.empty() ? "" : ":" + s.target_city) << "\t" << s.subject << "\t"
              << (*ctx)->types.Info(model::FraudType{s.fraud_type}).name_zh << "\t"
              << s.route_reason << "\n";
  }
  std::cerr << page->rows.size() << " warnings" << (page->next ? " (more: narrow with --to)" : "")
            << "\n";
  return 0;
}

int RunShow(const WarningsOptions& o) {
  StatusOr<std::unique_ptr<StoreContext>> ctx = OpenStoreContext(o.store, false);
  if (!ctx.ok()) return FailCommand("warnings show", ctx.status());
  StatusOr<workflow::Actor> actor = CliActor(o.store, **ctx);
  if (!actor.ok()) return FailCommand("warnings show", actor.status());
  StatusOr<store::WarningDetail> d = (*ctx)->store->GetWarning(model::WarningId(o.id), *actor);
  if (!d.ok()) return FailCommand("warnings show", d.status());
  const store::WarningSummary& s = d->summary;
  std::cout << "预警 " << s.id.value() << "  " << model::WarningLevelColourZh(s.level) << "色  "
            << workflow::WarningStateNameZh(s.state) << "\n"
            << "对象: " << s.subject << " (" << s.subject_kind << ")"
            << (s.person_name.empty() ? "" : "  " + s.person_name) << "\n"
            << "类型: " << (*ctx)->types.Info(model::FraudType{s.fraud_type}).name_zh
            << "  来源: " << s.source << "  分值: " << s.score << "\n"
            << "单位: " << s.unit.value() << "  分流: " << s.route_reason << "\n";
  for (const model::Evidence& e : d->evidence) {
    std::cout << "  证据 " << FormatCst(e.time) << " " << e.reason << " [" << e.rule_id << "]\n";
  }
  for (const store::TransitionRecord& t : d->transitions) {
    std::cout << "  流转 " << FormatCst(t.at) << " " << workflow::WarningStateName(t.from) << " → "
              << workflow::WarningStateName(t.to) << " by " << t.actor << " ("
              << workflow::RoleName(t.role) << ", " << t.unit.value() << ")"
              << (t.note.empty() ? "" : " " + t.note) << "\n";
  }
  for (const store::StepRow& st : d->steps) {
    std::cout << "  劝阻 " << FormatCst(st.at) << " " << workflow::StepKindNameZh(st.kind) << " = "
              << workflow::StepResultName(st.result) << " by " << st.actor << "\n";
  }
  for (const workflow::SlaTimer& t : d->timers) {
    std::cout << "  时限 " << workflow::SlaClockNameZh(t.clock) << " due " << FormatCst(t.first_due)
              << (t.met_at ? " met " + FormatCst(*t.met_at) : " open") << "\n";
  }
  for (const store::EscalationRecord& e : d->escalations) {
    std::cout << "  督办 " << FormatCst(e.at) << " " << e.reason << "\n";
  }
  if (d->next_step.kind) {
    std::cout << "下一步: " << workflow::StepKindNameZh(*d->next_step.kind) << "（"
              << d->next_step.reason << "）\n";
  }
  return 0;
}

}  // namespace

void AddWarningsCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<WarningsOptions>();
  CLI::App* cmd = app.add_subcommand("warnings", "List and show stored warnings");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "Warnings of a unit subtree, newest first");
  AddStoreOptions(list, &o->store);
  AddActorOptions(list, &o->store);
  list->add_option("--unit", o->unit, "unit subtree (default: the actor's unit)");
  list->add_option("--level", o->level, "red, orange or yellow");
  list->add_option("--state", o->state, "dispatched, accepted, ... (docs/workflow.md)");
  list->add_option("--subject", o->subject, "exact canonical phone/account/ID (反查)");
  list->add_option("--from", o->from, "created at or after (2026-11-26 or RFC 3339)");
  list->add_option("--to", o->to, "created before");
  list->add_option("--limit", o->limit, "rows")->default_val(50);
  list->callback([o, &exit_code] { exit_code = RunList(*o); });
  CLI::App* show = cmd->add_subcommand("show", "One warning with its history");
  AddStoreOptions(show, &o->store);
  AddActorOptions(show, &o->store);
  show->add_option("ID", o->id, "warning id")->required();
  show->callback([o, &exit_code] { exit_code = RunShow(*o); });
}

}  // namespace fz::cli
