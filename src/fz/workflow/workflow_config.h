// WorkflowConfig: every number of the workflow (SLA clocks, escalation, follow-up, stop-payment,
// plans, routing maps), with DOMAIN.md's defaults, optionally read from a TOML file whose errors
// name file, line and key. Layout and defaults: docs/workflow.md "Configuration".
//
//   WorkflowConfig config = WorkflowConfig::Defaults();
//   FZ_ASSIGN_OR_RETURN(WorkflowConfig mine, WorkflowConfig::LoadFile("wf.toml", types));
//   config.sla.For(model::WarningLevel::kRed).accept;   // 2 minutes
//
// Immutable after loading; safe to read from any thread.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/config.h"
#include "fz/common/status.h"
#include "fz/model/fraud_type.h"
#include "fz/model/ids.h"
#include "fz/model/warning_level.h"
#include "fz/workflow/plan.h"

namespace fz::workflow {

struct LevelClocks {
  absl::Duration accept;
  absl::Duration first_contact;
  absl::Duration visit;  // meaningful only when visit_required
  bool visit_required = false;
};

struct SlaConfig {
  std::array<LevelClocks, 4> by_level;  // index static_cast<int>(WarningLevel), 1..3
  double second_factor = 2.0;           // second deadline = start + factor x clock → city
  const LevelClocks& For(model::WarningLevel level) const {
    return by_level[static_cast<size_t>(level)];
  }
};

struct PlanConfig {
  int ai_call_attempts = 2;
  std::array<std::vector<StepKind>, 4> by_level;
  // fraud type id → level → steps (only the levels given are overridden).
  std::map<uint16_t, std::map<int, std::vector<StepKind>>> by_fraud_type;
};

struct StopPaymentConfig {
  absl::Duration duration = absl::Hours(48);
  int max_per_account = 2;
  absl::Duration feedback_within = absl::Hours(24);
};

struct RoutingConfig {
  std::string city_code = "640100";       // home-area city code treated as local
  model::UnitCode triage_unit{"640100"};  // owns the triage and 外地转办 queues
  std::map<std::string, model::UnitCode> phone_prefix_units;  // canonical prefix → unit
  std::map<std::string, model::UnitCode> cell_units;          // cell id → unit
};

struct WorkflowConfig {
  SlaConfig sla;
  PlanConfig plans;
  absl::Duration follow_up_after = absl::Hours(24 * 7);
  StopPaymentConfig stop_payment;
  RoutingConfig routing;

  static WorkflowConfig Defaults();
  // Defaults overridden by `config`; unknown keys and bad values are errors naming the line.
  static StatusOr<WorkflowConfig> FromConfig(const Config& config,
                                             const model::FraudTypeRegistry& types);
  static StatusOr<WorkflowConfig> LoadFile(const std::string& path,
                                           const model::FraudTypeRegistry& types);

  // The plan for a level, with the fraud type's override if there is one.
  const std::vector<StepKind>& PlanFor(model::WarningLevel level, model::FraudType type) const;
};

}  // namespace fz::workflow
