// Expressions: precedence climbing from star_expressions down to atoms; displays, comprehensions,
// lambda, yield and subscripts. A node spans from the first token of the rule that made it to
// the last token it consumed, so an operand in parentheses stretches its parent to the
// parentheses while the parenthesized node itself keeps its own range (CPython's EXTRA).
#include <optional>
#include <string>

#include "ivyc/parse/literals.h"
#include "parser_internal.h"

namespace ivyc::parse::internal {

// star_expressions: star_expression (',' star_expression)* [',']
auto Parser::parse_star_expressions() -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_star_expression();
  if (!at(TokenKind::Comma)) return first;
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::Comma)) {
    if (!can_start_expression(peek())) break;
    push(parse_star_expression());
  }
  ListId elts = finish_list(base);
  return node(NodeKind::Tuple, begin_of(s), prev_end(), {elts, load()});
}

// star_expression: '*' bitwise_or | expression
auto Parser::parse_star_expression() -> NodeId {
  return at(TokenKind::Star) ? parse_starred_bitwise_or() : parse_expression();
}

// star_named_expression: '*' bitwise_or | named_expression
auto Parser::parse_star_named_expression() -> NodeId {
  return at(TokenKind::Star) ? parse_starred_bitwise_or() : parse_named_expression();
}

// The starred alternative of both: '*' bitwise_or
auto Parser::parse_starred_bitwise_or() -> NodeId {
  uint32_t s = pos_;
  advance();
  NodeId v = parse_bitwise_or();
  return node(NodeKind::Starred, begin_of(s), prev_end(), {v, load()});
}

// named_expression: NAME ':=' expression | expression !':='
auto Parser::parse_named_expression() -> NodeId {
  uint32_t s = pos_;
  if (at(TokenKind::Name) && peek_at(1) == TokenKind::ColonEqual) {
    const Token& t = cur();
    NodeId target = node(NodeKind::Name, t.begin, t.end,
                         {identifier(t), singleton(NodeKind::Store)});
    advance();
    advance();
    NodeId value = parse_expression();
    return node(NodeKind::NamedExpr, begin_of(s), prev_end(), {target, value});
  }
  NodeId e = parse_expression();
  if (at(TokenKind::ColonEqual)) {
    error_at_node(e, "cannot use assignment expressions with " + std::string(expr_name(e)));
    return error_node();
  }
  return e;
}

// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
auto Parser::parse_expression() -> NodeId {
  DepthGuard guard(*this);
  if (!guard.ok) return error_node();
  if (at(TokenKind::Lambda)) return parse_lambda();
  uint32_t s = pos_;
  NodeId body = parse_disjunction();
  if (!at(TokenKind::If)) return body;
  advance();
  NodeId test = parse_disjunction();
  if (!at(TokenKind::Else)) {
    if (!failed_) error(begin_of(s), prev_end(), "expected 'else' after 'if' expression");
    return error_node();
  }
  advance();
  NodeId orelse = parse_expression();
  return node(NodeKind::IfExp, begin_of(s), prev_end(), {test, body, orelse});
}

// disjunction: conjunction ('or' conjunction)+ | conjunction
auto Parser::parse_disjunction() -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_conjunction();
  if (!at(TokenKind::Or)) return first;
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::Or)) push(parse_conjunction());
  ListId values = finish_list(base);
  return node(NodeKind::BoolOp, begin_of(s), prev_end(), {singleton(NodeKind::Or), values});
}

// conjunction: inversion ('and' inversion)+ | inversion
auto Parser::parse_conjunction() -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_inversion();
  if (!at(TokenKind::And)) return first;
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::And)) push(parse_inversion());
  ListId values = finish_list(base);
  return node(NodeKind::BoolOp, begin_of(s), prev_end(), {singleton(NodeKind::And), values});
}

