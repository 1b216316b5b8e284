// Match statement patterns (PEP 634): sequences, mappings, class patterns, alternatives,
// captures, wildcards, values and literals.
#include <string>

#include "ivyc/parse/literals.h"
#include "parser_internal.h"

namespace ivyc::parse::internal {

// patterns: open_sequence_pattern | pattern
// open_sequence_pattern: maybe_star_pattern ',' maybe_sequence_pattern?
auto Parser::parse_patterns() -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_maybe_star_pattern();
  if (!at(TokenKind::Comma)) {
    if (!failed_ && kind(first) == NodeKind::MatchStar) {
      error_at_node(first, "invalid syntax");
      return error_node();
    }
    return first;
  }
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::Comma)) {
    if (at(TokenKind::Colon) || at(TokenKind::If)) break;
    push(parse_maybe_star_pattern());
  }
  ListId items = finish_list(base);
  return node(NodeKind::MatchSequence, begin_of(s), prev_end(), {items});
}

// pattern_capture_target: !"_" NAME !('.' | '(' | '=')
auto Parser::parse_capture_name() -> StringId {
  if (!at(TokenKind::Name)) {
    error_at_current("invalid syntax");
    return kNone;
  }
  if (text(cur()) == "_") {
    error_at_current("cannot use '_' as a target");
    return kNone;
  }
  StringId id = identifier(cur());
  advance();
  return id;
}

// maybe_star_pattern: star_pattern | pattern
// star_pattern: '*' pattern_capture_target | '*' wildcard_pattern
auto Parser::parse_maybe_star_pattern() -> NodeId {
  if (!at(TokenKind::Star)) return parse_pattern();
  uint32_t s = pos_;
  advance();
  StringId name = kNone;
  if (at_soft_keyword("_")) {
    advance();
  } else {
    name = parse_capture_name();
  }
  return node(NodeKind::MatchStar, begin_of(s), prev_end(), {name});
}

// pattern: as_pattern | or_pattern
// as_pattern: or_pattern 'as' pattern_capture_target
auto Parser::parse_pattern() -> NodeId {
  DepthGuard guard(*this);
  if (!guard.ok) return error_node();
  uint32_t s = pos_;
  NodeId p = parse_or_pattern();
  if (!at(TokenKind::As)) return p;
  advance();
  StringId name = parse_capture_name();
  if (failed_) return error_node();
  return node(NodeKind::MatchAs, begin_of(s), prev_end(), {p, name});
}

// or_pattern: '|'.closed_pattern+
auto Parser::parse_or_pattern() -> NodeId {
  uint32_t s = pos_;
  NodeId first = parse_closed_pattern();
  if (!at(TokenKind::VBar)) return first;
  size_t base = mark_scratch();
  push(first);
  while (eat(TokenKind::VBar)) push(parse_closed_pattern());
  ListId alts = finish_list(base);
  return node(NodeKind::MatchOr, begin_of(s), prev_end(), {alts});
}

// literal_expr (and the value of literal_pattern):
//   signed_number !('+' | '-') | complex_number | strings | 'None' | 'True' | 'False'
// complex_number: signed_real_number ('+' | '-') imaginary_number
// signed_number: NUMBER | '-' NUMBER
auto Parser::parse_literal_expr() -> NodeId {
  uint32_t s = pos_;
  TokenKind k = peek();
  if (k == TokenKind::String || k == TokenKind::FStringStart) return parse_strings();
  if (k == TokenKind::None || k == TokenKind::True || k == TokenKind::False) return parse_atom();
  bool negative = eat(TokenKind::Minus);
  if (!at(TokenKind::Number)) {
    error_at_current("invalid syntax");
    return error_node();
  }
  bool left_imaginary = (cur().flags & lex::kTokenImaginary) != 0;
  NodeId left = parse_atom();
  if (negative) {
    left = node(NodeKind::UnaryOp, begin_of(s), prev_end(), {singleton(NodeKind::USub), left});
  }
  if (!at(TokenKind::Plus) && !at(TokenKind::Minus)) return left;
  NodeKind op = at(TokenKind::Plus) ? NodeKind::Add : NodeKind::Sub;
  if (left_imaginary) {
    error_at_node(left, "real number required in complex literal");
    return error_node();
  }
  advance();
  if (!at(TokenKind::Number)) {
    error_at_current("invalid syntax");
    return error_node();
  }
  if ((cur().flags & lex::kTokenImaginary) == 0) {
    error_at_current("imaginary number required in complex literal");
    return error_node();
  }
  NodeId right = parse_atom();
  return node(NodeKind::BinOp, begin_of(s), prev_end(), {left, singleton(op), right});
}

