// Quiet events: the ~99% of traffic that touches no intelligence and matches no text pattern,
// most of it about subjects without state (no window entries, firings or score). Most rules
// cannot fire on such an event whatever its other fields say ("intel.caller && ...",
// "seen(...) && ...", "text.weight >= 3"), so the detector evaluates only the rules that can.
//
//   if (FalseOnQuietEvent(rule.condition, QuietSubject::kNoState)) ...  // skip the rule
//
// The analysis evaluates the program over "known or unknown" values: on a quiet event every
// intel field is a miss (hit = false, its parts null) and text fields are false / 0 / null;
// if the subject has no state, score is 0, seen() and linked() are false and hit-only
// count()/distinct() are 0 as well. Every other field is unknown. The answer is "false" only
// if the program is false for every value of the unknown fields, so skipping never changes a
// result (quiet_event_test checks it rule by rule against the real evaluator).
#pragma once

#include <optional>

#include "fz/detect/expr.h"
#include "fz/model/event.h"

namespace fz::detect {

// What is known about a quiet event's subject.
enum class QuietSubject {
  kNoState,   // nothing remembered: windows and scores are empty
  kAnyState,  // windows, firings and score may hold anything
};

// True when `program` is false on every quiet event about such a subject (see above); false
// when it may be true.
bool FalseOnQuietEvent(const Program& program, QuietSubject subject);

// The value `node` (a field) reads on a quiet event about such a subject, when it is known.
std::optional<Value> QuietValue(const Node& node, QuietSubject subject);

// A comparison of a plain event number with a constant ("duration_s >= 600", "1000 <= amount")
// that must hold for `program` to be true: a conjunct of its top-level `&&` chain. The detector
// checks it before evaluating the rule (one read and one compare, skipping most calls for rules
// such as "duration_s >= 600 && caller.international && ..."), with the node's own operator and
// operands, so the check is exactly that conjunct.
struct NecessaryComparison {
  int32_t node = -1;  // the comparison node in program.nodes()
};
// The first such comparison in evaluation order, if any. Fields: duration_s, amount, loss,
// suspect_count (read straight from the event, no lookups).
std::optional<NecessaryComparison> NecessaryComparisonOf(const Program& program);

// The detector's fast path for quiet events (detector.cc): each candidate rule's necessary
// comparison read straight from the event, then its program folded for quiet events.
//
// A necessary comparison as "event number `op` value" (the constant moved to the right).
struct QuietScreen {
  Field field = Field::kNone;  // kNone: no screen
  Op op = Op::kGe;
  double value = 0;
};
QuietScreen ScreenOf(const Program& program, const NecessaryComparison& c);
// The comparison on `event`, exactly as the program's node would compute it: false when the
// event has no such number (a comparison with null).
inline bool ScreenHolds(const QuietScreen& screen, const model::Event& event) {
  double v = 0;
  // As EventContext::Get reads these fields.
  switch (screen.field) {
    case Field::kDurationS:
      if (const auto* x = std::get_if<model::CallEvent>(&event.body)) {
        v = x->duration_s;
        break;
      }
      return false;
    case Field::kAmount:
      if (const auto* x = std::get_if<model::TransferEvent>(&event.body)) {
        v = static_cast<double>(x->amount.fen) / 100.0;
        break;
      }
      return false;
    case Field::kLoss:
      if (const auto* x = std::get_if<model::ReportEvent>(&event.body)) {
        v = static_cast<double>(x->loss.fen) / 100.0;
        break;
      }
      return false;
    case Field::kSuspectCount:
      if (const auto* x = std::get_if<model::ReportEvent>(&event.body)) {
        v = static_cast<double>(x->suspect_phones.size() + x->suspect_accounts.size() +
                                x->suspect_domains.size());
        break;
      }
      return false;
    default:
      return true;  // no screen
  }
  switch (screen.op) {
    case Op::kEq:
      return v == screen.value;
    case Op::kNe:
      return v != screen.value;
    case Op::kLt:
      return v < screen.value;
    case Op::kLe:
      return v <= screen.value;
    case Op::kGt:
      return v > screen.value;
    case Op::kGe:
      return v >= screen.value;
    default:
      return false;
  }
}

// `program` with what QuietValue knows about quiet events about `subject` folded in
// (Program::Fold), and the necessary comparison `screen` (if any) taken as true: evaluate it
// only on quiet events whose screen held, and for kNoState only while the subject has no
// state. On such events its Evaluate() equals the program's (quiet_event_test).
Program FoldForQuietEvent(const Program& program, QuietSubject subject,
                          std::optional<NecessaryComparison> screen);

}  // namespace fz::detect
