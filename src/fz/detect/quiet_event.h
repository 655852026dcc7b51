// Quiet events: the ~99% of traffic that touches no intelligence, matches no text pattern and
// whose subject has no state (no window entries, firings or score). Most rules cannot fire on
// such an event whatever its other fields say ("intel.caller && ...", "seen(...) && ...",
// "text.weight >= 3"), so the detector evaluates only the rules that can.
//
//   if (FalseOnQuietEvent(rule.condition)) ...  // skip the rule for quiet events
//
// The analysis evaluates the program over "known or unknown" values: on a quiet event every
// intel field is a miss (hit = false, its parts null), text fields are false / 0 / null,
// score is 0, seen() and linked() are false, and hit-only count()/distinct() are 0; every other
// field is unknown. The answer is "false" only if the program is false for every value of the
// unknown fields, so skipping never changes a result (detect_test checks it rule by rule
// against full evaluation).
#pragma once

#include <optional>

#include "fz/detect/expr.h"

namespace fz::detect {

// True when `program` is false on every quiet event (see above); false when it may be true.
bool FalseOnQuietEvent(const Program& program);

// The value of `field` (read as `node`) on a quiet event, when it is known.
std::optional<Value> QuietValue(const Node& node);

}  // namespace fz::detect