// name_or_attr: attr | NAME      attr: name_or_attr '.' NAME
auto Parser::parse_name_or_attr() -> NodeId {
  uint32_t s = pos_;
  NodeId e = name_node();
  while (at(TokenKind::Dot)) {
    advance();
    if (!at(TokenKind::Name)) {
      error_at_current("invalid syntax");
      return error_node();
    }
    StringId attr = identifier(cur());
    advance();
    e = node(NodeKind::Attribute, begin_of(s), prev_end(), {e, attr, load()});
  }
  return e;
}

// closed_pattern: literal_pattern | capture_pattern | wildcard_pattern | value_pattern
//   | group_pattern | sequence_pattern | mapping_pattern | class_pattern
auto Parser::parse_closed_pattern() -> NodeId {
  uint32_t s = pos_;
  switch (peek()) {
    case TokenKind::Number:
    case TokenKind::Minus:
    case TokenKind::String:
    case TokenKind::FStringStart: {
      NodeId v = parse_literal_expr();
      return node(NodeKind::MatchValue, begin_of(s), prev_end(), {v});
    }
    case TokenKind::None:
    case TokenKind::True:
    case TokenKind::False: {
      ConstantKind ck = peek() == TokenKind::None   ? ConstantKind::None
                        : peek() == TokenKind::True ? ConstantKind::True
                                                    : ConstantKind::False;
      advance();
      return node(NodeKind::MatchSingleton, begin_of(s), prev_end(),
                  {tree_.add_constant(Constant{ck, 0, {}})});
    }
    case TokenKind::Name: {
      // wildcard_pattern comes first: `_.x` and `_(...)` are not patterns.
      if (text(cur()) == "_") {
        advance();
        return node(NodeKind::MatchAs, begin_of(s), prev_end(), {kNone, kNone});
      }
      TokenKind next = peek_at(1);
      if (next != TokenKind::Dot && next != TokenKind::LPar) {
        StringId name = identifier(cur());
        advance();
        return node(NodeKind::MatchAs, begin_of(s), prev_end(), {kNone, name});
      }
      NodeId e = parse_name_or_attr();
      if (at(TokenKind::LPar)) return parse_class_pattern(e, s);
      return node(NodeKind::MatchValue, begin_of(s), prev_end(), {e});
    }
    case TokenKind::LPar: {
      // group_pattern: '(' pattern ')'    sequence_pattern: '(' open_sequence_pattern? ')'
      advance();
      if (eat(TokenKind::RPar)) {
        return node(NodeKind::MatchSequence, begin_of(s), prev_end(), {tree_.empty_list()});
      }
      NodeId first = parse_maybe_star_pattern();
      if (at(TokenKind::Comma)) {
        size_t base = mark_scratch();
        push(first);
        while (eat(TokenKind::Comma)) {
          if (at(TokenKind::RPar)) break;
          push(parse_maybe_star_pattern());
        }
        if (!expect(TokenKind::RPar, "expected ')'")) {
          scratch_.resize(base);
          return error_node();
        }
        ListId items = finish_list(base);
        return node(NodeKind::MatchSequence, begin_of(s), prev_end(), {items});
      }
      if (!expect(TokenKind::RPar, "expected ')'")) return error_node();
      if (kind(first) == NodeKind::MatchStar) {
        error_at_node(first, "invalid syntax");
        return error_node();
      }
      return first;
    }
    case TokenKind::LSqb: {
      // sequence_pattern: '[' maybe_sequence_pattern? ']'
      advance();
      size_t base = mark_scratch();
      while (!at(TokenKind::RSqb)) {
        push(parse_maybe_star_pattern());
        if (!eat(TokenKind::Comma)) break;
      }
      if (!expect(TokenKind::RSqb, "expected ']'")) {
        scratch_.resize(base);
        return error_node();
      }
      ListId items = finish_list(base);
      return node(NodeKind::MatchSequence, begin_of(s), prev_end(), {items});
    }
    case TokenKind::LBrace:
      return parse_mapping_pattern();
    default:
      error_at_current("invalid syntax");
      return error_node();
  }
}

