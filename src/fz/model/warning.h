// Warning (预警): a potential fraud victim found in the data, with why we think so.
//
// The subject is the potential victim, never the fraudster: the callee of a fraud call, the
// receiver of a fraud SMS, the line that visited a fraud domain, the payer of a transfer to a
// mule account, the subject named in a directive. One open warning per subject: new signals
// add evidence and may upgrade its level; an upgrade is recorded as an event of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fz/model/event.h"
#include "fz/model/fraud_type.h"
#include "fz/model/ids.h"
#include "fz/model/warning_level.h"

namespace fz::model {

enum class SubjectKind : uint8_t { kPhone, kAccount, kIdNo };

std::string_view SubjectKindName(SubjectKind kind);  // "phone", "account", "id_no"

// One piece of evidence: an event, the rule it fired and, when intelligence matched, the
// indicator. `reason` is the human-readable Chinese explanation shown to officers.
struct Evidence {
  EventId event_id;
  EventType event_type = EventType::kCall;
  absl::Time time;
  std::string rule_id;
  std::string reason;  // "与境外号码+85517652903通话412秒（该号码为刷单返利涉诈号码）"
  std::string indicator;  // "phone:+85517652903", empty when none
};

struct LevelChange {
  absl::Time at;
  WarningLevel from = WarningLevel::kYellow;
  WarningLevel to = WarningLevel::kYellow;
  std::string rule_id;
};

struct Warning {
  WarningId id;
  std::string subject;  // canonical phone, account number or ID number
  SubjectKind subject_kind = SubjectKind::kPhone;
  WarningLevel level = WarningLevel::kYellow;
  double score = 0;
  FraudType fraud_type;
  UnitCode unit;  // empty until routed
  std::vector<std::string> rule_ids;
  absl::Time created_at;  // event time of the signal that opened it
  absl::Time updated_at;
  std::vector<LevelChange> upgrades;
  std::vector<Evidence> evidence;
};

}  // namespace fz::model
