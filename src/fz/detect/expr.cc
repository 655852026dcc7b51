#include "fz/detect/expr.h"

#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "fz/common/duration.h"
#include "fz/common/str_cat.h"
#include "fz/model/event.h"
#include "fz/normalize/phone.h"

namespace fz::detect {
namespace {

constexpr uint32_t Bit(model::EventType t) { return 1u << static_cast<unsigned>(t); }
constexpr uint32_t kCall = Bit(model::EventType::kCall);
constexpr uint32_t kSms = Bit(model::EventType::kSms);
constexpr uint32_t kNet = Bit(model::EventType::kNet);
constexpr uint32_t kApp = Bit(model::EventType::kApp);
constexpr uint32_t kTransfer = Bit(model::EventType::kTransfer);
constexpr uint32_t kDirective = Bit(model::EventType::kDirective);
constexpr uint32_t kReport = Bit(model::EventType::kReport);
constexpr uint32_t kAll = 0x7f;
constexpr size_t kMaxExpressionBytes = 4096;
constexpr int kMaxDepth = 48;

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

bool IsPartyName(std::string_view n) {
  return n == "caller" || n == "sender" || n == "counterpart";
}

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

enum class Tok : uint8_t {
  kEnd,
  kIdent,
  kNumber,
  kString,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kAssign,
  kNot,
  kAnd,
  kOr,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;
  size_t column = 0;  // 1-based
  double number = 0;
  std::string string;  // unescaped string literal
};

}  // namespace

// Recursive-descent parser emitting post-order nodes.
class ExpressionCompiler {
 public:
  ExpressionCompiler(std::string_view text, uint32_t type_mask, const RuleResolver& resolve,
                     FieldUse* use, absl::Duration* longest)
      : text_(text), type_mask_(type_mask), resolve_(resolve), use_(use), longest_(longest) {}

  StatusOr<Program> Compile() {
    if (text_.size() > kMaxExpressionBytes) {
      return absl::InvalidArgumentError(
          StrCat("column 1: expression longer than ", kMaxExpressionBytes, " bytes"));
    }
    FZ_RETURN_IF_ERROR(Next());
    if (tok_.kind == Tok::kEnd) return Error(1, "empty expression");
    FZ_ASSIGN_OR_RETURN(const Typed root, ParseOr(0));
    if (tok_.kind != Tok::kEnd) return Error(tok_.column, StrCat("unexpected '", tok_.text, "'"));
    if (root.kind != ValueKind::kBool) {
      return Error(1, StrCat("condition must be true/false, not a ", KindName(root.kind)));
    }
    return std::move(program_);
  }

 private:
  struct Typed {
    int32_t index;
    ValueKind kind;
    size_t column;
  };

  Status Error(size_t column, std::string_view message) const {
    return absl::InvalidArgumentError(StrCat("column ", column, ": ", message));
  }

  int32_t Emit(Node node) {
    program_.nodes_.push_back(std::move(node));
    return static_cast<int32_t>(program_.nodes_.size() - 1);
  }

  int32_t AddString(std::string s) {
    program_.strings_.push_back(std::move(s));
    return static_cast<int32_t>(program_.strings_.size() - 1);
  }

  Status Next();
  StatusOr<Typed> ParseOr(int depth);
  StatusOr<Typed> ParseAnd(int depth);
  StatusOr<Typed> ParseUnary(int depth);
  StatusOr<Typed> ParseCompare(int depth);
  StatusOr<Typed> ParseTerm(int depth);
  // `x in [...]` and `x contains [...]` (any of the strings is a substring of x).
  StatusOr<Typed> ParseIn(const Typed& lhs, Op op);
  StatusOr<Typed> ParsePathOrCall(size_t column);
  StatusOr<Typed> ResolvePath(std::string_view path, size_t column);
  StatusOr<Typed> ParseCall(std::string_view path, size_t column);
  StatusOr<Typed> ParseWindowCall(Field field, std::string_view path, size_t column);
  StatusOr<Typed> ParseStringArgCall(Field field, std::string_view path, size_t column);
  StatusOr<Typed> ExpectBool(StatusOr<Typed> t, std::string_view op);
  Status CheckTypes(uint32_t types, std::string_view path, size_t column) const;
  void Use(Field f) { use_->used[static_cast<int>(f)] = true; }

