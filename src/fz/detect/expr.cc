#include "fz/detect/expr.h"

#include <functional>
#include <utility>

#include "fz/detect/expr_compiler.h"

namespace fz::detect {

bool Value::Truthy() const {
  switch (kind) {
    case ValueKind::kNull:
      return false;
    case ValueKind::kBool:
      return boolean;
    case ValueKind::kNumber:
      return number != 0;
    case ValueKind::kString:
      return !string.empty();
  }
  return false;
}

Value Program::Constant(const Node& node) const {
  if (node.constant.kind == ValueKind::kString) {
    return Value::String(strings_[static_cast<size_t>(node.str_arg)]);
  }
  return node.constant;
}

namespace {
bool Equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kBool:
      return a.boolean == b.boolean;
    case ValueKind::kNumber:
      return a.number == b.number;
    case ValueKind::kString:
      return a.string == b.string;
  }
  return false;
}
}  // namespace

// Leaves (fields and constants) are half the nodes of the default rules, mostly as operands of
// comparisons: evaluating them here rather than through another Eval call saves a recursive
// call, its frame and an indirect jump per leaf (Eval was a quarter of detection time).
inline Value Program::Operand(int32_t index, ValueSource& source) const {
  const Node& node = nodes_[static_cast<size_t>(index)];
  if (node.op == Op::kField) return FieldValue(node, source);
  if (node.op == Op::kConst) return Constant(node);
  return Eval(index, source);
}

inline Value Program::FieldValue(const Node& node, ValueSource& source) const {
  return source.Get(node, node.str_arg < 0
                              ? std::string_view()
                              : std::string_view(strings_[static_cast<size_t>(node.str_arg)]));
}

Value Program::Eval(int32_t index, ValueSource& source) const {
  const Node& node = nodes_[static_cast<size_t>(index)];
  switch (node.op) {
    case Op::kConst:
      return Constant(node);
    case Op::kField:
      return FieldValue(node, source);
    case Op::kNot:
      return Value::Bool(!Operand(node.lhs, source).Truthy());
    case Op::kAnd:
      return Value::Bool(Operand(node.lhs, source).Truthy() && Operand(node.rhs, source).Truthy());
    case Op::kOr:
      return Value::Bool(Operand(node.lhs, source).Truthy() || Operand(node.rhs, source).Truthy());
    case Op::kIn: {
      const Value v = Operand(node.lhs, source);
      if (node.list_index >= 0) {  // strings only: nothing else equals a string
        return Value::Bool(v.kind == ValueKind::kString &&
                           InStrings(string_sets_[static_cast<size_t>(node.list_index)], v.string));
      }
      for (int32_t i = 0; i < node.arg_count; ++i) {
        if (Equal(v, Constant(in_lists_[static_cast<size_t>(node.arg + i)]))) {
          return Value::Bool(true);
        }
      }
      return Value::Bool(false);
    }
    case Op::kContains: {
      const Value v = Operand(node.lhs, source);
      if (v.kind != ValueKind::kString) return Value::Bool(false);
      return Value::Bool(ContainsAny(needles_[static_cast<size_t>(node.list_index)], v.string));
    }
    default:
      break;
  }
  return CompareValues(node.op, Operand(node.lhs, source), Operand(node.rhs, source));
}

void Program::IndexNeedles(Node& node) {
  NeedleIndex index;
  std::array<uint16_t, 256> per_byte{};
  for (int32_t i = 0; i < node.arg_count; ++i) {
    const std::string& needle =
        strings_[static_cast<size_t>(in_lists_[static_cast<size_t>(node.arg + i)].str_arg)];
    if (needle.empty()) {
      index.has_empty = true;
      continue;
    }
    const auto b = static_cast<unsigned char>(needle[0]);
    index.first_bytes[b >> 6] |= uint64_t{1} << (b & 63);
    ++per_byte[b];
  }
  for (size_t b = 0; b < 256; ++b) index.start[b + 1] = index.start[b] + per_byte[b];
  index.by_first.resize(index.start[256]);
  std::array<uint16_t, 256> next{};
  for (size_t b = 0; b < 256; ++b) next[b] = index.start[b];
  for (int32_t i = 0; i < node.arg_count; ++i) {
    const int32_t str = in_lists_[static_cast<size_t>(node.arg + i)].str_arg;
    const std::string& needle = strings_[static_cast<size_t>(str)];
    if (!needle.empty()) index.by_first[next[static_cast<unsigned char>(needle[0])]++] = str;
  }
  node.list_index = static_cast<int32_t>(needles_.size());
  needles_.push_back(std::move(index));
}

