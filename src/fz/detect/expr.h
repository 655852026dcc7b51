// The rule condition language (docs/rules.md): parsed once into a Program, a flat vector of
// nodes with resolved field ids and function ids, evaluated per event without allocating.
//
//   FZ_ASSIGN_OR_RETURN(Program p, CompileExpression(
//       "intel.caller && duration_s >= 3m", model::EventType::kCall mask, resolver));
//   bool fire = p.Evaluate(source);   // source supplies field values for the current event
//
// Grammar:  expr := or;  or := and ('||' and)*;  and := unary ('&&' unary)*;
//           unary := '!' unary | cmp;  cmp := term [('=='|'!='|'<'|'<='|'>'|'>=') term
//                                    | ('in' | 'contains') '[' literal (',' literal)* ']'];
//           term := number | duration (90s, 2h, 7d: seconds) | "string" | true | false
//                 | path | path '(' args ')' | '(' expr ')';  path := ident ('.' ident)*
// Thread safety: a Program is immutable; Evaluate is const and reentrant.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"

namespace fz::detect {

// Every value an expression can read. The detector computes each lazily per event.
enum class Field : uint16_t {
  kNone,
  // event header
  kType,
  kSource,
  kHour,
  // call / sms / net / app / transfer / directive / report fields
  kDurationS,
  kCellId,
  kImei,
  kText,
  kDomain,
  kUrl,
  kIp,
  kAppId,
  kAppName,
  kAction,
  kAmount,
  kChannel,
  kPayee,
  kPayeeName,
  kLevel,
  kEventFraudType,
  kIssuer,
  kLoss,
  kSuspectCount,
  // reputation of what a net / app event touched (the whitelist as a known-good list)
  kDomainTld,
  kDomainKnown,
  kAppKnown,
  // the other party of a call or SMS ("caller", "sender", "counterpart" all name it)
  kParty,
  kPartyInternational,
  kPartyKind,
  kPartyCityCode,
  kPartyLocal,
  kPartyValid,
  kPartySpoofed,
  kPartyFlag,
  // intelligence hits: bool "hit", .fraud_type, .confidence, .source
  kIntelParty,
  kIntelPayee,
  kIntelDomain,
  kIntelUrl,
  kIntelApp,
  kIntelImei,
  kIntelIp,
  kIntelSmsUrl,
  kIntelSuspect,
  kIntelAny,
  // text patterns over SMS / report text
  kTextHit,
  kTextWeight,
  kTextFraudType,
  kTextCount,
  // the subject's person record
  kPersonKnown,
  kPersonAge,
  kPersonTag,
  kPersonUnit,
  // per-subject state
  kScore,
  kCount,
  kDistinct,
  kSeen,
  kLinked,  // linked(within=): this net visit's site was linked in a fraud-pattern SMS
};
inline constexpr int kFieldCount = static_cast<int>(Field::kLinked) + 1;

// Which part of an intel hit a node reads.
enum class IntelPart : uint8_t { kHit, kFraudType, kConfidence, kSource };

// Placeholders in reason templates ({caller}, {duration_s}, ...).
enum class Placeholder : uint8_t {
  kNone,
  kCaller,
  kCallee,
  kSubject,
  kDurationS,
  kAmount,
  kAppId,
  kAppName,
  kDomain,
  kUrl,
  kPayee,
  kFraudType,
  kIndicator,
  kTextReason,
  kDirectiveId,
  kIssuer,
  kLevel,
  kLoss,
  kCount,
};

// Which lookups a rule set needs, so the detector does no work for the rest.
struct FieldUse {
  bool used[kFieldCount] = {};
  bool Uses(Field f) const { return used[static_cast<int>(f)]; }
};

enum class ValueKind : uint8_t { kNull, kBool, kNumber, kString };

// An expression value. Strings view event or rule-set storage; nothing is owned.
struct Value {
  ValueKind kind = ValueKind::kNull;
  bool boolean = false;
  double number = 0;
  std::string_view string;

  static Value Null() { return {}; }
  static Value Bool(bool b) { return {ValueKind::kBool, b, 0, {}}; }
  static Value Number(double n) { return {ValueKind::kNumber, false, n, {}}; }
  static Value String(std::string_view s) { return {ValueKind::kString, false, 0, s}; }
  bool Truthy() const;
};

enum class Op : uint8_t {
  kConst,
  kField,
  kNot,
  kAnd,
  kOr,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kContains,
};

// `a op b` for a comparison op (==, !=, <, <=, >, >=): false when either value is missing
// (unknown age, no intel hit); Null for any other op.
Value CompareValues(Op op, const Value& a, const Value& b);

// One node. Children are indices into the same Program (always smaller than the node's own
// index: the program is in post-order, its root last).
struct Node {
  Op op = Op::kConst;
  Field field = Field::kNone;
  IntelPart intel_part = IntelPart::kHit;
  int32_t lhs = -1, rhs = -1;
  Value constant;        // kConst numbers and booleans; a string constant is str_arg
  int32_t str_arg = -1;  // index into the program's strings: string constant, tag name
  // Window functions: look-back, event-type filter (bit mask, 0 = any), hit-only filter.
  absl::Duration within = absl::ZeroDuration();
  uint32_t type_mask = 0;
  bool hits_only = false;
  int32_t arg = -1;  // kPartyFlag: flag bit; kSeen: first rule_refs(); kIn: first in_list
  int32_t arg_count = 0;
  // kContains: the list's NeedleIndex in its Program; kIn over strings: its StringSet.
  int32_t list_index = -1;
};

// Supplies field values for one event (the detector implements it).
class ValueSource {
 public:
  virtual ~ValueSource() = default;
  // `arg` is the node's string argument (tag name, ...), empty when it has none.
  virtual Value Get(const Node& node, std::string_view arg) = 0;
};

class Program {
 public:
  // The root's truth value; an empty program is true.
  bool Evaluate(ValueSource& source) const;
  Value EvaluateValue(ValueSource& source) const;