// inversion: 'not' inversion | comparison
auto Parser::parse_inversion() -> NodeId {
  if (!at(TokenKind::Not)) return parse_comparison();
  DepthGuard guard(*this);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  advance();
  NodeId operand = parse_inversion();
  return node(NodeKind::UnaryOp, begin_of(s), prev_end(), {singleton(NodeKind::Not), operand});
}

// comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
// compare_op: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in' | 'in' | 'is' 'not' | 'is'
auto Parser::parse_comparison() -> NodeId {
  uint32_t s = pos_;
  NodeId left = parse_bitwise_or();
  size_t base = mark_scratch();
  while (true) {
    NodeKind op;
    int width = 1;
    switch (peek()) {
      case TokenKind::EqEqual: op = NodeKind::Eq; break;
      case TokenKind::NotEqual: op = NodeKind::NotEq; break;
      case TokenKind::Less: op = NodeKind::Lt; break;
      case TokenKind::LessEqual: op = NodeKind::LtE; break;
      case TokenKind::Greater: op = NodeKind::Gt; break;
      case TokenKind::GreaterEqual: op = NodeKind::GtE; break;
      case TokenKind::In: op = NodeKind::In; break;
      case TokenKind::Not:
        if (peek_at(1) != TokenKind::In) goto done;
        op = NodeKind::NotIn;
        width = 2;
        break;
      case TokenKind::Is:
        if (peek_at(1) == TokenKind::Not) {
          op = NodeKind::IsNot;
          width = 2;
        } else {
          op = NodeKind::Is;
        }
        break;
      default:
        goto done;
    }
    pos_ += width;
    push(singleton(op));
    push(parse_bitwise_or());
  }
done:
  if (scratch_.size() == base) return left;
  ListId ops = strided_list(base, 0, 2);
  ListId comparators = strided_list(base, 1, 2);
  scratch_.resize(base);
  return node(NodeKind::Compare, begin_of(s), prev_end(), {left, ops, comparators});
}

namespace {

// Binary operators from bitwise_or (1) to term (6); 0 for other tokens.
auto binary_precedence(TokenKind k, NodeKind& op) -> int {
  switch (k) {
    case TokenKind::VBar: op = NodeKind::BitOr; return 1;
    case TokenKind::CircumFlex: op = NodeKind::BitXor; return 2;
    case TokenKind::Amper: op = NodeKind::BitAnd; return 3;
    case TokenKind::LeftShift: op = NodeKind::LShift; return 4;
    case TokenKind::RightShift: op = NodeKind::RShift; return 4;
    case TokenKind::Plus: op = NodeKind::Add; return 5;
    case TokenKind::Minus: op = NodeKind::Sub; return 5;
    case TokenKind::Star: op = NodeKind::Mult; return 6;
    case TokenKind::Slash: op = NodeKind::Div; return 6;
    case TokenKind::DoubleSlash: op = NodeKind::FloorDiv; return 6;
    case TokenKind::Percent: op = NodeKind::Mod; return 6;
    case TokenKind::At: op = NodeKind::MatMult; return 6;
    default: return 0;
  }
}

}  // namespace

// bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor
// bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
// bitwise_and: bitwise_and '&' shift_expr | shift_expr
// shift_expr: shift_expr ('<<' | '>>') sum | sum
// sum: sum ('+' | '-') term | term
// term: term ('*' | '/' | '//' | '%' | '@') factor | factor
// (all left-associative; precedence climbing)
auto Parser::parse_binary(int min_prec) -> NodeId {
  uint32_t s = pos_;
  NodeId left = parse_factor();
  while (true) {
    NodeKind op = NodeKind::Count_;
    int prec = binary_precedence(peek(), op);
    if (prec == 0 || prec < min_prec) break;
    advance();
    NodeId right = parse_binary(prec + 1);
    left = node(NodeKind::BinOp, begin_of(s), prev_end(), {left, singleton(op), right});
  }
  return left;
}

