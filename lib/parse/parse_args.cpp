// Call arguments (and class bases), def and lambda parameters, and 3.12's type parameters.
#include <string>

#include "parser_internal.h"

namespace ivyc::parse::internal {

// primary '(' [arguments] ')' and primary genexp: a Call spanning from the primary to ')'.
auto Parser::parse_call(NodeId func, uint32_t start) -> NodeId {
  DepthGuard guard(*this, kCostTrailer);
  if (!guard.ok) return error_node();
  size_t base = mark_scratch();
  parse_call_arguments(base, false, pos_);
  if (failed_) {
    scratch_.resize(base);
    return error_node();
  }
  size_t end = scratch_.size();
  for (size_t i = base; i < end; ++i) {
    if (kind(scratch_[i]) != NodeKind::keyword) scratch_.push_back(scratch_[i]);
  }
  ListId args = tree_.add_list(std::span<const uint32_t>(scratch_.data() + end, scratch_.size() - end));
  scratch_.resize(end);
  for (size_t i = base; i < end; ++i) {
    if (kind(scratch_[i]) == NodeKind::keyword) scratch_.push_back(scratch_[i]);
  }
  ListId keywords =
      tree_.add_list(std::span<const uint32_t>(scratch_.data() + end, scratch_.size() - end));
  scratch_.resize(base);
  return node(NodeKind::Call, begin_of(start), prev_end(), {func, args, keywords});
}

// arguments: args [','] &')'
// args: ','.(starred_expression | (assignment_expression | expression !':=') !'=')+
//         [',' kwargs] | kwargs
// kwargs: ','.kwarg_or_starred+ ',' ','.kwarg_or_double_starred+ | ...
// kwarg_or_starred: NAME '=' expression | starred_expression
// kwarg_or_double_starred: NAME '=' expression | '**' expression
// The arguments (expressions, Starred, keyword nodes) are pushed on the scratch stack in order;
// the ')' is consumed.
void Parser::parse_call_arguments(size_t base, bool for_class, uint32_t lpar) {
  advance();
  bool seen_keyword = false;
  bool seen_double_star = false;
  uint32_t item = pos_;
  while (!at(TokenKind::RPar)) {
    uint32_t s = pos_;
    item = s;
    TokenKind k = peek();
    if (k == TokenKind::Star) {
      advance();
      NodeId v = parse_expression();
      if (seen_double_star && !failed_) {
        error(begin_of(s), prev_end(),
              "iterable argument unpacking follows keyword argument unpacking");
        return;
      }
      push(node(NodeKind::Starred, begin_of(s), prev_end(), {v, load()}));
    } else if (k == TokenKind::DoubleStar) {
      advance();
      NodeId v = parse_expression();
      push(node(NodeKind::keyword, begin_of(s), prev_end(), {kNone, v}));
      seen_double_star = true;
    } else if (k == TokenKind::Name && peek_at(1) == TokenKind::Equal) {
      StringId id = identifier(cur());
      advance();
      advance();
      item = pos_;
      NodeId v = parse_expression();
      push(node(NodeKind::keyword, begin_of(s), prev_end(), {id, v}));
      seen_keyword = true;
    } else {
      NodeId e = parse_named_expression();
      if (failed_) return;
      if (at_for_clause()) {
        bool first = scratch_.size() == base;
        ListId gens = parse_comprehension_clauses();
        if (failed_) return;
        if (for_class) {
          error_at_current("invalid syntax");
          return;
        }
        if (!first || !at(TokenKind::RPar)) {
          error(begin_of(s), prev_end(), "generator expression must be parenthesized");
          return;
        }
        push(node(NodeKind::GeneratorExp, begin_of(lpar), cur().end, {e, gens}));
        continue;
      }
      if (at(TokenKind::Equal)) {
        if (kind(e) == NodeKind::Constant) {
          ConstantKind ck = tree_.constant(tree_.slot(e, 0)).kind;
          if (ck == ConstantKind::True || ck == ConstantKind::False || ck == ConstantKind::None) {
            error_at_node(e, "cannot assign to " + std::string(expr_name(e)));
            return;
          }
        }
        error(begin_of(s), cur().end,
              "expression cannot contain assignment, perhaps you meant \"==\"?");
        return;
      }
      if (seen_double_star) {
        error_at_node(e, "positional argument follows keyword argument unpacking");
        return;
      }
      if (seen_keyword) {
        error_at_node(e, "positional argument follows keyword argument");
        return;
      }
      push(e);
    }
    if (!eat(TokenKind::Comma)) break;
  }
  expect_closer(TokenKind::RPar, item);
}

// param: NAME annotation?       (lambda_param: NAME)
// annotation: ':' expression    star_annotation: ':' star_expression (for *args)
auto Parser::parse_param(bool lambda, bool star) -> NodeId {
  if (!at(TokenKind::Name)) {
    error_at_current("invalid syntax");
    return error_node();
  }
  uint32_t s = pos_;
  StringId id = identifier(cur());
  advance();
  NodeId annotation = kNone;
  if (!lambda && eat(TokenKind::Colon)) {
    annotation = star ? parse_star_expression() : parse_expression();
  }
  return node(NodeKind::arg, begin_of(s), prev_end(), {id, annotation, kNone});
}

// params / lambda_params:
//   slash_no_default, slash_with_default, param_no_default*, param_with_default*, star_etc
// star_etc: '*' param_no_default param_maybe_default* [kwds] | '*' ',' param_maybe_default+ [kwds]
//   | kwds
// kwds: '**' param_no_default
// Read as one loop over the parameters with the ordering rules checked as they come; the
// arguments node is built at the end (posonlyargs, args, defaults, kwonlyargs, kw_defaults).
auto Parser::parse_parameters(bool lambda) -> NodeId {
  TokenKind close = lambda ? TokenKind::Colon : TokenKind::RPar;
  size_t base = mark_scratch();
  uint32_t npos = 0;
  int slash_at = -1;
  NodeId vararg = kNone;
  NodeId kwarg = kNone;
  bool star = false;
  uint32_t bare_star_token = 0;
  bool bare_star = false;
  bool seen_default = false;
  uint32_t nkw = 0;
  while (!at(close)) {
    TokenKind k = peek();
    if (kwarg != kNone) {
      error_at_current("arguments cannot follow var-keyword argument");
      break;
    }
    if (k == TokenKind::Slash) {
      if (star) {
        error_at_current("/ must be ahead of *");
        break;
      }
      if (slash_at >= 0) {
        error_at_current("/ may appear only once");
        break;
      }
      if (npos == 0) {
        error_at_current("at least one argument must precede /");
        break;
      }
      advance();
      slash_at = static_cast<int>(npos);
    } else if (k == TokenKind::Star) {
      if (star) {
        error_at_current("* argument may appear only once");
        break;
      }
      uint32_t star_token = pos_;
      advance();
      star = true;
      if (at(TokenKind::Name)) {
        vararg = parse_param(lambda, true);
        if (at(TokenKind::Equal)) {
          error_at_current("var-positional argument cannot have default value");
          break;
        }
      } else {
        bare_star = true;
        bare_star_token = star_token;
        if (!at(TokenKind::Comma)) {
          error(begin_of(star_token), toks_[star_token].end, "named arguments must follow bare *");
          break;
        }
      }
    } else if (k == TokenKind::DoubleStar) {
      advance();
      kwarg = parse_param(lambda, false);
      if (at(TokenKind::Equal)) {
        error_at_current("var-keyword argument cannot have default value");
        break;
      }
    } else if (k == TokenKind::Name) {
      NodeId a = parse_param(lambda, false);
      NodeId d = kNone;
      if (eat(TokenKind::Equal)) {
        if (at(TokenKind::Comma) || at(close)) {
          error(toks_[pos_ - 1].begin, toks_[pos_ - 1].end, "expected default value expression");
          break;
        }
        DepthGuard guard(*this, lambda ? kCostLambdaDefault : 1);
        if (!guard.ok) break;
        uint32_t ds = pos_;
        d = parse_expression();
        if (!lambda && !failed_ && !at(TokenKind::Comma) && !at(close) &&
            can_start_expression(peek()) && !at(TokenKind::Star)) {
          error(begin_of(ds), cur().end, "invalid syntax. Perhaps you forgot a comma?");
          break;
        }
      }
      if (star) {
        push(a);
        push(d);
        ++nkw;
      } else {
        if (d != kNone) {
          seen_default = true;
        } else if (seen_default) {
          error_at_node(a, "non-default argument follows default argument");
          break;
        }
        push(a);
        push(d);
        ++npos;
      }
    } else {
      error_at_current("invalid syntax");
      break;
    }
    if (!eat(TokenKind::Comma)) break;
  }
  if (bare_star && nkw == 0 && !failed_) {
    error(begin_of(bare_star_token), toks_[bare_star_token].end,
          "named arguments must follow bare *");
  }
  if (failed_) {
    scratch_.resize(base);
    return node(NodeKind::arguments, 0, 0,
                {tree_.empty_list(), tree_.empty_list(), kNone, tree_.empty_list(),
                 tree_.empty_list(), kNone, tree_.empty_list()});
  }
  size_t pos_end = base + 2 * npos;
  size_t end = scratch_.size();
  auto build = [&](size_t from, size_t to, bool skip_none) -> ListId {
    size_t out = scratch_.size();
    for (size_t i = from; i < to; i += 2) {
      if (skip_none && scratch_[i] == kNone) continue;
      scratch_.push_back(scratch_[i]);
    }
    ListId l = tree_.add_list(std::span<const uint32_t>(scratch_.data() + out, scratch_.size() - out));
    scratch_.resize(out);
    return l;
  };
  size_t slash_end = slash_at >= 0 ? base + 2 * static_cast<size_t>(slash_at) : base;
  ListId posonly = build(base, slash_end, false);
  ListId args = build(slash_end, pos_end, false);
  ListId defaults = build(base + 1, pos_end, true);
  ListId kwonly = build(pos_end, end, false);
  ListId kw_defaults = build(pos_end + 1, end, false);
  scratch_.resize(base);
  return node(NodeKind::arguments, 0, 0,
              {posonly, args, vararg, kwonly, kw_defaults, kwarg, defaults});
}

// type_params: '[' ','.type_param+ [','] ']'
// type_param: NAME [':' expression] | '*' NAME | '**' NAME
auto Parser::parse_type_params() -> ListId {
  advance();
  size_t base = mark_scratch();
  while (!at(TokenKind::RSqb)) {
    uint32_t s = pos_;
    NodeKind k = NodeKind::TypeVar;
    if (eat(TokenKind::Star)) {
      k = NodeKind::TypeVarTuple;
    } else if (eat(TokenKind::DoubleStar)) {
      k = NodeKind::ParamSpec;
    }
    if (!at(TokenKind::Name)) {
      error_at_current("invalid syntax");
      break;
    }
    StringId name = identifier(cur());
    advance();
    if (k == NodeKind::TypeVar) {
      NodeId bound = eat(TokenKind::Colon) ? parse_expression() : kNone;
      push(node(k, begin_of(s), prev_end(), {name, bound}));
    } else {
      if (at(TokenKind::Colon)) {
        error_at_current(k == NodeKind::TypeVarTuple ? "cannot use bound with TypeVarTuple"
                                                     : "cannot use bound with ParamSpec");
        break;
      }
      push(node(k, begin_of(s), prev_end(), {name}));
    }
    if (!eat(TokenKind::Comma)) break;
  }
  if (!failed_ && scratch_.size() == base) {
    error_at_current("type parameter list cannot be empty");
  }
  if (!expect(TokenKind::RSqb, "expected ']'")) {
    scratch_.resize(base);
    return tree_.empty_list();
  }
  return finish_list(base);
}

}  // namespace ivyc::parse::internal
