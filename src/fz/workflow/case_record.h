// Cases (案件) opened when a person was defrauded, the suspect identifiers that flow back to
// intelligence as pending indicators, and follow-ups (回访) (docs/workflow.md).
//
// Plain values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fz/model/event.h"
#include "fz/model/fraud_type.h"
#include "fz/model/ids.h"
#include "fz/model/indicator.h"

namespace fz::workflow {

struct SuspectIdentifier {
  model::IndicatorKind kind = model::IndicatorKind::kPhone;
  std::string value;  // canonical form for its kind
};

struct CaseDraft {
  std::string victim_name;
  std::string victim_phone;
  std::string victim_id_no;
  model::Money loss;
  model::FraudType fraud_type;
  std::vector<SuspectIdentifier> suspects;
};

struct CaseRecord {
  model::CaseId id;
  model::WarningId warning;
  model::UnitCode unit;
  absl::Time opened_at;
  bool after_dissuasion = false;  // 劝阻后发案
  CaseDraft details;
};

enum class PendingStatus : uint8_t { kPending, kConfirmed, kRejected };

struct PendingIndicator {
  int64_t id = 0;
  SuspectIdentifier identifier;
  model::FraudType fraud_type;
  std::string source;  // "case:12"
  PendingStatus status = PendingStatus::kPending;
  absl::Time created_at;
};

struct FollowUp {
  model::WarningId warning;
  absl::Time due_at;
  std::optional<absl::Time> done_at;
  std::string result;  // "ok", "defrauded_after_dissuasion"
};

}  // namespace fz::workflow