// factor: '+' factor | '-' factor | '~' factor | power
auto Parser::parse_factor() -> NodeId {
  NodeKind op;
  switch (peek()) {
    case TokenKind::Plus: op = NodeKind::UAdd; break;
    case TokenKind::Minus: op = NodeKind::USub; break;
    case TokenKind::Tilde: op = NodeKind::Invert; break;
    default: return parse_power();
  }
  DepthGuard guard(*this);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  advance();
  NodeId operand = parse_factor();
  return node(NodeKind::UnaryOp, begin_of(s), prev_end(), {singleton(op), operand});
}

// power: await_primary '**' factor | await_primary
auto Parser::parse_power() -> NodeId {
  uint32_t s = pos_;
  NodeId base = parse_primary();
  if (!at(TokenKind::DoubleStar)) return base;
  DepthGuard guard(*this, 2);
  if (!guard.ok) return error_node();
  advance();
  NodeId exponent = parse_factor();
  return node(NodeKind::BinOp, begin_of(s), prev_end(), {base, singleton(NodeKind::Pow), exponent});
}

auto Parser::name_node() -> NodeId {
  const Token& t = cur();
  NodeId n = node(NodeKind::Name, t.begin, t.end, {identifier(t), load()});
  advance();
  return n;
}

// await_primary: 'await' primary | primary
// primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')'
//   | primary '[' slices ']' | atom
auto Parser::parse_primary() -> NodeId {
  uint32_t s = pos_;
  bool is_await = eat(TokenKind::Await);
  uint32_t ps = pos_;
  NodeId e = parse_atom();
  while (true) {
    TokenKind k = peek();
    if (k == TokenKind::Dot) {
      advance();
      if (!at(TokenKind::Name)) {
        error_at_current("invalid syntax");
        return error_node();
      }
      StringId attr = identifier(cur());
      advance();
      e = node(NodeKind::Attribute, begin_of(ps), prev_end(), {e, attr, load()});
    } else if (k == TokenKind::LPar) {
      e = parse_call(e, ps);
    } else if (k == TokenKind::LSqb) {
      DepthGuard guard(*this, kCostTrailer);
      if (!guard.ok) return error_node();
      advance();
      uint32_t item = pos_;
      NodeId slice = parse_slices(item);
      if (!expect_closer(TokenKind::RSqb, item)) return error_node();
      e = node(NodeKind::Subscript, begin_of(ps), prev_end(), {e, slice, load()});
    } else {
      break;
    }
  }
  if (is_await) e = node(NodeKind::Await, begin_of(s), prev_end(), {e});
  return e;
}

// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp)
//   | (list | listcomp) | (dict | set | dictcomp | setcomp) | '...'
auto Parser::parse_atom() -> NodeId {
  const Token& t = cur();
  ConstantKind ck;
  switch (peek()) {
    case TokenKind::Name:
      return name_node();
    case TokenKind::Number: {
      auto c = parse_number(text(t));
      if (!c) {
        error_at_current("invalid number literal", DiagnosticKind::parse_invalid_literal);
        return error_node();
      }
      NodeId n = node(NodeKind::Constant, t.begin, t.end, {tree_.add_constant(std::move(*c)), kNone});
      advance();
      return n;
    }
    case TokenKind::String:
    case TokenKind::FStringStart:
      return parse_strings();
    case TokenKind::LPar:
      return parse_paren_atom();
    case TokenKind::LSqb:
      return parse_list_atom();
    case TokenKind::LBrace:
      return parse_brace_atom();
    case TokenKind::None: ck = ConstantKind::None; break;
    case TokenKind::True: ck = ConstantKind::True; break;
    case TokenKind::False: ck = ConstantKind::False; break;
    case TokenKind::Ellipsis: ck = ConstantKind::Ellipsis; break;
    default:
      error_at_current("invalid syntax");
      return error_node();
  }
  NodeId n = node(NodeKind::Constant, t.begin, t.end, {tree_.add_constant(Constant{ck, 0, {}}), kNone});
  advance();
  return n;
}

