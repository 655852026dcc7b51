// Warnings as JSONL, exactly docs/formats.md "Warnings out": one object per warning with
// id, subject, subject_kind, level, score, fraud_type (code), unit_code, rules, created_at,
// updated_at, upgrades [{at, from, to, rule}] and evidence [{event_id, type, ts, rule, reason,
// indicator}]. Times are RFC 3339 in China Standard Time ("2026-11-26T09:30:00+08:00").
//
//   FZ_RETURN_IF_ERROR(WriteWarningsJsonl("warnings.jsonl", warnings, types));
//   FZ_ASSIGN_OR_RETURN(std::vector<model::Warning> back, ReadWarningsJsonl(path, types));
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/model/fraud_type.h"
#include "fz/model/warning.h"

namespace fz::detect {

// One line, no trailing newline.
std::string WarningToJson(const model::Warning& warning, const model::FraudTypeRegistry& types);

// Parses one line. Errors name the field ("level: 'purple' is not a level").
StatusOr<model::Warning> WarningFromJson(std::string_view line,
                                         const model::FraudTypeRegistry& types);

Status WriteWarningsJsonl(const std::string& path, const std::vector<model::Warning>& warnings,
                          const model::FraudTypeRegistry& types);
// The same for warnings held elsewhere (ParallelDetector::WarningRefs). Large files are
// formatted on two threads.
Status WriteWarningsJsonl(const std::string& path,
                          const std::vector<const model::Warning*>& warnings,
                          const model::FraudTypeRegistry& types);

// Blank lines are skipped; a bad line is an error "path:line: message".
StatusOr<std::vector<model::Warning>> ReadWarningsJsonl(const std::string& path,
                                                        const model::FraudTypeRegistry& types);

}  // namespace fz::detect
