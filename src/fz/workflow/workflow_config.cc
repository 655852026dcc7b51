#include "fz/workflow/workflow_config.h"

#include "fz/common/str_cat.h"

namespace fz::workflow {
namespace {

using model::WarningLevel;

constexpr std::array<std::pair<WarningLevel, std::string_view>, 3> kLevels = {{
    {WarningLevel::kRed, "red"},
    {WarningLevel::kOrange, "orange"},
    {WarningLevel::kYellow, "yellow"},
}};

StatusOr<std::vector<StepKind>> GetSteps(const Config& config, const std::string& key,
                                         const std::vector<StepKind>& fallback) {
  if (!config.Has(key)) return fallback;
  FZ_ASSIGN_OR_RETURN(std::vector<std::string> names, config.GetStringList(key));
  std::vector<StepKind> steps;
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<StepKind> kind = ParseStepKind(names[i]);
    if (!kind) {
      return absl::InvalidArgumentError(
          StrCat(config.source_name(), ": ", key, "[", static_cast<int64_t>(i), "]: '", names[i],
                 "' is not a step (ai_call, sms, officer_call, visit, stop_payment, follow_up)"));
    }
    steps.push_back(*kind);
  }
  if (steps.empty()) {
    return absl::InvalidArgumentError(
        StrCat(config.source_name(), ": ", key, ": a plan needs at least one step"));
  }
  return steps;
}

Status ReadSla(const Config& config, SlaConfig& sla) {
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys("sla", {"red", "orange", "yellow"}));
  for (const auto& [level, name] : kLevels) {
    std::string table = StrCat("sla.", name);
    FZ_RETURN_IF_ERROR(
        config.CheckNoUnknownKeys(table, {"accept", "first_contact", "visit", "visit_required"}));
    LevelClocks& clocks = sla.by_level[static_cast<size_t>(level)];
    const absl::Duration min = absl::Seconds(1);
    FZ_ASSIGN_OR_RETURN(clocks.accept, config.GetDurationOr(table + ".accept", clocks.accept, min));
    FZ_ASSIGN_OR_RETURN(clocks.first_contact,
                        config.GetDurationOr(table + ".first_contact", clocks.first_contact, min));
    FZ_ASSIGN_OR_RETURN(clocks.visit_required,
                        config.GetBoolOr(table + ".visit_required", clocks.visit_required));
    FZ_ASSIGN_OR_RETURN(clocks.visit, config.GetDurationOr(table + ".visit", clocks.visit, min));
  }
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys("escalation", {"second_factor"}));
  FZ_ASSIGN_OR_RETURN(sla.second_factor,
                      config.GetDoubleOr("escalation.second_factor", sla.second_factor, 1.0, 100));
  return absl::OkStatus();
}

Status ReadPlans(const Config& config, const model::FraudTypeRegistry& types, PlanConfig& plans) {
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys(
      "plans", {"ai_call_attempts", "red", "orange", "yellow", "by_fraud_type"}));
  int64_t attempts = 0;
  FZ_ASSIGN_OR_RETURN(attempts,
                      config.GetIntOr("plans.ai_call_attempts", plans.ai_call_attempts, 1, 10));
  plans.ai_call_attempts = static_cast<int>(attempts);
  for (const auto& [level, name] : kLevels) {
    auto& steps = plans.by_level[static_cast<size_t>(level)];
    FZ_ASSIGN_OR_RETURN(steps, GetSteps(config, StrCat("plans.", name), steps));
  }
  for (const std::string& code : config.Keys("plans.by_fraud_type")) {
    std::string table = StrCat("plans.by_fraud_type.", code);
    StatusOr<model::FraudType> type = types.Parse(code);
    if (!type.ok()) {
      return absl::InvalidArgumentError(
          StrCat(config.source_name(), ": ", table, ": ", type.status().message()));
    }
    FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys(table, {"red", "orange", "yellow"}));
    for (const auto& [level, name] : kLevels) {
      std::string key = StrCat(table, ".", name);
      if (!config.Has(key)) continue;
      FZ_ASSIGN_OR_RETURN(plans.by_fraud_type[type->id][static_cast<int>(level)],
                          GetSteps(config, key, {}));
    }
  }
  return absl::OkStatus();
}

StatusOr<std::map<std::string, model::UnitCode>> ReadMap(const Config& config,
                                                         const std::string& table) {
  std::map<std::string, model::UnitCode> out;
  for (const std::string& key : config.Keys(table)) {
    FZ_ASSIGN_OR_RETURN(std::string unit, config.GetString(StrCat(table, ".", key)));
    out.emplace(key, model::UnitCode(unit));
  }
  return out;
}