// The closing bracket of a display, call or subscript. When another expression follows the
// last item instead, CPython's invalid_expression says a comma is missing (from that item on).
auto Parser::expect_closer(TokenKind close, uint32_t item_start) -> bool {
  if (eat(close)) return true;
  if (failed_) return false;
  TokenKind k = peek();
  bool legacy = toks_[item_start].kind == TokenKind::Name && item_start + 1 == pos_ &&
                (k == TokenKind::String || k == TokenKind::FStringStart);
  if (can_start_expression(k) && k != TokenKind::Star && !legacy) {
    error(begin_of(item_start), cur().end, "invalid syntax. Perhaps you forgot a comma?");
    return false;
  }
  error_at_current(close == TokenKind::RPar   ? "expected ')'"
                   : close == TokenKind::RSqb ? "expected ']'"
                                              : "expected '}'");
  return false;
}

// tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
// group: '(' (yield_expr | named_expression) ')'
// genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')'
auto Parser::parse_paren_atom() -> NodeId {
  DepthGuard guard(*this, kCostParen);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  advance();
  if (eat(TokenKind::RPar)) {
    return node(NodeKind::Tuple, begin_of(s), prev_end(), {tree_.empty_list(), load()});
  }
  if (at(TokenKind::Yield)) {
    NodeId y = parse_yield_expr();
    if (!expect(TokenKind::RPar, "expected ')'")) return error_node();
    mark_parenthesized(y);
    return y;
  }
  uint32_t item = pos_;
  NodeId first = parse_star_named_expression();
  if (at_for_clause()) {
    if (kind(first) == NodeKind::Starred) {
      error_at_node(first, "iterable unpacking cannot be used in comprehension");
      return error_node();
    }
    ListId gens = parse_comprehension_clauses();
    if (!expect(TokenKind::RPar, "expected ')'")) return error_node();
    return node(NodeKind::GeneratorExp, begin_of(s), prev_end(), {first, gens});
  }
  if (at(TokenKind::Comma)) {
    size_t base = mark_scratch();
    push(first);
    while (eat(TokenKind::Comma)) {
      if (at(TokenKind::RPar)) break;
      item = pos_;
      push(parse_star_named_expression());
    }
    if (!expect_closer(TokenKind::RPar, item)) {
      scratch_.resize(base);
      return error_node();
    }
    ListId elts = finish_list(base);
    return node(NodeKind::Tuple, begin_of(s), prev_end(), {elts, load()});
  }
  if (!expect_closer(TokenKind::RPar, item)) return error_node();
  if (kind(first) == NodeKind::Starred) {
    error_at_node(first, "cannot use starred expression here");
    return error_node();
  }
  mark_parenthesized(first);
  return first;
}

// list: '[' [star_named_expressions] ']'
// listcomp: '[' named_expression for_if_clauses ']'
auto Parser::parse_list_atom() -> NodeId {
  DepthGuard guard(*this, kCostBracket);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  advance();
  if (eat(TokenKind::RSqb)) {
    return node(NodeKind::List, begin_of(s), prev_end(), {tree_.empty_list(), load()});
  }
  uint32_t item = pos_;
  NodeId first = parse_star_named_expression();
  if (at_for_clause()) {
    if (kind(first) == NodeKind::Starred) {
      error_at_node(first, "iterable unpacking cannot be used in comprehension");
      return error_node();
    }
    ListId gens = parse_comprehension_clauses();
    if (!expect(TokenKind::RSqb, "expected ']'")) return error_node();
    return node(NodeKind::ListComp, begin_of(s), prev_end(), {first, gens});
  }
  auto elts = parse_display_elements(first, s, item, TokenKind::RSqb);
  if (!elts) return error_node();
  return node(NodeKind::List, begin_of(s), prev_end(), {*elts, load()});
}