  // This program with every node `known(index)` gives a value replaced by that constant, and
  // the `!`, `&&`, `||` and comparisons those decide folded away. `known` must return the
  // value the node has wherever the folded program is evaluated (quiet_event.h: intel misses
  // on quiet events); then Evaluate() is the same on both (the truth value: `true && x` becomes
  // `x` where only truth matters). String values are never folded. Side tables (strings,
  // lists, seen() rule references) are kept, so node arguments stay valid.
  Program Fold(const std::function<std::optional<Value>(int32_t index)>& known) const;

  const std::vector<Node>& nodes() const { return nodes_; }
  // Rule indices referenced by seen(): nodes point into this list.
  const std::vector<int32_t>& rule_refs() const { return rule_refs_; }
  bool empty() const { return nodes_.empty(); }

 private:
  friend class ExpressionCompiler;
  Value Eval(int32_t index, ValueSource& source) const;
  Value Operand(int32_t index, ValueSource& source) const;  // Eval, leaves in place
  Value FieldValue(const Node& node, ValueSource& source) const;
  std::vector<Node> nodes_;
  std::vector<int32_t> rule_refs_;
  Value Constant(const Node& node) const;
  std::vector<Node> in_lists_;        // kConst nodes of every `in [...]` list
  std::vector<std::string> strings_;  // string constants, by index (copies stay valid)

  // A `contains [...]` list by its needles' first byte, so that the value is walked once
  // rather than searched once per needle (a lure-name rule lists ~40 of them).
  struct NeedleIndex {
    std::array<uint64_t, 4> first_bytes{};  // bit b: some needle starts with byte b
    std::array<uint64_t, 4> single{};       // bit b: the one-byte needle b is listed
    // Bit PairSlot(b0, b1): some needle starts with b0 b1 (hashed: a set bit may be shared).
    // Most positions of a domain start some needle ("com", "site"), few start two bytes of one.
    std::array<uint64_t, 64> pairs{};
    // Bit TripleSlot(b0, b1, b2): some needle starts with b0 b1 b2 (hashed). When every needle
    // has three bytes or more, a value none of whose positions hits a bit holds no needle: one
    // branch-free pass over it settles most values (the per-byte screen above mispredicted
    // about every other byte of a domain).
    std::array<uint64_t, 64> triples{};
    bool all_long = true;               // every needle has >= 3 bytes (the triple screen holds)
    bool has_empty = false;             // "" is in every string
    std::array<uint16_t, 257> start{};  // needles starting with b: by_first[start[b]..[b+1])
    std::vector<int32_t> by_first;      // strings_ indices, ordered by first byte
  };
  // Indexes the list of `node` (a kContains node whose items are in in_lists_).
  void IndexNeedles(Node& node);
  bool ContainsAny(const NeedleIndex& index, std::string_view value) const;
  static size_t PairSlot(unsigned char b0, unsigned char b1) {
    return ((size_t{b0} << 4) ^ b1) & 4095;
  }
  static size_t TripleSlot(unsigned char b0, unsigned char b1, unsigned char b2) {
    const uint32_t word = uint32_t{b0} | uint32_t{b1} << 8 | uint32_t{b2} << 16;
    return (word * 0x9E3779B1u) >> 20;  // 12 bits
  }
  std::vector<NeedleIndex> needles_;

  // An `in [...]` list of strings as an open-addressing set of strings_ indices (-1 empty),
  // so a value is hashed once rather than compared with every item (26 risky TLDs).
  struct StringSet {
    std::vector<int32_t> slots;
    size_t mask = 0;
  };
  void IndexStrings(Node& node);
  bool InStrings(const StringSet& set, std::string_view value) const;
  std::vector<StringSet> string_sets_;
};

// Resolves rule ids (and "prefix.*" patterns) named in seen() to rule indices; an empty
// result is an error. Supplied by the rule set loader.
using RuleResolver = std::function<std::vector<int32_t>(std::string_view pattern)>;

// Compiles `text` for rules on the event types in `type_mask`. Errors are InvalidArgument
// "column N: message" (1-based byte column inside `text`). Updates `use` and `*longest_window`.
StatusOr<Program> CompileExpression(std::string_view text, uint32_t type_mask,
                                    const RuleResolver& resolve_rule, FieldUse* use,
                                    absl::Duration* longest_window);

// Resolves a reason-template placeholder name ("caller", "duration_s"), or kNone.
Placeholder ParsePlaceholder(std::string_view name);

}  // namespace fz::detect
