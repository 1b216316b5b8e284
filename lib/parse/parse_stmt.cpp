// Simple statements: expression statements and assignments, return, raise, pass, break,
// continue, del, assert, global, nonlocal, import, from-import and (3.12) type aliases.
#include <optional>
#include <string>

#include "parser_internal.h"

namespace ivyc::parse::internal {

// statement: compound_stmt | simple_stmts
void Parser::parse_statement() {
  switch (peek()) {
    case TokenKind::If:
    case TokenKind::While:
    case TokenKind::For:
    case TokenKind::Try:
    case TokenKind::With:
    case TokenKind::Def:
    case TokenKind::Class:
    case TokenKind::At:
    case TokenKind::Async:
      parse_compound_stmt();
      return;
    case TokenKind::Name:
      if (at_soft_keyword("match") && looks_like_match()) {
        parse_match();
        return;
      }
      break;
    default:
      break;
  }
  parse_simple_stmts();
}

// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
void Parser::parse_simple_stmts() {
  while (true) {
    size_t before = mark_scratch();
    parse_simple_stmt();
    if (failed_) return;
    if (eat(TokenKind::Semi)) {
      if (at(TokenKind::Newline) || at(TokenKind::EndOfFile)) break;
      continue;
    }
    if (at(TokenKind::Newline) || at(TokenKind::EndOfFile)) break;
    // invalid_legacy_expression: `print "x"`, `exec code`
    if (scratch_.size() > before) {
      NodeId last = scratch_.back();
      if (kind(last) == NodeKind::Expr) {
        NodeId v = tree_.slot(last, 0);
        if (kind(v) == NodeKind::Name && can_start_expression(peek()) &&
            !is_parenthesized(v)) {
          std::string_view id = tree_.string(tree_.slot(v, 0));
          if (id == "print" || id == "exec") {
            error(tree_.node(v).begin, cur().end,
                  "missing parentheses in call to '" + std::string(id) + "'. Did you mean " +
                      std::string(id) + "(...)?");
            return;
          }
        }
      }
    }
    error_at_current("invalid syntax");
    return;
  }
  eat(TokenKind::Newline);
}

// simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt | 'pass'
//   | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue' | global_stmt | nonlocal_stmt
//   | type_alias
void Parser::parse_simple_stmt() {
  uint32_t s = pos_;
  switch (peek()) {
    case TokenKind::Pass:
    case TokenKind::Break:
    case TokenKind::Continue: {
      NodeKind k = peek() == TokenKind::Pass    ? NodeKind::Pass
                   : peek() == TokenKind::Break ? NodeKind::Break
                                                : NodeKind::Continue;
      advance();
      push(node(k, begin_of(s), prev_end(), {}));
      return;
    }
    case TokenKind::Return: {
      // return_stmt: 'return' [star_expressions]
      advance();
      NodeId value = can_start_expression(peek()) ? parse_star_expressions() : kNone;
      push(node(NodeKind::Return, begin_of(s), prev_end(), {value}));
      return;
    }
    case TokenKind::Raise: {
      // raise_stmt: 'raise' expression ['from' expression] | 'raise'
      advance();
      NodeId exc = kNone;
      NodeId cause = kNone;
      if (can_start_expression(peek())) {
        exc = parse_expression();
        if (eat(TokenKind::From)) cause = parse_expression();
      }
      push(node(NodeKind::Raise, begin_of(s), prev_end(), {exc, cause}));
      return;
    }
    case TokenKind::Global:
      parse_global_like(NodeKind::Global);
      return;
    case TokenKind::Nonlocal:
      parse_global_like(NodeKind::Nonlocal);
      return;
    case TokenKind::Del:
      parse_del();
      return;
    case TokenKind::Assert: {
      // assert_stmt: 'assert' expression [',' expression]
      advance();
      NodeId test = parse_expression();
      NodeId msg = eat(TokenKind::Comma) ? parse_expression() : kNone;
      push(node(NodeKind::Assert, begin_of(s), prev_end(), {test, msg}));
      return;
    }
    case TokenKind::Import:
      parse_import();
      return;
    case TokenKind::From:
      parse_from_import();
      return;
    case TokenKind::Name:
      if (at_soft_keyword("type") && peek_at(1) == TokenKind::Name &&
          (peek_at(2) == TokenKind::Equal || peek_at(2) == TokenKind::LSqb)) {
        parse_type_alias();
        return;
      }
      break;
    default:
      break;
  }
  parse_expression_stmt();
}

namespace {

auto augassign_op(TokenKind k) -> NodeKind {
  switch (k) {
    case TokenKind::PlusEqual: return NodeKind::Add;
    case TokenKind::MinEqual: return NodeKind::Sub;
    case TokenKind::StarEqual: return NodeKind::Mult;
    case TokenKind::AtEqual: return NodeKind::MatMult;
    case TokenKind::SlashEqual: return NodeKind::Div;
    case TokenKind::PercentEqual: return NodeKind::Mod;
    case TokenKind::AmperEqual: return NodeKind::BitAnd;
    case TokenKind::VBarEqual: return NodeKind::BitOr;
    case TokenKind::CircumFlexEqual: return NodeKind::BitXor;
    case TokenKind::LeftShiftEqual: return NodeKind::LShift;
    case TokenKind::RightShiftEqual: return NodeKind::RShift;
    case TokenKind::DoubleStarEqual: return NodeKind::Pow;
    case TokenKind::DoubleSlashEqual: return NodeKind::FloorDiv;
    default: return NodeKind::Count_;
  }
}

}  // namespace

// assignment:
//   | NAME ':' expression ['=' annotated_rhs]
//   | ('(' single_target ')' | single_subscript_attribute_target) ':' expression ['=' annotated_rhs]
//   | (star_targets '=')+ (yield_expr | star_expressions)
//   | single_target augassign (yield_expr | star_expressions)
// star_expressions (an expression statement)
void Parser::parse_expression_stmt() {
  uint32_t s = pos_;
  NodeId first = at(TokenKind::Yield) ? parse_yield_expr() : parse_star_expressions();
  if (failed_) return;
  TokenKind k = peek();
  if (k == TokenKind::Equal) {
    size_t base = mark_scratch();
    set_target(first, TargetKind::Assign);
    push(first);
    NodeId value = kNone;
    while (eat(TokenKind::Equal)) {
      NodeId e = at(TokenKind::Yield) ? parse_yield_expr() : parse_star_expressions();
      if (at(TokenKind::Equal)) {
        set_target(e, TargetKind::Assign);
        push(e);
      } else {
        value = e;
      }
    }
    if (value == kNone) value = error_node();
    ListId targets = finish_list(base);
    push(node(NodeKind::Assign, begin_of(s), prev_end(), {targets, value, kNone}));
    return;
  }
  if (k == TokenKind::Colon) {
    // annotated assignment
    NodeKind tk = kind(first);
    uint32_t simple = 0;
    if (tk == NodeKind::Name) {
      simple = is_parenthesized(first) ? 0 : 1;
    } else if (tk == NodeKind::Attribute || tk == NodeKind::Subscript) {
      simple = 0;
    } else if (tk == NodeKind::Tuple) {
      error_at_node(first, "only single target (not tuple) can be annotated");
      return;
    } else if (tk == NodeKind::List) {
      error_at_node(first, "only single target (not list) can be annotated");
      return;
    } else {
      error_at_node(first, "illegal target for annotation");
      return;
    }
    set_target(first, TargetKind::Assign);
    advance();
    NodeId annotation = parse_expression();
    NodeId value = kNone;
    if (eat(TokenKind::Equal)) {
      value = at(TokenKind::Yield) ? parse_yield_expr() : parse_star_expressions();
    }
    push(node(NodeKind::AnnAssign, begin_of(s), prev_end(), {first, annotation, value, simple}));
    return;
  }
  NodeKind op = augassign_op(k);
  if (op != NodeKind::Count_) {
    set_target(first, TargetKind::AugAssign);
    advance();
    NodeId value = at(TokenKind::Yield) ? parse_yield_expr() : parse_star_expressions();
    push(node(NodeKind::AugAssign, begin_of(s), prev_end(), {first, singleton(op), value}));
    return;
  }
  push(node(NodeKind::Expr, begin_of(s), prev_end(), {first}));
}

// global_stmt: 'global' ','.NAME+    nonlocal_stmt: 'nonlocal' ','.NAME+
void Parser::parse_global_like(NodeKind k) {
  uint32_t s = pos_;
  advance();
  size_t base = mark_scratch();
  while (true) {
    if (!at(TokenKind::Name)) {
      error_at_current("invalid syntax");
      scratch_.resize(base);
      return;
    }
    push(identifier(cur()));
    advance();
    if (!eat(TokenKind::Comma)) break;
  }
  ListId names = finish_list(base);
  push(node(k, begin_of(s), prev_end(), {names}));
}

// del_stmt: 'del' del_targets &(';' | NEWLINE)
// del_targets: ','.del_target+ [',']
void Parser::parse_del() {
  uint32_t s = pos_;
  advance();
  size_t base = mark_scratch();
  while (true) {
    uint32_t es = pos_;
    NodeId e;
    if (at(TokenKind::Star)) {
      advance();
      NodeId v = parse_bitwise_or();
      e = node(NodeKind::Starred, begin_of(es), prev_end(), {v, load()});
    } else {
      e = parse_expression();
    }
    set_target(e, TargetKind::Del);
    push(e);
    if (!eat(TokenKind::Comma)) break;
    if (!can_start_expression(peek())) break;
  }
  ListId targets = finish_list(base);
  push(node(NodeKind::Delete, begin_of(s), prev_end(), {targets}));
}

// dotted_name: dotted_name '.' NAME | NAME
auto Parser::parse_dotted_name() -> StringId {
  if (!at(TokenKind::Name)) {
    error_at_current("invalid syntax");
    return tree_.intern("");
  }
  if (peek_at(1) != TokenKind::Dot) {
    StringId id = identifier(cur());
    advance();
    return id;
  }
  std::string name;
  while (true) {
    if (!at(TokenKind::Name)) {
      error_at_current("invalid syntax");
      return tree_.intern("");
    }
    name += tree_.string(identifier(cur()));
    advance();
    if (!at(TokenKind::Dot)) break;
    advance();
    name += '.';
  }
  return tree_.intern(name);
}

// ['as' NAME] of an import alias: the name, kNone when absent, nothing after an error.
auto Parser::parse_as_name() -> std::optional<StringId> {
  if (!eat(TokenKind::As)) return kNone;
  if (!at(TokenKind::Name)) {
    error_at_current("invalid syntax");
    return std::nullopt;
  }
  StringId name = identifier(cur());
  advance();
  return name;
}

// import_name: 'import' dotted_as_names
// dotted_as_names: ','.dotted_as_name+
// dotted_as_name: dotted_name ['as' NAME]
void Parser::parse_import() {
  uint32_t s = pos_;
  advance();
  size_t base = mark_scratch();
  while (true) {
    uint32_t as = pos_;
    StringId name = parse_dotted_name();
    auto asname = parse_as_name();
    if (!asname || failed_) return;
    push(node(NodeKind::alias, begin_of(as), prev_end(), {name, *asname}));
    if (!eat(TokenKind::Comma)) break;
  }
  ListId names = finish_list(base);
  push(node(NodeKind::Import, begin_of(s), prev_end(), {names}));
}

// import_from:
//   | 'from' ('.' | '...')* dotted_name 'import' import_from_targets
//   | 'from' ('.' | '...')+ 'import' import_from_targets
// import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*'
// import_from_as_name: NAME ['as' NAME]
void Parser::parse_from_import() {
  uint32_t s = pos_;
  advance();
  uint32_t level = 0;
  while (true) {
    if (eat(TokenKind::Dot)) {
      level += 1;
    } else if (eat(TokenKind::Ellipsis)) {
      level += 3;
    } else {
      break;
    }
  }
  StringId module = kNone;
  if (!at(TokenKind::Import) || level == 0) module = parse_dotted_name();
  if (!expect(TokenKind::Import, "invalid syntax")) return;
  size_t base = mark_scratch();
  if (at(TokenKind::Star)) {
    const Token& t = cur();
    push(node(NodeKind::alias, t.begin, t.end, {tree_.intern("*"), kNone}));
    advance();
  } else {
    bool parens = eat(TokenKind::LPar);
    while (true) {
      if (!at(TokenKind::Name)) {
        error_at_current("invalid syntax");
        return;
      }
      uint32_t as = pos_;
      StringId name = identifier(cur());
      advance();
      auto asname = parse_as_name();
      if (!asname) return;
      push(node(NodeKind::alias, begin_of(as), prev_end(), {name, *asname}));
      if (!at(TokenKind::Comma)) break;
      advance();
      if (parens && at(TokenKind::RPar)) break;
      if (!parens && (at(TokenKind::Newline) || at(TokenKind::Semi) ||
                      at(TokenKind::EndOfFile))) {
        error(toks_[pos_ - 1].begin, toks_[pos_ - 1].end,
              "trailing comma not allowed without surrounding parentheses");
        return;
      }
    }
    if (parens && !expect(TokenKind::RPar, "expected ')'")) return;
  }
  ListId names = finish_list(base);
  push(node(NodeKind::ImportFrom, begin_of(s), prev_end(), {module, names, level}));
}

// type_alias: "type" NAME [type_params] '=' expression
void Parser::parse_type_alias() {
  uint32_t s = pos_;
  if (options_.version == PythonVersion::Py311) {
    advance();
    error_at_current("invalid syntax (type aliases need Python 3.12)",
                     DiagnosticKind::parse_newer_syntax);
    return;
  }
  advance();
  const Token& n = cur();
  NodeId name = node(NodeKind::Name, n.begin, n.end, {identifier(n), singleton(NodeKind::Store)});
  advance();
  ListId params = at(TokenKind::LSqb) ? parse_type_params() : tree_.empty_list();
  if (!expect(TokenKind::Equal, "expected '='")) return;
  NodeId value = parse_expression();
  push(node(NodeKind::TypeAlias, begin_of(s), prev_end(), {name, params, value}));
}

}  // namespace ivyc::parse::internal