// The rest of a list or set display after its first element `first` (which starts at token
// `first_item`; the display opens at token `open`):
//   (',' star_named_expression)* [','] closer
// Returns the elements, or nothing after an error.
auto Parser::parse_display_elements(NodeId first, uint32_t open, uint32_t first_item,
                                    TokenKind closer) -> std::optional<ListId> {
  size_t base = mark_scratch();
  push(first);
  uint32_t item = first_item;
  while (eat(TokenKind::Comma)) {
    if (at(closer)) break;
    item = pos_;
    push(parse_star_named_expression());
    if (at_for_clause()) {
      error(begin_of(open + 1), prev_end(),
            "did you forget parentheses around the comprehension target?");
      break;
    }
  }
  if (!expect_closer(closer, item)) {
    scratch_.resize(base);
    return std::nullopt;
  }
  return finish_list(base);
}

// dict: '{' [double_starred_kvpairs] '}'
// set: '{' star_named_expressions '}'
// dictcomp: '{' kvpair for_if_clauses '}'
// setcomp: '{' named_expression for_if_clauses '}'
// double_starred_kvpair: '**' bitwise_or | expression ':' expression
auto Parser::parse_brace_atom() -> NodeId {
  DepthGuard guard(*this, kCostBracket);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  advance();
  if (eat(TokenKind::RBrace)) {
    return node(NodeKind::Dict, begin_of(s), prev_end(), {tree_.empty_list(), tree_.empty_list()});
  }
  NodeId key = kNone;
  NodeId value;
  uint32_t first_start = pos_;
  uint32_t value_start = pos_;
  if (at(TokenKind::DoubleStar)) {
    advance();
    value_start = pos_;
    value = parse_bitwise_or();
  } else {
    NodeId first = parse_star_named_expression();
    if (!at(TokenKind::Colon)) {
      // a set
      if (at_for_clause()) {
        if (kind(first) == NodeKind::Starred) {
          error_at_node(first, "iterable unpacking cannot be used in comprehension");
          return error_node();
        }
        ListId gens = parse_comprehension_clauses();
        if (!expect(TokenKind::RBrace, "expected '}'")) return error_node();
        return node(NodeKind::SetComp, begin_of(s), prev_end(), {first, gens});
      }
      auto elts = parse_display_elements(first, s, first_start, TokenKind::RBrace);
      if (!elts) return error_node();
      return node(NodeKind::Set, begin_of(s), prev_end(), {*elts});
    }
    if (kind(first) == NodeKind::Starred ||
        (kind(first) == NodeKind::NamedExpr && !is_parenthesized(first))) {
      error_at_node(first, "invalid syntax");
      return error_node();
    }
    advance();
    key = first;
    value_start = pos_;
    value = parse_expression();
  }
  if (at_for_clause()) {
    if (key == kNone) {
      error(begin_of(first_start), tree_.node(value).end,
            "dict unpacking cannot be used in dict comprehension");
      return error_node();
    }
    ListId gens = parse_comprehension_clauses();
    if (!expect(TokenKind::RBrace, "expected '}'")) return error_node();
    return node(NodeKind::DictComp, begin_of(s), prev_end(), {key, value, gens});
  }
  size_t base = mark_scratch();
  push(key);
  push(value);
  while (eat(TokenKind::Comma)) {
    if (at(TokenKind::RBrace)) break;
    if (eat(TokenKind::DoubleStar)) {
      push(kNone);
      value_start = pos_;
      push(parse_bitwise_or());
      continue;
    }
    NodeId k = parse_expression();
    if (!expect(TokenKind::Colon, "':' expected after dictionary key")) break;
    push(k);
    value_start = pos_;
    push(parse_expression());
  }
  if (!expect_closer(TokenKind::RBrace, value_start)) {
    scratch_.resize(base);
    return error_node();
  }
  ListId keys = strided_list(base, 0, 2);
  ListId values = strided_list(base, 1, 2);
  scratch_.resize(base);
  return node(NodeKind::Dict, begin_of(s), prev_end(), {keys, values});
}