  std::string_view text_;
  size_t pos_ = 0;
  Token tok_;
  uint32_t type_mask_;
  const RuleResolver& resolve_;
  FieldUse* use_;
  absl::Duration* longest_;
  Program program_;
};

Status ExpressionCompiler::Next() {
  while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  tok_ = Token();
  tok_.column = pos_ + 1;
  if (pos_ >= text_.size()) return absl::OkStatus();
  const size_t start = pos_;
  const char c = text_[pos_];
  const auto two = [&](char second) {
    return pos_ + 1 < text_.size() && text_[pos_ + 1] == second;
  };
  const auto single = [&](Tok k, size_t n) {
    tok_.kind = k;
    tok_.text = text_.substr(start, n);
    pos_ += n;
    return absl::OkStatus();
  };
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    tok_.kind = Tok::kIdent;
    tok_.text = text_.substr(start, pos_ - start);
    return absl::OkStatus();
  }
  if (std::isdigit(static_cast<unsigned char>(c))) {
    bool has_unit = false;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
      has_unit |= std::isalpha(static_cast<unsigned char>(text_[pos_])) != 0;
      ++pos_;
    }
    tok_.kind = Tok::kNumber;
    tok_.text = text_.substr(start, pos_ - start);
    if (has_unit) {
      StatusOr<absl::Duration> d = ParseDuration(tok_.text);
      if (!d.ok()) return Error(tok_.column, StrCat("bad number or duration '", tok_.text, "'"));
      tok_.number = absl::ToDoubleSeconds(*d);
      return absl::OkStatus();
    }
    const auto [ptr, ec] =
        std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), tok_.number);
    if (ec != std::errc() || ptr != tok_.text.data() + tok_.text.size()) {
      return Error(tok_.column, StrCat("bad number '", tok_.text, "'"));
    }
    return absl::OkStatus();
  }
  if (c == '"' || c == '\'') {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != c) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      tok_.string.push_back(text_[pos_]);
      ++pos_;
    }
    if (pos_ >= text_.size()) return Error(tok_.column, "unterminated string");
    ++pos_;
    tok_.kind = Tok::kString;
    tok_.text = text_.substr(start, pos_ - start);
    return absl::OkStatus();
  }
  switch (c) {
    case '(':
      return single(Tok::kLParen, 1);
    case ')':
      return single(Tok::kRParen, 1);
    case '[':
      return single(Tok::kLBracket, 1);
    case ']':
      return single(Tok::kRBracket, 1);
    case ',':
      return single(Tok::kComma, 1);
    case '.':
      return single(Tok::kDot, 1);
    case '!':
      return two('=') ? single(Tok::kNe, 2) : single(Tok::kNot, 1);
    case '=':
      return two('=') ? single(Tok::kEq, 2) : single(Tok::kAssign, 1);
    case '<':
      return two('=') ? single(Tok::kLe, 2) : single(Tok::kLt, 1);
    case '>':
      return two('=') ? single(Tok::kGe, 2) : single(Tok::kGt, 1);
    case '&':
      if (two('&')) return single(Tok::kAnd, 2);
      break;
    case '|':
      if (two('|')) return single(Tok::kOr, 2);
      break;
    default:
      break;
  }
  return Error(tok_.column, StrCat("unexpected character '", text_.substr(start, 1), "'"));
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ExpectBool(StatusOr<Typed> t,
                                                                   std::string_view op) {
  if (!t.ok()) return t;
  if (t->kind != ValueKind::kBool) {
    return Error(t->column,
                 StrCat("operand of '", op, "' must be true/false, not a ", KindName(t->kind)));
  }
  return t;
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseOr(int depth) {
  if (depth > kMaxDepth) return Error(tok_.column, "expression nested too deeply");
  FZ_ASSIGN_OR_RETURN(Typed lhs, ParseAnd(depth + 1));
  if (tok_.kind != Tok::kOr) return lhs;
  FZ_RETURN_IF_ERROR(ExpectBool(lhs, "||").status());
  while (tok_.kind == Tok::kOr) {
    FZ_RETURN_IF_ERROR(Next());
    FZ_ASSIGN_OR_RETURN(const Typed rhs, ExpectBool(ParseAnd(depth + 1), "||"));
    lhs.index = Emit(Node{.op = Op::kOr, .lhs = lhs.index, .rhs = rhs.index});
  }
  return lhs;
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseAnd(int depth) {
  FZ_ASSIGN_OR_RETURN(Typed lhs, ParseUnary(depth + 1));
  if (tok_.kind != Tok::kAnd) return lhs;
  FZ_RETURN_IF_ERROR(ExpectBool(lhs, "&&").status());
  while (tok_.kind == Tok::kAnd) {
    FZ_RETURN_IF_ERROR(Next());
    FZ_ASSIGN_OR_RETURN(const Typed rhs, ExpectBool(ParseUnary(depth + 1), "&&"));
    lhs.index = Emit(Node{.op = Op::kAnd, .lhs = lhs.index, .rhs = rhs.index});
  }
  return lhs;
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseUnary(int depth) {
  if (depth > kMaxDepth) return Error(tok_.column, "expression nested too deeply");
  if (tok_.kind == Tok::kNot) {
    const size_t column = tok_.column;
    FZ_RETURN_IF_ERROR(Next());
    FZ_ASSIGN_OR_RETURN(const Typed operand, ExpectBool(ParseUnary(depth + 1), "!"));
    return Typed{Emit(Node{.op = Op::kNot, .lhs = operand.index}), ValueKind::kBool, column};
  }
  return ParseCompare(depth + 1);
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseCompare(int depth) {
  FZ_ASSIGN_OR_RETURN(const Typed lhs, ParseTerm(depth + 1));
  Op op;
  switch (tok_.kind) {
    case Tok::kEq:
      op = Op::kEq;
      break;
    case Tok::kNe:
      op = Op::kNe;
      break;
    case Tok::kLt:
      op = Op::kLt;
      break;
    case Tok::kLe:
      op = Op::kLe;
      break;
    case Tok::kGt:
      op = Op::kGt;
      break;
    case Tok::kGe:
      op = Op::kGe;
      break;
    case Tok::kIdent:
      if (tok_.text == "in") return ParseIn(lhs, Op::kIn);
      if (tok_.text == "contains") return ParseIn(lhs, Op::kContains);
      return lhs;
    default:
      return lhs;
  }
  const std::string op_text(tok_.text);
  FZ_RETURN_IF_ERROR(Next());
  FZ_ASSIGN_OR_RETURN(const Typed rhs, ParseTerm(depth + 1));
  if (lhs.kind != rhs.kind) {
    return Error(rhs.column, StrCat("cannot compare a ", KindName(lhs.kind), " with a ",
                                    KindName(rhs.kind), " using '", op_text, "'"));
  }
  if (op != Op::kEq && op != Op::kNe && lhs.kind != ValueKind::kNumber) {
    return Error(lhs.column, StrCat("'", op_text, "' needs numbers, not a ", KindName(lhs.kind)));
  }
  return Typed{Emit(Node{.op = op, .lhs = lhs.index, .rhs = rhs.index}), ValueKind::kBool,
               lhs.column};
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseIn(const Typed& lhs, Op op) {
  const std::string_view word = op == Op::kIn ? "in" : "contains";
  if (op == Op::kContains && lhs.kind != ValueKind::kString) {
    return Error(lhs.column, StrCat("'contains' needs a string, not a ", KindName(lhs.kind)));
  }
  FZ_RETURN_IF_ERROR(Next());
  if (tok_.kind != Tok::kLBracket)
    return Error(tok_.column, StrCat("expected '[' after '", word, "'"));
  FZ_RETURN_IF_ERROR(Next());
  Node in{.op = op, .lhs = lhs.index};
  in.arg = static_cast<int32_t>(program_.in_lists_.size());
  while (tok_.kind != Tok::kRBracket) {
    Node item{.op = Op::kConst};
    if (tok_.kind == Tok::kString && lhs.kind == ValueKind::kString) {
      item.constant = Value{.kind = ValueKind::kString};
      item.str_arg = AddString(tok_.string);
    } else if (tok_.kind == Tok::kNumber && lhs.kind == ValueKind::kNumber) {
      item.constant = Value::Number(tok_.number);
    } else {
      return Error(tok_.column,
                   StrCat("'", word, "' list items must be ", KindName(lhs.kind), " literals"));
    }
    program_.in_lists_.push_back(item);
    ++in.arg_count;
    FZ_RETURN_IF_ERROR(Next());
    if (tok_.kind == Tok::kComma) {
      FZ_RETURN_IF_ERROR(Next());
    } else if (tok_.kind != Tok::kRBracket) {
      return Error(tok_.column, "expected ',' or ']' in list");
    }
  }
  if (in.arg_count == 0) return Error(tok_.column, StrCat("empty '", word, "' list"));
  FZ_RETURN_IF_ERROR(Next());
  return Typed{Emit(in), ValueKind::kBool, lhs.column};
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParseTerm(int depth) {
  const size_t column = tok_.column;
  switch (tok_.kind) {
    case Tok::kNumber: {
      const double n = tok_.number;
      FZ_RETURN_IF_ERROR(Next());
      return Typed{Emit(Node{.op = Op::kConst, .constant = Value::Number(n)}), ValueKind::kNumber,
                   column};
    }
    case Tok::kString: {
      Node node{.op = Op::kConst, .constant = Value{.kind = ValueKind::kString}};
      node.str_arg = AddString(tok_.string);
      FZ_RETURN_IF_ERROR(Next());
      return Typed{Emit(node), ValueKind::kString, column};
    }
    case Tok::kLParen: {
      FZ_RETURN_IF_ERROR(Next());
      FZ_ASSIGN_OR_RETURN(Typed inner, ParseOr(depth + 1));
      if (tok_.kind != Tok::kRParen) return Error(tok_.column, "expected ')'");
      FZ_RETURN_IF_ERROR(Next());
      inner.column = column;
      return inner;
    }
    case Tok::kIdent:
      if (tok_.text == "true" || tok_.text == "false") {
        const bool b = tok_.text == "true";
        FZ_RETURN_IF_ERROR(Next());
        return Typed{Emit(Node{.op = Op::kConst, .constant = Value::Bool(b)}), ValueKind::kBool,
                     column};
      }
      return ParsePathOrCall(column);
    case Tok::kEnd:
      return Error(column, "unexpected end of expression");
    default:
      return Error(column, StrCat("unexpected '", tok_.text, "'"));
  }
}

StatusOr<ExpressionCompiler::Typed> ExpressionCompiler::ParsePathOrCall(size_t column) {
  std::string path(tok_.text);
  FZ_RETURN_IF_ERROR(Next());
  while (tok_.kind == Tok::kDot) {
    FZ_RETURN_IF_ERROR(Next());
    if (tok_.kind != Tok::kIdent) return Error(tok_.column, "expected a name after '.'");
    StrAppend(&path, ".", tok_.text);
    FZ_RETURN_IF_ERROR(Next());
  }
  if (tok_.kind == Tok::kLParen) return ParseCall(path, column);
  return ResolvePath(path, column);
}

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

Value Program::Eval(int32_t index, ValueSource& source) const {
  const Node& node = nodes_[static_cast<size_t>(index)];
  switch (node.op) {
    case Op::kConst:
      return Constant(node);
    case Op::kField:
      return source.Get(node, node.str_arg < 0
                                  ? std::string_view()
                                  : std::string_view(strings_[static_cast<size_t>(node.str_arg)]));
    case Op::kNot:
      return Value::Bool(!Eval(node.lhs, source).Truthy());
    case Op::kAnd:
      return Value::Bool(Eval(node.lhs, source).Truthy() && Eval(node.rhs, source).Truthy());
    case Op::kOr:
      return Value::Bool(Eval(node.lhs, source).Truthy() || Eval(node.rhs, source).Truthy());
    case Op::kIn: {
      const Value v = Eval(node.lhs, source);
      for (int32_t i = 0; i < node.arg_count; ++i) {
        if (Equal(v, Constant(in_lists_[static_cast<size_t>(node.arg + i)]))) {
          return Value::Bool(true);
        }
      }
      return Value::Bool(false);
    }
    case Op::kContains: {
      const Value v = Eval(node.lhs, source);
      if (v.kind != ValueKind::kString) return Value::Bool(false);
      for (int32_t i = 0; i < node.arg_count; ++i) {
        const Node& item = in_lists_[static_cast<size_t>(node.arg + i)];
        if (v.string.find(strings_[static_cast<size_t>(item.str_arg)]) != std::string_view::npos) {
          return Value::Bool(true);
        }
      }
      return Value::Bool(false);
    }
    default:
      break;
  }
  const Value a = Eval(node.lhs, source);
  const Value b = Eval(node.rhs, source);
  // Any comparison with a missing value (unknown age, no intel hit) is false.
  if (a.kind == ValueKind::kNull || b.kind == ValueKind::kNull) return Value::Bool(false);
  switch (node.op) {
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
