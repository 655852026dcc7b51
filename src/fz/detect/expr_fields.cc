// Field paths (`duration_s`, `intel.caller.fraud_type`, `caller.spoofed`) and function calls
// (`count()`, `seen()`, `linked()`, `person.tag()`, `caller.flag()`) of the rule language.
#include "fz/common/duration.h"
#include "fz/detect/expr_compiler.h"
#include "fz/normalize/phone.h"

namespace fz::detect {
namespace expr_internal {

std::string_view KindName(ValueKind k) {
  switch (k) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kBool:
      return "boolean";
    case ValueKind::kNumber:
      return "number";
    case ValueKind::kString:
      return "string";
  }
  return "?";
}

bool IsPartyName(std::string_view n) {
  return n == "caller" || n == "sender" || n == "counterpart";
}

}  // namespace expr_internal

namespace {

using namespace expr_internal;  // NOLINT(google-build-using-namespace): internal names only

struct FieldSpec {
  std::string_view name;
  Field field;
  ValueKind kind;
  uint32_t types;
};

// Plain (non-call) paths. Intel paths and party facts are built by ResolvePath.
constexpr FieldSpec kFields[] = {
    {"type", Field::kType, ValueKind::kString, kAll},
    {"source", Field::kSource, ValueKind::kString, kAll},
    {"hour", Field::kHour, ValueKind::kNumber, kAll},
    {"duration_s", Field::kDurationS, ValueKind::kNumber, kCall},
    {"cell_id", Field::kCellId, ValueKind::kString, kCall},
    {"imei", Field::kImei, ValueKind::kString, kCall | kApp},
    {"text", Field::kText, ValueKind::kString, kSms | kDirective | kReport},
    {"domain", Field::kDomain, ValueKind::kString, kNet},
    {"url", Field::kUrl, ValueKind::kString, kNet},
    {"ip", Field::kIp, ValueKind::kString, kNet},
    {"app_id", Field::kAppId, ValueKind::kString, kApp},
    {"app_name", Field::kAppName, ValueKind::kString, kApp},
    {"action", Field::kAction, ValueKind::kString, kApp},
    {"amount", Field::kAmount, ValueKind::kNumber, kTransfer},
    {"channel", Field::kChannel, ValueKind::kString, kTransfer},
    {"payee", Field::kPayee, ValueKind::kString, kTransfer},
    {"payee_name", Field::kPayeeName, ValueKind::kString, kTransfer},
    {"level", Field::kLevel, ValueKind::kString, kDirective},
    {"fraud_type", Field::kEventFraudType, ValueKind::kString, kDirective | kReport},
    {"issuer", Field::kIssuer, ValueKind::kString, kDirective},
    {"loss", Field::kLoss, ValueKind::kNumber, kReport},
    {"suspect_count", Field::kSuspectCount, ValueKind::kNumber, kReport},
    {"domain.tld", Field::kDomainTld, ValueKind::kString, kNet},
    {"domain.known", Field::kDomainKnown, ValueKind::kBool, kNet},
    {"app.known", Field::kAppKnown, ValueKind::kBool, kApp},
    {"text.hit", Field::kTextHit, ValueKind::kBool, kSms | kDirective | kReport},
    {"text.weight", Field::kTextWeight, ValueKind::kNumber, kSms | kDirective | kReport},
    {"text.fraud_type", Field::kTextFraudType, ValueKind::kString, kSms | kDirective | kReport},
    {"text.count", Field::kTextCount, ValueKind::kNumber, kSms | kDirective | kReport},
    {"person.known", Field::kPersonKnown, ValueKind::kBool, kAll},
    {"person.age", Field::kPersonAge, ValueKind::kNumber, kAll},
    {"person.unit", Field::kPersonUnit, ValueKind::kString, kAll},
    {"score", Field::kScore, ValueKind::kNumber, kAll},
};

struct IntelSpec {
  std::string_view name;
  Field field;
  uint32_t types;
};
constexpr IntelSpec kIntel[] = {
    {"caller", Field::kIntelParty, kCall | kSms},
    {"sender", Field::kIntelParty, kCall | kSms},
    {"counterpart", Field::kIntelParty, kCall | kSms},
    {"payee", Field::kIntelPayee, kTransfer},
    {"domain", Field::kIntelDomain, kNet},
    {"url", Field::kIntelUrl, kNet},
    {"app", Field::kIntelApp, kApp},
    {"imei", Field::kIntelImei, kCall | kApp},
    {"ip", Field::kIntelIp, kNet},
    {"sms_url", Field::kIntelSmsUrl, kSms},
    {"suspect", Field::kIntelSuspect, kReport},
    {"any", Field::kIntelAny, kAll},
};

struct PartySpec {
  std::string_view suffix;
  Field field;
  ValueKind kind;
};
constexpr PartySpec kParty[] = {
    {"", Field::kParty, ValueKind::kString},
    {"international", Field::kPartyInternational, ValueKind::kBool},
    {"kind", Field::kPartyKind, ValueKind::kString},
    {"city_code", Field::kPartyCityCode, ValueKind::kString},
    {"local", Field::kPartyLocal, ValueKind::kBool},
    {"valid", Field::kPartyValid, ValueKind::kBool},
    {"spoofed", Field::kPartySpoofed, ValueKind::kBool},
};

}  // namespace