// for_if_clauses: for_if_clause+
// for_if_clause: ['async'] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*
auto Parser::parse_comprehension_clauses() -> ListId {
  size_t base = mark_scratch();
  while (at_for_clause()) {
    uint32_t is_async = eat(TokenKind::Async) ? 1 : 0;
    advance();
    NodeId target = parse_for_targets(TargetKind::Comprehension);
    if (!expect(TokenKind::In, "invalid syntax")) break;
    NodeId iter = parse_disjunction();
    size_t ifs_base = mark_scratch();
    while (eat(TokenKind::If)) push(parse_disjunction());
    ListId ifs = finish_list(ifs_base);
    push(node(NodeKind::comprehension, 0, 0, {target, iter, ifs, is_async}));
  }
  return finish_list(base);
}

// star_targets before 'in' (for statements and comprehensions): star_target (',' star_target)*
// [','], each parsed without comparisons so that 'in' ends it.
auto Parser::parse_for_targets(TargetKind tk) -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_star_target();
  if (!at(TokenKind::Comma)) {
    set_target(first, tk);
    return first;
  }
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::Comma)) {
    if (!can_start_expression(peek())) break;
    push(parse_star_target());
  }
  ListId elts = finish_list(base);
  NodeId t = node(NodeKind::Tuple, begin_of(s), prev_end(), {elts, load()});
  set_target(t, tk);
  return t;
}

// star_target: '*' (!'*' star_target) | target_with_star_atom
auto Parser::parse_star_target() -> NodeId {
  if (!at(TokenKind::Star)) return parse_bitwise_or();
  uint32_t s = pos_;
  advance();
  NodeId v = parse_bitwise_or();
  return node(NodeKind::Starred, begin_of(s), prev_end(), {v, load()});
}

// lambdef: 'lambda' [lambda_params] ':' expression
auto Parser::parse_lambda() -> NodeId {
  DepthGuard guard(*this);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  advance();
  NodeId args = parse_parameters(true);
  if (!expect(TokenKind::Colon, "expected ':'")) return error_node();
  NodeId body = parse_expression();
  return node(NodeKind::Lambda, begin_of(s), prev_end(), {args, body});
}

// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
auto Parser::parse_yield_expr() -> NodeId {
  uint32_t s = pos_;
  advance();
  if (eat(TokenKind::From)) {
    NodeId v = parse_expression();
    return node(NodeKind::YieldFrom, begin_of(s), prev_end(), {v});
  }
  NodeId v = can_start_expression(peek()) ? parse_star_expressions() : kNone;
  return node(NodeKind::Yield, begin_of(s), prev_end(), {v});
}

// slices: slice !',' | ','.(slice | starred_expression)+ [',']
auto Parser::parse_slices(uint32_t& item) -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_slice();
  if (!at(TokenKind::Comma) && (failed_ || kind(first) != NodeKind::Starred)) return first;
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::Comma)) {
    if (at(TokenKind::RSqb)) break;
    item = pos_;
    push(parse_slice());
  }
  ListId elts = finish_list(base);
  return node(NodeKind::Tuple, begin_of(s), prev_end(), {elts, load()});
}

// slice: [expression] ':' [expression] [':' [expression]] | named_expression
// starred_expression: '*' expression
auto Parser::parse_slice() -> NodeId {
  uint32_t s = pos_;
  if (at(TokenKind::Star)) {
    advance();
    NodeId v = parse_expression();
    return node(NodeKind::Starred, begin_of(s), prev_end(), {v, load()});
  }
  NodeId lower = kNone;
  if (!at(TokenKind::Colon)) {
    lower = parse_named_expression();
    if (!at(TokenKind::Colon)) return lower;
  }
  advance();
  NodeId upper = kNone;
  NodeId step = kNone;
  auto part_starts = [&] {
    TokenKind k = peek();
    return k != TokenKind::Star && can_start_expression(k);
  };
  if (part_starts()) upper = parse_expression();
  if (eat(TokenKind::Colon)) {
    if (part_starts()) step = parse_expression();
  }
  return node(NodeKind::Slice, begin_of(s), prev_end(), {lower, upper, step});
}

}  // namespace ivyc::parse::internal