void Program::IndexStrings(Node& node) {
  StringSet set;
  size_t slots = 4;
  while (slots < 2 * static_cast<size_t>(node.arg_count)) slots *= 2;  // load <= 1/2
  set.slots.assign(slots, -1);
  set.mask = slots - 1;
  for (int32_t i = 0; i < node.arg_count; ++i) {
    const int32_t str = in_lists_[static_cast<size_t>(node.arg + i)].str_arg;
    const std::string& item = strings_[static_cast<size_t>(str)];
    if (InStrings(set, item)) continue;  // listed twice
    size_t pos = std::hash<std::string_view>{}(item)&set.mask;
    while (set.slots[pos] >= 0) pos = (pos + 1) & set.mask;
    set.slots[pos] = str;
  }
  node.list_index = static_cast<int32_t>(string_sets_.size());
  string_sets_.push_back(std::move(set));
}

bool Program::InStrings(const StringSet& set, std::string_view value) const {
  for (size_t pos = std::hash<std::string_view>{}(value)&set.mask;; pos = (pos + 1) & set.mask) {
    const int32_t str = set.slots[pos];
    if (str < 0) return false;
    if (strings_[static_cast<size_t>(str)] == value) return true;
  }
}

// True when some needle of `index` occurs in `value`, as value.find(needle) != npos for any.
bool Program::ContainsAny(const NeedleIndex& index, std::string_view value) const {
  if (index.has_empty) return true;
  for (size_t p = 0; p < value.size(); ++p) {
    const auto b = static_cast<unsigned char>(value[p]);
    if (((index.first_bytes[b >> 6] >> (b & 63)) & 1) == 0) continue;
    const std::string_view rest = value.substr(p);
    for (uint16_t k = index.start[b]; k < index.start[b + 1]; ++k) {
      if (rest.starts_with(strings_[static_cast<size_t>(index.by_first[k])])) return true;
    }
  }
  return false;
}

Value CompareValues(Op op, const Value& a, const Value& b) {
  // Any comparison with a missing value (unknown age, no intel hit) is false.
  if (a.kind == ValueKind::kNull || b.kind == ValueKind::kNull) return Value::Bool(false);
  switch (op) {
    case Op::kEq:
      return Value::Bool(Equal(a, b));
    case Op::kNe:
      return Value::Bool(!Equal(a, b));
    case Op::kLt:
      return Value::Bool(a.number < b.number);
    case Op::kLe:
      return Value::Bool(a.number <= b.number);
    case Op::kGt:
      return Value::Bool(a.number > b.number);
    case Op::kGe:
      return Value::Bool(a.number >= b.number);
    default:
      return Value::Null();
  }
}

bool Program::Evaluate(ValueSource& source) const {
  if (nodes_.empty()) return true;
  return Eval(static_cast<int32_t>(nodes_.size() - 1), source).Truthy();
}

Value Program::EvaluateValue(ValueSource& source) const {
  if (nodes_.empty()) return Value::Bool(true);
  return Eval(static_cast<int32_t>(nodes_.size() - 1), source);
}

StatusOr<Program> CompileExpression(std::string_view text, uint32_t type_mask,
                                    const RuleResolver& resolve_rule, FieldUse* use,
                                    absl::Duration* longest_window) {
  ExpressionCompiler compiler(text, type_mask, resolve_rule, use, longest_window);
  return compiler.Compile();
}

Placeholder ParsePlaceholder(std::string_view name) {
  static constexpr std::pair<std::string_view, Placeholder> kNames[] = {
      {"caller", Placeholder::kCaller},
      {"sender", Placeholder::kCaller},
      {"counterpart", Placeholder::kCaller},
      {"callee", Placeholder::kCallee},
      {"subject", Placeholder::kSubject},
      {"duration_s", Placeholder::kDurationS},
      {"amount", Placeholder::kAmount},
      {"app_id", Placeholder::kAppId},
      {"app_name", Placeholder::kAppName},
      {"domain", Placeholder::kDomain},
      {"url", Placeholder::kUrl},
      {"payee", Placeholder::kPayee},
      {"fraud_type", Placeholder::kFraudType},
      {"indicator", Placeholder::kIndicator},
      {"text_reason", Placeholder::kTextReason},
      {"directive_id", Placeholder::kDirectiveId},
      {"issuer", Placeholder::kIssuer},
      {"level", Placeholder::kLevel},
      {"loss", Placeholder::kLoss},
      {"count", Placeholder::kCount},
  };
  for (const auto& [n, p] : kNames) {
    if (n == name) return p;
  }
  return Placeholder::kNone;
}

}  // namespace fz::detect
