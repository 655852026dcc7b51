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

Program Program::Fold(const std::function<std::optional<Value>(int32_t)>& known) const {
  Program out = *this;
  out.nodes_.clear();
  if (nodes_.empty()) return out;
  // Walks the original from the root; emits the nodes whose value is not known, children
  // before parents, so the folded program keeps "children have smaller indices".
  struct Folder {
    using Known = std::optional<Value>;
    struct Result {
      Known value;         // the node's value when known
      int32_t index = -1;  // else its node in `out`
    };
    const Program& in;
    Program& out;
    const std::function<Known(int32_t)>& known;

    int32_t Emit(const Node& node) {
      out.nodes_.push_back(node);
      return static_cast<int32_t>(out.nodes_.size() - 1);
    }
    int32_t Materialize(const Result& r) {
      if (!r.value) return r.index;
      Node c;
      c.op = Op::kConst;
      c.constant = *r.value;
      return Emit(c);
    }
    // `truth_only`: the parent reads only the truth value (root, `!`, `&&`, `||`).
    Result Walk(int32_t index, bool truth_only) {
      if (Known v = known(index); v && v->kind != ValueKind::kString) return {v};
      const Node& node = in.nodes_[static_cast<size_t>(index)];
      switch (node.op) {
        case Op::kConst:
          if (node.constant.kind != ValueKind::kString) return {node.constant};
          return {std::nullopt, Emit(node)};
        case Op::kField:
          return {std::nullopt, Emit(node)};
        case Op::kNot: {
          const Result a = Walk(node.lhs, true);
          if (a.value) return {Value::Bool(!a.value->Truthy())};
          Node n = node;
          n.lhs = a.index;
          return {std::nullopt, Emit(n)};
        }
        case Op::kAnd:
        case Op::kOr: {
          // The side that decides: false for `&&`, true for `||`.
          const bool decisive = node.op == Op::kOr;
          const Result a = Walk(node.lhs, true);
          if (a.value && a.value->Truthy() == decisive) return {Value::Bool(decisive)};
          const Result b = Walk(node.rhs, true);
          if (b.value && b.value->Truthy() == decisive) return {Value::Bool(decisive)};
          if (a.value && b.value) return {Value::Bool(!decisive)};
          // One side is known and neutral: the node's truth is the other side's.
          if (truth_only && a.value) return b;
          if (truth_only && b.value) return a;
          Node n = node;
          n.lhs = Materialize(a);
          n.rhs = Materialize(b);
          return {std::nullopt, Emit(n)};
        }
        case Op::kIn:
        case Op::kContains: {
          const Result a = Walk(node.lhs, false);
          if (node.op == Op::kContains && a.value) return {Value::Bool(false)};  // not a string
          Node n = node;
          n.lhs = Materialize(a);
          return {std::nullopt, Emit(n)};
        }
        default:
          break;
      }
      // Comparisons: a missing side makes them false (CompareValues).
      const Result a = Walk(node.lhs, false);
      const Result b = Walk(node.rhs, false);
      if ((a.value && a.value->kind == ValueKind::kNull) ||
          (b.value && b.value->kind == ValueKind::kNull)) {
        return {Value::Bool(false)};
      }
      if (a.value && b.value) return {CompareValues(node.op, *a.value, *b.value)};
      Node n = node;
      n.lhs = Materialize(a);
      n.rhs = Materialize(b);
      return {std::nullopt, Emit(n)};
    }
  };
  Folder folder{*this, out, known};
  const Folder::Result root = folder.Walk(static_cast<int32_t>(nodes_.size() - 1), true);
  if (root.value) {
    folder.Materialize(root);
  } else if (root.index + 1 != static_cast<int32_t>(out.nodes_.size())) {
    // Nodes of a side that turned out known were emitted after it: the root must be last.
    const Node copy = out.nodes_[static_cast<size_t>(root.index)];
    folder.Emit(copy);
  }
  return out;
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
    if (needle.size() < 3) index.all_long = false;
    if (needle.size() >= 3) {
      const size_t triple = TripleSlot(b, static_cast<unsigned char>(needle[1]),
                                       static_cast<unsigned char>(needle[2]));
      index.triples[triple >> 6] |= uint64_t{1} << (triple & 63);
    }
    if (needle.size() == 1) {
      index.single[b >> 6] |= uint64_t{1} << (b & 63);
    } else {
      const size_t pair = PairSlot(b, static_cast<unsigned char>(needle[1]));
      index.pairs[pair >> 6] |= uint64_t{1} << (pair & 63);
    }
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
  if (index.all_long) {
    if (value.size() < 3) return false;
    const auto* v = reinterpret_cast<const unsigned char*>(value.data());
    uint64_t any = 0;
    for (size_t p = 0; p + 3 <= value.size(); ++p) {
      const size_t slot = TripleSlot(v[p], v[p + 1], v[p + 2]);
      any |= index.triples[slot >> 6] >> (slot & 63);
    }
    if ((any & 1) == 0) return false;
  }
  for (size_t p = 0; p < value.size(); ++p) {
    const auto b = static_cast<unsigned char>(value[p]);
    if (((index.first_bytes[b >> 6] >> (b & 63)) & 1) == 0) continue;
    if (((index.single[b >> 6] >> (b & 63)) & 1) != 0) return true;
    // Longer needles need a second byte, and one their first two bytes may start.
    if (p + 1 == value.size()) continue;
    const size_t pair = PairSlot(b, static_cast<unsigned char>(value[p + 1]));
    if (((index.pairs[pair >> 6] >> (pair & 63)) & 1) == 0) continue;
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
