// Lexer and recursive-descent grammar of the rule language (docs/rules.md, expr.h).
#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

#include "fz/common/duration.h"
#include "fz/detect/expr_compiler.h"

namespace fz::detect {

using namespace expr_internal;  // NOLINT(google-build-using-namespace): internal names only

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
  if (op == Op::kContains) program_.IndexNeedles(in);
  if (op == Op::kIn && lhs.kind == ValueKind::kString) program_.IndexStrings(in);
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

}  // namespace fz::detect
