// Internal to fz/detect: the compiler of the rule condition language (expr.h), shared by
// expr_parse.cc (lexer and grammar) and expr_fields.cc (field paths and function calls).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fz/common/str_cat.h"
#include "fz/detect/expr.h"
#include "fz/model/event.h"

namespace fz::detect {
namespace expr_internal {

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

std::string_view KindName(ValueKind k);
bool IsPartyName(std::string_view n);

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

}  // namespace expr_internal

// Recursive-descent parser emitting post-order nodes.
class ExpressionCompiler {
  using Tok = expr_internal::Tok;
  using Token = expr_internal::Token;

 public:
  ExpressionCompiler(std::string_view text, uint32_t type_mask, const RuleResolver& resolve,
                     FieldUse* use, absl::Duration* longest)
      : text_(text), type_mask_(type_mask), resolve_(resolve), use_(use), longest_(longest) {}

  StatusOr<Program> Compile() {
    if (text_.size() > expr_internal::kMaxExpressionBytes) {
      return absl::InvalidArgumentError(StrCat("column 1: expression longer than ",
                                               expr_internal::kMaxExpressionBytes, " bytes"));
    }
    FZ_RETURN_IF_ERROR(Next());
    if (tok_.kind == Tok::kEnd) return Error(1, "empty expression");
    FZ_ASSIGN_OR_RETURN(const Typed root, ParseOr(0));
    if (tok_.kind != Tok::kEnd) return Error(tok_.column, StrCat("unexpected '", tok_.text, "'"));
    if (root.kind != ValueKind::kBool) {
      return Error(
          1, StrCat("condition must be true/false, not a ", expr_internal::KindName(root.kind)));
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

}  // namespace fz::detect