using namespace expr_internal;  // NOLINT(google-build-using-namespace): internal names only

Status ExpressionCompiler::CheckTypes(uint32_t types, std::string_view path, size_t column) const {
  const uint32_t missing = type_mask_ & ~types;
  if (missing == 0) return absl::OkStatus();
  for (int t = 0; t < 7; ++t) {
    if ((missing & (1u << t)) != 0) {
      return Error(column,
                   StrCat("'", path, "' does not exist for ",
                          model::EventTypeName(static_cast<model::EventType>(t)), " events"));
    }
  }
  return absl::OkStatus();
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ResolvePath(std::string_view path,
                                                                    size_t column) {
  const auto emit = [&](Field f, ValueKind kind, IntelPart part = IntelPart::kHit) {
    Use(f);
    return Typed{Emit(Node{.op = Op::kField, .field = f, .intel_part = part}), kind, column};
  };
  for (const FieldSpec& spec : kFields) {
    if (spec.name == path) {
      FZ_RETURN_IF_ERROR(CheckTypes(spec.types, path, column));
      return emit(spec.field, spec.kind);
    }
  }
  const size_t dot = path.find('.');
  const std::string_view head = path.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (IsPartyName(head)) {
    for (const PartySpec& spec : kParty) {
      if (spec.suffix == rest) {
        FZ_RETURN_IF_ERROR(CheckTypes(kCall | kSms, path, column));
        return emit(spec.field, spec.kind);
      }
    }
  }
  if (head == "intel" && !rest.empty()) {
    const size_t dot2 = rest.find('.');
    const std::string_view what = rest.substr(0, dot2);
    const std::string_view part = dot2 == std::string_view::npos ? "" : rest.substr(dot2 + 1);
    for (const IntelSpec& spec : kIntel) {
      if (spec.name != what) continue;
      FZ_RETURN_IF_ERROR(CheckTypes(spec.types, path, column));
      if (part.empty()) return emit(spec.field, ValueKind::kBool);
      if (part == "fraud_type") return emit(spec.field, ValueKind::kString, IntelPart::kFraudType);
      if (part == "confidence") return emit(spec.field, ValueKind::kNumber, IntelPart::kConfidence);
      if (part == "source") return emit(spec.field, ValueKind::kString, IntelPart::kSource);
      return Error(column,
                   StrCat("unknown intel part '", part, "' (fraud_type, confidence, source)"));
    }
  }
  return Error(column, StrCat("unknown field '", path, "' (see docs/rules.md)"));
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseCall(std::string_view path,
                                                                  size_t column) {
  if (path == "count") return ParseWindowCall(Field::kCount, path, column);
  if (path == "distinct") return ParseWindowCall(Field::kDistinct, path, column);
  if (path == "seen") return ParseWindowCall(Field::kSeen, path, column);
  if (path == "linked") {
    FZ_RETURN_IF_ERROR(CheckTypes(kNet, path, column));
    return ParseWindowCall(Field::kLinked, path, column);
  }
  if (path == "person.tag") return ParseStringArgCall(Field::kPersonTag, path, column);
  const size_t dot = path.find('.');
  if (dot != std::string_view::npos && IsPartyName(path.substr(0, dot)) &&
      path.substr(dot + 1) == "flag") {
    FZ_RETURN_IF_ERROR(CheckTypes(kCall | kSms, path, column));
    return ParseStringArgCall(Field::kPartyFlag, path, column);
  }
  return Error(column, StrCat("unknown function '", path, "'"));
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseStringArgCall(Field field,
                                                                           std::string_view path,
                                                                           size_t column) {
  FZ_RETURN_IF_ERROR(Next());  // '('
  if (tok_.kind != Tok::kString) return Error(tok_.column, StrCat(path, "() takes a string"));
  Node node{.op = Op::kField, .field = field};
  if (field == Field::kPartyFlag) {
    int bit = -1;
    for (int f = 0; f < normalize::kPhoneFlagCount; ++f) {
      if (normalize::PhoneFlagName(static_cast<normalize::PhoneFlag>(f)) == tok_.string) bit = f;
    }
    if (bit < 0) return Error(tok_.column, StrCat("unknown phone flag '", tok_.string, "'"));
    node.arg = bit;
  }
  node.str_arg = AddString(tok_.string);
  FZ_RETURN_IF_ERROR(Next());
  if (tok_.kind != Tok::kRParen) return Error(tok_.column, "expected ')'");
  FZ_RETURN_IF_ERROR(Next());
  Use(field);
  return Typed{Emit(node), ValueKind::kBool, column};
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseWindowCall(Field field,
                                                                        std::string_view path,
                                                                        size_t column) {
  Node node{.op = Op::kField, .field = field};
  bool have_within = false;
  bool have_subject = field != Field::kDistinct;
  FZ_RETURN_IF_ERROR(Next());  // '('
  while (tok_.kind != Tok::kRParen) {
    const size_t arg_column = tok_.column;
    if (tok_.kind == Tok::kIdent && tok_.text != "intel") {
      const std::string name(tok_.text);
      FZ_RETURN_IF_ERROR(Next());
      if (tok_.kind != Tok::kAssign) {
        if (field == Field::kDistinct && !have_subject && IsPartyName(name)) {
          have_subject = true;
        } else {
          return Error(arg_column, StrCat("expected name=value argument to ", path, "()"));
        }
      } else {
        FZ_RETURN_IF_ERROR(Next());
        if (name == "within") {
          absl::Duration d;
          if (tok_.kind == Tok::kNumber && tok_.text.find_first_of("smhd") != std::string::npos) {
            d = absl::Seconds(tok_.number);
          } else if (tok_.kind == Tok::kString) {
            StatusOr<absl::Duration> parsed = ParseDuration(tok_.string);
            if (!parsed.ok()) return Error(tok_.column, std::string(parsed.status().message()));
            d = *parsed;
          } else {
            return Error(tok_.column, "within= takes a duration such as \"2h\"");
          }
          if (d <= absl::ZeroDuration()) return Error(tok_.column, "within= must be positive");
          node.within = d;
          have_within = true;
        } else if (name == "type" && field != Field::kSeen && field != Field::kLinked &&
                   tok_.kind == Tok::kString) {
          const std::optional<model::EventType> t = model::ParseEventType(tok_.string);
          if (!t) return Error(tok_.column, StrCat("unknown event type '", tok_.string, "'"));
          node.type_mask |= 1u << static_cast<unsigned>(*t);
        } else if (name == "hit" && field != Field::kSeen && field != Field::kLinked &&
                   tok_.kind == Tok::kIdent && (tok_.text == "true" || tok_.text == "false")) {
          node.hits_only = tok_.text == "true";
        } else {
          return Error(arg_column, StrCat("bad argument '", name, "' to ", path, "()"));
        }
        FZ_RETURN_IF_ERROR(Next());
      }
    } else if (tok_.kind == Tok::kIdent && field == Field::kDistinct && !have_subject) {
      // intel.caller / intel.sender / intel.counterpart: distinct flagged parties.
      FZ_RETURN_IF_ERROR(Next());
      if (tok_.kind != Tok::kDot) return Error(tok_.column, "expected '.' after intel");
      FZ_RETURN_IF_ERROR(Next());
      if (tok_.kind != Tok::kIdent || !IsPartyName(tok_.text)) {
        return Error(tok_.column, "distinct() counts caller, sender, counterpart or intel.caller");
      }
      node.hits_only = true;
      have_subject = true;
      FZ_RETURN_IF_ERROR(Next());
    } else if (tok_.kind == Tok::kString && field == Field::kSeen && node.arg < 0) {
      const std::vector<int32_t> refs = resolve_(tok_.string);
      if (refs.empty()) return Error(tok_.column, StrCat("no rule matches '", tok_.string, "'"));
      node.arg = static_cast<int32_t>(program_.rule_refs_.size());
      node.arg_count = static_cast<int32_t>(refs.size());
      program_.rule_refs_.insert(program_.rule_refs_.end(), refs.begin(), refs.end());
      node.str_arg = AddString(tok_.string);
      FZ_RETURN_IF_ERROR(Next());
    } else {
      return Error(arg_column, StrCat("bad argument to ", path, "()"));
    }
    if (tok_.kind == Tok::kComma) {
      FZ_RETURN_IF_ERROR(Next());
    } else if (tok_.kind != Tok::kRParen) {
      return Error(tok_.column, StrCat("expected ',' or ')' in ", path, "()"));
    }
  }
  if (!have_within) return Error(column, StrCat(path, "() needs within=\"<duration>\""));
  if (!have_subject) return Error(column, "distinct() needs what to count: caller, sender, ...");
  if (field == Field::kSeen && node.arg < 0) return Error(column, "seen() needs a rule id");
  FZ_RETURN_IF_ERROR(Next());
  const bool boolean = field == Field::kSeen || field == Field::kLinked;
  if (!boolean && !node.hits_only) Use(Field::kNone);  // marks "all events"
  if (node.within > *longest_) *longest_ = node.within;
  Use(field);
  return Typed{Emit(node), boolean ? ValueKind::kBool : ValueKind::kNumber, column};
}

}  // namespace fz::detect
