// Compound statements: if, while, for, try, with, function and class definitions (with
// decorators and async), and match. A compound statement spans from its first keyword to the end
// of the last statement of its last block.
#include <optional>
#include <string>
#include <utility>

#include "parser_internal.h"

namespace ivyc::parse::internal {

// compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt | try_stmt
//   | while_stmt | match_stmt (dispatched in parse_statement)
void Parser::parse_compound_stmt() {
  switch (peek()) {
    case TokenKind::If:
      parse_if(false);
      return;
    case TokenKind::While:
      parse_while();
      return;
    case TokenKind::For:
      parse_for(pos_, false);
      return;
    case TokenKind::Try:
      parse_try();
      return;
    case TokenKind::With:
      parse_with(pos_, false);
      return;
    case TokenKind::Def:
      parse_function_def(pos_, tree_.empty_list(), false);
      return;
    case TokenKind::Class:
      parse_class_def(pos_, tree_.empty_list());
      return;
    case TokenKind::At:
      parse_decorated();
      return;
    case TokenKind::Async: {
      uint32_t s = pos_;
      TokenKind next = peek_at(1);
      if (next == TokenKind::Def) {
        advance();
        parse_function_def(s, tree_.empty_list(), true);
      } else if (next == TokenKind::For) {
        advance();
        parse_for(s, true);
      } else if (next == TokenKind::With) {
        advance();
        parse_with(s, true);
      } else {
        advance();
        error_at_current("invalid syntax");
      }
      return;
    }
    default:
      error_at_current("invalid syntax");
      return;
  }
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts
// (the ':' before it is consumed here too)
auto Parser::parse_block(std::string_view header, uint32_t header_token) -> ListId {
  if (!expect(TokenKind::Colon, "expected ':'")) return tree_.empty_list();
  size_t base = mark_scratch();
  if (at(TokenKind::Newline)) {
    advance();
    if (!at(TokenKind::Indent)) {
      uint32_t line = tokens_.source->line_column(begin_of(header_token)).line;
      error_at_current("expected an indented block after " + std::string(header) + " on line " +
                       std::to_string(line));
      return finish_list(base);
    }
    advance();
    parse_statement_list();
    if (!failed_) eat(TokenKind::Dedent);
  } else {
    parse_simple_stmts();
  }
  return finish_list(base);
}

// else_block: 'else' ':' block
auto Parser::parse_else_block(std::string_view header) -> ListId {
  uint32_t t = pos_;
  advance();
  return parse_block(header, t);
}

// if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
// elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
void Parser::parse_if(bool elif) {
  uint32_t s = pos_;
  advance();
  NodeId test = parse_named_expression();
  ListId body = parse_block(elif ? "'elif' statement" : "'if' statement", s);
  ListId orelse = tree_.empty_list();
  if (at(TokenKind::Elif)) {
    size_t base = mark_scratch();
    parse_if(true);
    orelse = finish_list(base);
  } else if (at(TokenKind::Else)) {
    orelse = parse_else_block("'else' statement");
  }
  uint32_t end = block_end();
  push(node(NodeKind::If, begin_of(s), end, {test, body, orelse}));
}

// while_stmt: 'while' named_expression ':' block [else_block]
void Parser::parse_while() {
  uint32_t s = pos_;
  advance();
  NodeId test = parse_named_expression();
  ListId body = parse_block("'while' statement", s);
  ListId orelse = at(TokenKind::Else) ? parse_else_block("'else' statement") : tree_.empty_list();
  uint32_t end = block_end();
  push(node(NodeKind::While, begin_of(s), end, {test, body, orelse}));
}

// for_stmt: ['async'] 'for' star_targets 'in' star_expressions ':' block [else_block]
void Parser::parse_for(uint32_t start, bool is_async) {
  uint32_t for_token = pos_;
  advance();
  NodeId target = parse_for_targets(TargetKind::For);
  if (!expect(TokenKind::In, "invalid syntax")) return;
  NodeId iter = parse_star_expressions();
  ListId body = parse_block("'for' statement", for_token);
  ListId orelse = at(TokenKind::Else) ? parse_else_block("'else' statement") : tree_.empty_list();
  uint32_t end = block_end();
  push(node(is_async ? NodeKind::AsyncFor : NodeKind::For, begin_of(start), end,
            {target, iter, body, orelse, kNone}));
}

namespace {

auto is_open(TokenKind k) -> bool {
  return k == TokenKind::LPar || k == TokenKind::LSqb || k == TokenKind::LBrace;
}
auto is_close(TokenKind k) -> bool {
  return k == TokenKind::RPar || k == TokenKind::RSqb || k == TokenKind::RBrace;
}

}  // namespace

// with_stmt:
//   | ['async'] 'with' '(' ','.with_item+ ','? ')' ':' block
//   | ['async'] 'with' ','.with_item+ ':' block
// The parenthesized form is taken when the parentheses close right before the ':' and hold
// with_items (not a starred item, a yield, a walrus or a generator, which make it a tuple, group
// or generator expression), as CPython's first alternative would succeed.
void Parser::parse_with(uint32_t start, bool is_async) {
  uint32_t with_token = pos_;
  advance();
  bool paren_form = false;
  if (at(TokenKind::LPar)) {
    int depth = 0;
    bool item_start = true;
    bool plain = true;
    bool empty = peek_at(1) == TokenKind::RPar;
    uint32_t i = pos_;
    for (; i < toks_.size(); ++i) {
      TokenKind k = toks_[i].kind;
      if (k == TokenKind::Newline || k == TokenKind::EndOfFile) break;
      if (is_open(k)) {
        ++depth;
        if (depth == 1) {
          item_start = true;
          continue;
        }
      } else if (is_close(k)) {
        --depth;
        if (depth == 0) break;
      } else if (depth == 1) {
        if (item_start && (k == TokenKind::Star || k == TokenKind::Yield)) plain = false;
        if (k == TokenKind::ColonEqual || k == TokenKind::For) plain = false;
        item_start = k == TokenKind::Comma;
        continue;
      }
      item_start = false;
    }
    paren_form = !empty && plain && depth == 0 && i + 1 < toks_.size() &&
                 toks_[i + 1].kind == TokenKind::Colon;
  }
  size_t base = mark_scratch();
  if (paren_form) {
    advance();
    while (true) {
      push(parse_with_item());
      if (!eat(TokenKind::Comma)) break;
      if (at(TokenKind::RPar)) break;
    }
    expect(TokenKind::RPar, "expected ')'");
  } else {
    while (true) {
      push(parse_with_item());
      if (!eat(TokenKind::Comma)) break;
    }
  }
  ListId items = finish_list(base);
  ListId body = parse_block("'with' statement", with_token);
  push(node(is_async ? NodeKind::AsyncWith : NodeKind::With, begin_of(start), block_end(),
            {items, body, kNone}));
}

// with_item: expression 'as' star_target &(',' | ')' | ':') | expression
auto Parser::parse_with_item() -> NodeId {
  NodeId e = parse_expression();
  NodeId vars = kNone;
  if (eat(TokenKind::As)) {
    vars = parse_star_target();
    set_target(vars, TargetKind::With);
    if (!at(TokenKind::Comma) && !at(TokenKind::RPar) && !at(TokenKind::Colon)) {
      error_at_current("invalid syntax");
    }
  }
  return node(NodeKind::withitem, 0, 0, {e, vars});
}

// try_stmt:
//   | 'try' ':' block finally_block
//   | 'try' ':' block except_block+ [else_block] [finally_block]
//   | 'try' ':' block except_star_block+ [else_block] [finally_block]
// except_block: 'except' [expression ['as' NAME]] ':' block
// except_star_block: 'except' '*' expression ['as' NAME] ':' block
void Parser::parse_try() {
  uint32_t s = pos_;
  advance();
  ListId body = parse_block("'try' statement", s);
  size_t base = mark_scratch();
  int star = -1;
  while (at(TokenKind::Except)) {
    uint32_t ex = pos_;
    advance();
    bool is_star = eat(TokenKind::Star);
    if (star == -1) {
      star = is_star ? 1 : 0;
    } else if (star != (is_star ? 1 : 0)) {
      error(begin_of(ex), toks_[ex].end, "cannot have both 'except' and 'except*' on the same 'try'");
      return;
    }
    NodeId type = kNone;
    StringId name = kNone;
    if (!at(TokenKind::Colon)) {
      type = parse_expression();
      if (at(TokenKind::Comma)) {
        error_at_current("multiple exception types must be parenthesized");
        return;
      }
      if (eat(TokenKind::As)) {
        if (!at(TokenKind::Name)) {
          error_at_current("invalid syntax");
          return;
        }
        name = identifier(cur());
        advance();
      }
    } else if (is_star) {
      error_at_current("expected one or more exception types");
      return;
    }
    ListId hbody = parse_block(is_star ? "'except*' statement" : "'except' statement", ex);
    push(node(NodeKind::ExceptHandler, begin_of(ex), block_end(), {type, name, hbody}));
  }
  ListId handlers = finish_list(base);
  bool has_handlers = !tree_.list(handlers).empty();
  ListId orelse = tree_.empty_list();
  if (has_handlers && at(TokenKind::Else)) orelse = parse_else_block("'else' statement");
  ListId finalbody = tree_.empty_list();
  if (at(TokenKind::Finally)) finalbody = parse_else_block("'finally' statement");
  if (failed_) return;
  if (!has_handlers && tree_.list(finalbody).empty()) {
    error_at_current("expected 'except' or 'finally' block");
    return;
  }
  uint32_t end = block_end();
  push(node(star == 1 ? NodeKind::TryStar : NodeKind::Try, begin_of(s), end,
            {body, handlers, orelse, finalbody}));
}

// decorators: ('@' named_expression NEWLINE)+ ; then function_def_raw or class_def_raw
void Parser::parse_decorated() {
  size_t base = mark_scratch();
  while (at(TokenKind::At)) {
    advance();
    push(parse_named_expression());
    if (!expect(TokenKind::Newline, "invalid syntax")) return;
  }
  ListId decorators = finish_list(base);
  if (at(TokenKind::Def)) {
    parse_function_def(pos_, decorators, false);
  } else if (at(TokenKind::Class)) {
    parse_class_def(pos_, decorators);
  } else if (at(TokenKind::Async) && peek_at(1) == TokenKind::Def) {
    uint32_t s = pos_;
    advance();
    parse_function_def(s, decorators, true);
  } else {
    error_at_current("invalid syntax");
  }
}

// NAME [type_params], after 'def' or 'class': the name and the type parameters, or nothing after an
// error. `py311_message` is the error for type parameters under --python 3.11.
auto Parser::parse_def_name(const char* py311_message)
    -> std::optional<std::pair<StringId, ListId>> {
  if (!at(TokenKind::Name)) {
    error_at_current("invalid syntax");
    return std::nullopt;
  }
  StringId name = identifier(cur());
  advance();
  ListId type_params = tree_.empty_list();
  if (at(TokenKind::LSqb)) {
    if (options_.version == PythonVersion::Py311) {
      error_at_current(py311_message, DiagnosticKind::parse_newer_syntax);
      return std::nullopt;
    }
    type_params = parse_type_params();
  }
  return std::pair{name, type_params};
}

// function_def_raw:
//   | ['async'] 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':' block
void Parser::parse_function_def(uint32_t start, ListId decorators, bool is_async) {
  uint32_t def_token = pos_;
  advance();
  auto head = parse_def_name("expected '(' (type parameters need Python 3.12)");
  if (!head) return;
  auto [name, type_params] = *head;
  if (!expect(TokenKind::LPar, "expected '('")) return;
  NodeId args = parse_parameters(false);
  if (!expect(TokenKind::RPar, "expected ')'")) return;
  NodeId returns = kNone;
  if (eat(TokenKind::RArrow)) returns = parse_expression();
  ListId body = parse_block("function definition", def_token);
  push(node(is_async ? NodeKind::AsyncFunctionDef : NodeKind::FunctionDef, begin_of(start),
            block_end(), {name, args, body, decorators, returns, kNone, type_params}));
}

// class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
void Parser::parse_class_def(uint32_t start, ListId decorators) {
  uint32_t class_token = pos_;
  advance();
  auto head = parse_def_name("invalid syntax (type parameters need Python 3.12)");
  if (!head) return;
  auto [name, type_params] = *head;
  ListId bases = tree_.empty_list();
  ListId keywords = tree_.empty_list();
  if (at(TokenKind::LPar)) {
    size_t base = mark_scratch();
    parse_call_arguments(base, true, pos_);
    if (failed_) {
      scratch_.resize(base);
      return;
    }
    size_t end = scratch_.size();
    for (size_t i = base; i < end; ++i) {
      if (kind(scratch_[i]) != NodeKind::keyword) scratch_.push_back(scratch_[i]);
    }
    bases = tree_.add_list(std::span<const uint32_t>(scratch_.data() + end, scratch_.size() - end));
    scratch_.resize(end);
    for (size_t i = base; i < end; ++i) {
      if (kind(scratch_[i]) == NodeKind::keyword) scratch_.push_back(scratch_[i]);
    }
    keywords =
        tree_.add_list(std::span<const uint32_t>(scratch_.data() + end, scratch_.size() - end));
    scratch_.resize(base);
  }
  ListId body = parse_block("class definition", class_token);
  push(node(NodeKind::ClassDef, begin_of(start), block_end(),
            {name, bases, keywords, body, decorators, type_params}));
}

// Whether a statement starting with the soft keyword `match` is a match statement: its logical
// line ends with a ':' outside brackets and an indented block follows.
auto Parser::looks_like_match() const -> bool {
  uint32_t i = pos_ + 1;
  if (i >= toks_.size() || !can_start_expression(toks_[i].kind)) return false;
  int depth = 0;
  TokenKind last = TokenKind::EndOfFile;
  int last_depth = 0;
  for (; i < toks_.size(); ++i) {
    TokenKind k = toks_[i].kind;
    if (k == TokenKind::Newline || k == TokenKind::EndOfFile) break;
    if (is_open(k)) ++depth;
    if (is_close(k)) --depth;
    last = k;
    last_depth = depth;
  }
  return last == TokenKind::Colon && last_depth == 0 && i + 1 < toks_.size() &&
         toks_[i].kind == TokenKind::Newline && toks_[i + 1].kind == TokenKind::Indent;
}

// match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
// subject_expr: star_named_expression ',' star_named_expressions? | named_expression
// case_block: "case" patterns guard? ':' block
// guard: 'if' named_expression
void Parser::parse_match() {
  uint32_t s = pos_;
  advance();
  uint32_t ss = pos_;
  NodeId subject = parse_star_named_expression();
  if (at(TokenKind::Comma)) {
    size_t base = mark_scratch();
    push(subject);
    while (eat(TokenKind::Comma)) {
      if (!can_start_expression(peek())) break;
      push(parse_star_named_expression());
    }
    ListId elts = finish_list(base);
    subject = node(NodeKind::Tuple, begin_of(ss), prev_end(), {elts, load()});
  } else if (!failed_ && kind(subject) == NodeKind::Starred) {
    error_at_node(subject, "invalid syntax");
    return;
  }
  if (!expect(TokenKind::Colon, "expected ':'")) return;
  if (!expect(TokenKind::Newline, "invalid syntax")) return;
  if (!at(TokenKind::Indent)) {
    uint32_t line = tokens_.source->line_column(begin_of(s)).line;
    error_at_current("expected an indented block after 'match' statement on line " +
                     std::to_string(line));
    return;
  }
  advance();
  size_t base = mark_scratch();
  while (!at(TokenKind::Dedent) && !at(TokenKind::EndOfFile)) {
    if (!at_soft_keyword("case")) {
      error_at_current("invalid syntax");
      break;
    }
    uint32_t case_token = pos_;
    advance();
    NodeId pattern = parse_patterns();
    NodeId guard = eat(TokenKind::If) ? parse_named_expression() : kNone;
    ListId body = parse_block("'case' statement", case_token);
    if (failed_) break;
    push(node(NodeKind::match_case, 0, 0, {pattern, guard, body}));
  }
  if (failed_) {
    scratch_.resize(base);
    return;
  }
  eat(TokenKind::Dedent);
  ListId cases = finish_list(base);
  uint32_t end = block_end();
  push(node(NodeKind::Match, begin_of(s), end, {subject, cases}));
}

}  // namespace ivyc::parse::internal
