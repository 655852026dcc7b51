// Durations as people write them in config and rule files: "90s", "5m", "48h", "7d", "1h30m".
//
//   FZ_ASSIGN_OR_RETURN(absl::Duration sla, fz::ParseDuration("48h"));
//
// Stricter than absl::ParseDuration on purpose: no sign, no fractions, no spaces, and a unit on
// every number, so that "-3m", "1.5h" or "30" in a config file is an error rather than a guess.
// It adds "d" (24 hours), which absl lacks.
#pragma once

#include <string_view>

#include "absl/time/time.h"
#include "fz/common/status.h"

namespace fz {

// Parses one or more <digits><unit> terms, unit one of ms, s, m, h, d, and returns their sum.
// InvalidArgument, quoting `text`, for "", a sign, a fraction, a space, an unknown or missing
// unit, or a number of more than 12 digits.
StatusOr<absl::Duration> ParseDuration(std::string_view text);

}  // namespace fz
