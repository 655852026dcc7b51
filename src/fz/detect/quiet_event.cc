#include "fz/detect/quiet_event.h"

#include <vector>

namespace fz::detect {
namespace {

using Known = std::optional<Value>;  // nullopt: unknown

bool IsIntelField(Field f) { return f >= Field::kIntelParty && f <= Field::kIntelAny; }

Known Eval(const std::vector<Node>& nodes, int32_t index, QuietSubject subject) {
  const Node& node = nodes[static_cast<size_t>(index)];
  switch (node.op) {
    case Op::kConst:
      // String constants live in the program's string table: unknown here (conservative).
      if (node.constant.kind == ValueKind::kString) return std::nullopt;
      return node.constant;
    case Op::kField:
      return QuietValue(node, subject);
    case Op::kNot: {
      const Known v = Eval(nodes, node.lhs, subject);
      if (!v) return std::nullopt;
      return Value::Bool(!v->Truthy());
    }
    case Op::kAnd: {
      const Known a = Eval(nodes, node.lhs, subject);
      const Known b = Eval(nodes, node.rhs, subject);
      if ((a && !a->Truthy()) || (b && !b->Truthy())) return Value::Bool(false);
      if (a && b) return Value::Bool(true);
      return std::nullopt;
    }
    case Op::kOr: {
      const Known a = Eval(nodes, node.lhs, subject);
      const Known b = Eval(nodes, node.rhs, subject);
      if ((a && a->Truthy()) || (b && b->Truthy())) return Value::Bool(true);
      if (a && b) return Value::Bool(false);
      return std::nullopt;
    }
    case Op::kIn:
      return std::nullopt;  // list items may be strings: unknown (conservative)
    case Op::kContains: {
      const Known v = Eval(nodes, node.lhs, subject);
      if (v && v->kind != ValueKind::kString) return Value::Bool(false);
      return std::nullopt;
    }
    default:
      break;
  }
  const Known a = Eval(nodes, node.lhs, subject);
  const Known b = Eval(nodes, node.rhs, subject);
  // A null side makes any comparison false, whatever the other side is.
  if ((a && a->kind == ValueKind::kNull) || (b && b->kind == ValueKind::kNull)) {
    return Value::Bool(false);
  }
  if (!a || !b) return std::nullopt;
  return CompareValues(node.op, *a, *b);
}

}  // namespace

std::optional<Value> QuietValue(const Node& node, QuietSubject subject) {
  if (IsIntelField(node.field)) {
    return node.intel_part == IntelPart::kHit ? Value::Bool(false) : Value::Null();
  }
  const bool no_state = subject == QuietSubject::kNoState;
  switch (node.field) {
    case Field::kTextHit:
      return Value::Bool(false);
    case Field::kTextWeight:
    case Field::kTextCount:
      return Value::Number(0);
    case Field::kTextFraudType:
      return Value::Null();
    case Field::kSeen:
    case Field::kLinked:
      if (no_state) return Value::Bool(false);
      return std::nullopt;
    case Field::kScore:
      if (no_state) return Value::Number(0);
      return std::nullopt;
    case Field::kCount:
    case Field::kDistinct:
      // Hit-only windows count neither the quiet event nor (no state) anything before it.
      if (no_state && node.hits_only) return Value::Number(0);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

namespace {

bool IsPlainEventNumber(const Node& node) {
  if (node.op != Op::kField) return false;
  switch (node.field) {
    case Field::kDurationS:
    case Field::kAmount:
    case Field::kLoss:
    case Field::kSuspectCount:
      return true;
    default:
      return false;
  }
}

bool IsNumberConstant(const Node& node) {
  return node.op == Op::kConst && node.constant.kind == ValueKind::kNumber;
}

// Left to right through `a && b && ...`: `a` is evaluated first, so its comparison is the
// cheapest place to stop.
std::optional<NecessaryComparison> Necessary(const std::vector<Node>& nodes, int32_t index) {
  const Node& node = nodes[static_cast<size_t>(index)];
  switch (node.op) {
    case Op::kAnd:
      if (auto left = Necessary(nodes, node.lhs)) return left;
      return Necessary(nodes, node.rhs);
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      const Node& a = nodes[static_cast<size_t>(node.lhs)];
      const Node& b = nodes[static_cast<size_t>(node.rhs)];
      if ((IsPlainEventNumber(a) && IsNumberConstant(b)) ||
          (IsNumberConstant(a) && IsPlainEventNumber(b))) {
        return NecessaryComparison{index};
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;  // `||`, `!` and the rest: no single necessary comparison
  }
}

}  // namespace

std::optional<NecessaryComparison> NecessaryComparisonOf(const Program& program) {
  if (program.empty()) return std::nullopt;
  return Necessary(program.nodes(), static_cast<int32_t>(program.nodes().size() - 1));
}

bool FalseOnQuietEvent(const Program& program, QuietSubject subject) {
  if (program.empty()) return false;  // an empty program is true
  const Known v = Eval(program.nodes(), static_cast<int32_t>(program.nodes().size() - 1), subject);
  return v.has_value() && !v->Truthy();
}

QuietScreen ScreenOf(const Program& program, const NecessaryComparison& c) {
  const std::vector<Node>& nodes = program.nodes();
  const Node& node = nodes[static_cast<size_t>(c.node)];
  const Node& lhs = nodes[static_cast<size_t>(node.lhs)];
  const Node& rhs = nodes[static_cast<size_t>(node.rhs)];
  QuietScreen s;
  s.op = node.op;
  if (lhs.op == Op::kField) {
    s.field = lhs.field;
    s.value = rhs.constant.number;
    return s;
  }
  // `600 <= duration_s` is `duration_s >= 600` (also for NaN: both false).
  s.field = rhs.field;
  s.value = lhs.constant.number;
  switch (node.op) {
    case Op::kLt:
      s.op = Op::kGt;
      break;
    case Op::kLe:
      s.op = Op::kGe;
      break;
    case Op::kGt:
      s.op = Op::kLt;
      break;
    case Op::kGe:
      s.op = Op::kLe;
      break;
    default:
      break;
  }
  return s;
}

Program FoldForQuietEvent(const Program& program, QuietSubject subject,
                          std::optional<NecessaryComparison> screen) {
  const std::vector<Node>& nodes = program.nodes();
  return program.Fold([&](int32_t index) -> std::optional<Value> {
    if (screen && index == screen->node) return Value::Bool(true);
    const Node& node = nodes[static_cast<size_t>(index)];
    if (node.op != Op::kField) return std::nullopt;
    return QuietValue(node, subject);
  });
}

}  // namespace fz::detect