// class_pattern: name_or_attr '(' [pattern_arguments ','?] ')'
// pattern_arguments: positional_patterns [',' keyword_patterns] | keyword_patterns
// keyword_pattern: NAME '=' pattern
auto Parser::parse_class_pattern(NodeId cls, uint32_t start) -> NodeId {
  advance();
  size_t base = mark_scratch();
  uint32_t npos = 0;
  uint32_t nkw = 0;
  while (!at(TokenKind::RPar)) {
    if (at(TokenKind::Name) && peek_at(1) == TokenKind::Equal) {
      StringId attr = identifier(cur());
      advance();
      advance();
      NodeId p = parse_pattern();
      push(attr);
      push(p);
      ++nkw;
    } else {
      NodeId p = parse_pattern();
      if (nkw > 0 && !failed_) {
        error_at_node(p, "positional patterns follow keyword patterns");
        break;
      }
      push(p);
      ++npos;
    }
    if (!eat(TokenKind::Comma)) break;
  }
  if (!expect(TokenKind::RPar, "expected ')'")) {
    scratch_.resize(base);
    return error_node();
  }
  size_t kw_base = base + npos;
  ListId kwd_attrs = strided_list(kw_base, 0, 2);
  ListId kwd_patterns = strided_list(kw_base, 1, 2);
  scratch_.resize(kw_base);
  ListId patterns = finish_list(base);
  return node(NodeKind::MatchClass, begin_of(start), prev_end(),
              {cls, patterns, kwd_attrs, kwd_patterns});
}

// mapping_pattern: '{' '}' | '{' double_star_pattern ','? '}'
//   | '{' items_pattern ',' double_star_pattern ','? '}' | '{' items_pattern ','? '}'
// key_value_pattern: (literal_expr | attr) ':' pattern
// double_star_pattern: '**' pattern_capture_target
auto Parser::parse_mapping_pattern() -> NodeId {
  uint32_t s = pos_;
  advance();
  size_t base = mark_scratch();
  StringId rest = kNone;
  while (!at(TokenKind::RBrace)) {
    if (rest != kNone) {
      error_at_current("invalid syntax");
      break;
    }
    if (eat(TokenKind::DoubleStar)) {
      rest = parse_capture_name();
    } else {
      NodeId key;
      if (at(TokenKind::Name)) {
        key = parse_name_or_attr();
        if (!failed_ && kind(key) == NodeKind::Name) {
          error_at_node(key, "invalid syntax");
          break;
        }
      } else {
        key = parse_literal_expr();
      }
      if (!expect(TokenKind::Colon, "expected ':'")) break;
      NodeId p = parse_pattern();
      push(key);
      push(p);
    }
    if (!eat(TokenKind::Comma)) break;
  }
  if (!expect(TokenKind::RBrace, "expected '}'")) {
    scratch_.resize(base);
    return error_node();
  }
  ListId keys = strided_list(base, 0, 2);
  ListId patterns = strided_list(base, 1, 2);
  scratch_.resize(base);
  return node(NodeKind::MatchMapping, begin_of(s), prev_end(), {keys, patterns, rest});
}

}  // namespace ivyc::parse::internal