Status ReadRouting(const Config& config, RoutingConfig& routing) {
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys(
      "routing", {"city_code", "triage_unit", "phone_prefix_units", "cell_units"}));
  FZ_ASSIGN_OR_RETURN(routing.city_code,
                      config.GetStringOr("routing.city_code", routing.city_code));
  FZ_ASSIGN_OR_RETURN(std::string triage,
                      config.GetStringOr("routing.triage_unit", routing.triage_unit.value()));
  routing.triage_unit = model::UnitCode(triage);
  FZ_ASSIGN_OR_RETURN(routing.phone_prefix_units, ReadMap(config, "routing.phone_prefix_units"));
  FZ_ASSIGN_OR_RETURN(routing.cell_units, ReadMap(config, "routing.cell_units"));
  return absl::OkStatus();
}

}  // namespace

WorkflowConfig WorkflowConfig::Defaults() {
  WorkflowConfig c;
  auto& red = c.sla.by_level[static_cast<size_t>(WarningLevel::kRed)];
  red = {absl::Minutes(2), absl::Minutes(5), absl::Minutes(60), true};
  auto& orange = c.sla.by_level[static_cast<size_t>(WarningLevel::kOrange)];
  orange = {absl::Minutes(10), absl::Minutes(30), absl::Hours(24), true};
  auto& yellow = c.sla.by_level[static_cast<size_t>(WarningLevel::kYellow)];
  yellow = {absl::Hours(24), absl::Hours(24), absl::Hours(72), false};
  using S = StepKind;
  c.plans.by_level[static_cast<size_t>(WarningLevel::kRed)] = {S::kOfficerCall, S::kVisit,
                                                               S::kStopPayment, S::kFollowUp};
  c.plans.by_level[static_cast<size_t>(WarningLevel::kOrange)] = {S::kOfficerCall, S::kVisit,
                                                                  S::kFollowUp};
  c.plans.by_level[static_cast<size_t>(WarningLevel::kYellow)] = {S::kAiCall, S::kSms,
                                                                  S::kFollowUp};
  return c;
}

StatusOr<WorkflowConfig> WorkflowConfig::FromConfig(const Config& config,
                                                    const model::FraudTypeRegistry& types) {
  WorkflowConfig c = Defaults();
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys(
      "", {"sla", "escalation", "follow_up", "stop_payment", "plans", "routing"}));
  FZ_RETURN_IF_ERROR(ReadSla(config, c.sla));
  FZ_RETURN_IF_ERROR(ReadPlans(config, types, c.plans));
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys("follow_up", {"after"}));
  FZ_ASSIGN_OR_RETURN(c.follow_up_after,
                      config.GetDurationOr("follow_up.after", c.follow_up_after, absl::Hours(1)));
  FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys("stop_payment",
                                               {"duration", "max_per_account", "feedback_within"}));
  FZ_ASSIGN_OR_RETURN(
      c.stop_payment.duration,
      config.GetDurationOr("stop_payment.duration", c.stop_payment.duration, absl::Minutes(1)));
  FZ_ASSIGN_OR_RETURN(int64_t max_stops, config.GetIntOr("stop_payment.max_per_account",
                                                         c.stop_payment.max_per_account, 1, 10));
  c.stop_payment.max_per_account = static_cast<int>(max_stops);
  FZ_ASSIGN_OR_RETURN(c.stop_payment.feedback_within,
                      config.GetDurationOr("stop_payment.feedback_within",
                                           c.stop_payment.feedback_within, absl::Minutes(1)));
  FZ_RETURN_IF_ERROR(ReadRouting(config, c.routing));
  return c;
}

StatusOr<WorkflowConfig> WorkflowConfig::LoadFile(const std::string& path,
                                                  const model::FraudTypeRegistry& types) {
  FZ_ASSIGN_OR_RETURN(Config config, Config::LoadFile(path));
  return FromConfig(config, types);
}

const std::vector<StepKind>& WorkflowConfig::PlanFor(model::WarningLevel level,
                                                     model::FraudType type) const {
  if (auto it = plans.by_fraud_type.find(type.id); it != plans.by_fraud_type.end()) {
    if (auto lv = it->second.find(static_cast<int>(level)); lv != it->second.end()) {
      return lv->second;
    }
  }
  return plans.by_level[static_cast<size_t>(level)];
}

}  // namespace fz::workflow
