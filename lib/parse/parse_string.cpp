// String literals: implicit concatenation, bytes, and f-strings, shaped and positioned exactly as
// CPython 3.11 does it (Parser/string_parser.c there):
//  - adjacent str pieces make one Constant; any f-string piece makes a JoinedStr whose literal
//    text is merged across pieces and fields into Constants (empty ones dropped);
//  - the Constants and FormattedValues of a JoinedStr span the whole concatenation, a format
//    spec's JoinedStr (and its trailing Constant) spans the f-string piece holding it;
//  - Constant.kind is 'u' when the concatenation's first piece starts with a lowercase u;
//  - 3.11 re-parses each replacement field's expression text on its own, as "(" + text + ")", with
//    positions shifted by where the field's '{' is; the nodes of the expression get the positions
//    that computation gives (FieldContext below), including its odd answers: a top-level tuple or
//    generator spans the virtual parentheses (the '{' and the character ending the expression),
//    and a token on the field's first line that ends on a later line is not shifted.
// The lexer tokenizes f-strings as 3.12 does (FStringStart, FStringMiddle, fields, FStringEnd);
// in 3.11 mode the parser rejects what 3.11's single-token f-strings cannot hold.
#include <algorithm>
#include <string>

#include "ivyc/parse/literals.h"
#include "parser_internal.h"

namespace ivyc::parse::internal {

struct ConcatState {
  uint32_t begin;       // the whole concatenation
  uint32_t end;
  bool u_kind;          // its first piece starts with 'u'
  bool fmode;           // some piece is an f-string
  std::string* last;    // literal text not yet made a Constant
  size_t values_base;   // where the JoinedStr values start on the scratch stack
};

struct FStringInfo {
  uint32_t t_begin;     // the f-string piece: FStringStart .. FStringEnd
  uint32_t t_end;
  int32_t col311;       // its column as 3.11 computes it
  bool raw;
  bool triple;
  char quote;
};

namespace {

auto is_py_space(char c) -> bool {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0b' || c == '\x0c';
}

// Whether a str body has escapes or line ends to normalize (else its text is its value).
auto needs_decoding(std::string_view body) -> bool {
  for (char c : body) {
    if (c == '\\' || c == '\r') return true;
  }
  return false;
}

// Appends text with line ends normalized to \n, as CPython reads source.
void append_normalized(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += c;
    }
  }
}

}  // namespace

auto Parser::acquire_buffer() -> std::string* {
  if (buffers_.size() <= buffer_depth_) buffers_.emplace_back();
  std::string* b = &buffers_[buffer_depth_++];
  b->clear();
  return b;
}

// The index of the FStringEnd closing the f-string that starts at `start_index` (or of the last
// token before the end of the line when the lexer found it unterminated).
auto Parser::fstring_end_index(uint32_t start_index) const -> uint32_t {
  int depth = 0;
  for (uint32_t i = start_index; i < toks_.size(); ++i) {
    TokenKind k = toks_[i].kind;
    if (k == TokenKind::FStringStart) {
      ++depth;
    } else if (k == TokenKind::FStringEnd) {
      if (--depth == 0) return i;
    } else if (k == TokenKind::Newline || k == TokenKind::EndOfFile) {
      return i > start_index ? i - 1 : start_index;
    }
  }
  return start_index;
}

void Parser::flush_literal(ConcatState& st, uint32_t begin, uint32_t end, bool u_kind) {
  if (st.last->empty()) return;
  ConstantId c = tree_.add_constant(Constant{ConstantKind::Str, 0, *st.last});
  push(node(NodeKind::Constant, begin, end, {c, u_kind ? tree_.intern("u") : kNone}));
  st.last->clear();
}

// strings: (STRING | fstring)+
auto Parser::parse_strings() -> NodeId {
  uint32_t s = pos_;
  uint32_t j = pos_;
  while (true) {
    TokenKind k = toks_[j].kind;
    if (k == TokenKind::String) {
      ++j;
    } else if (k == TokenKind::FStringStart) {
      j = fstring_end_index(j) + 1;
    } else {
      break;
    }
  }
  ConcatState st{begin_of(s), toks_[j - 1].end, src_[begin_of(s)] == 'u', false, acquire_buffer(),
                 mark_scratch()};
  int bytes = -1;
  while (pos_ < j && !failed_) {
    const Token& t = cur();
    if (t.kind == TokenKind::String) {
      bool is_bytes = (t.flags & lex::kTokenBytes) != 0;
      if (bytes == -1) {
        bytes = is_bytes ? 1 : 0;
      } else if (bytes != (is_bytes ? 1 : 0)) {
        error(t.begin, t.end, "cannot mix bytes and nonbytes literals");
        break;
      }
      std::string_view tx = text(t);
      size_t q = tx.find_first_of("'\"");
      if (q == std::string_view::npos) {
        error(t.begin, t.end, "invalid string literal", DiagnosticKind::parse_invalid_literal);
        break;
      }
      char qc = tx[q];
      size_t ql = (tx.size() >= q + 6 && tx[q + 1] == qc && tx[q + 2] == qc) ? 3 : 1;
      if (tx.size() < q + 2 * ql) {
        error(t.begin, t.end, "invalid string literal", DiagnosticKind::parse_invalid_literal);
        break;
      }
      std::string_view body = tx.substr(q + ql, tx.size() - q - 2 * ql);
      bool raw = tx.substr(0, q).find_first_of("rR") != std::string_view::npos;
      if (!is_bytes && !needs_decoding(body)) {
        // Nothing to decode: the text is the value.
        st.last->append(body);
        advance();
        continue;
      }
      auto err = decode_string_body(body, StringFlags{raw, is_bytes, false}, decode_buf_);
      if (err) {
        uint32_t at = t.begin + static_cast<uint32_t>(q + ql) + err->offset;
        error(at, at, err->message, DiagnosticKind::parse_invalid_literal);
        break;
      }
      st.last->append(decode_buf_);
      advance();
    } else {
      if (bytes == 1) {
        error(t.begin, t.end, "cannot mix bytes and nonbytes literals");
        break;
      }
      bytes = 0;
      st.fmode = true;
      parse_fstring(st);
    }
  }
  --buffer_depth_;
  if (failed_) {
    scratch_.resize(st.values_base);
    return error_node();
  }
  if (!st.fmode) {
    bool is_bytes = bytes == 1;
    ConstantId c = tree_.add_constant(
        Constant{is_bytes ? ConstantKind::Bytes : ConstantKind::Str, 0, *st.last});
    return node(NodeKind::Constant, st.begin, st.end,
                {c, (!is_bytes && st.u_kind) ? tree_.intern("u") : kNone});
  }
  flush_literal(st, st.begin, st.end, st.u_kind);
  ListId values = finish_list(st.values_base);
  return node(NodeKind::JoinedStr, st.begin, st.end, {values});
}

// fstring: FSTRING_START fstring_middle* FSTRING_END
// fstring_middle: fstring_replacement_field | FSTRING_MIDDLE
void Parser::parse_fstring(ConcatState& st) {
  const Token& t0 = cur();
  uint32_t end_index = fstring_end_index(pos_);
  FStringInfo fi;
  fi.t_begin = t0.begin;
  fi.t_end = toks_[end_index].end;
  std::string_view start_text = text(t0);
  fi.quote = start_text.empty() ? '"' : start_text.back();
  fi.triple = start_text.size() >= 3 && start_text[start_text.size() - 2] == fi.quote &&
              start_text[start_text.size() - 3] == fi.quote;
  size_t q = start_text.find_first_of("'\"");
  fi.raw = start_text.substr(0, q).find_first_of("rR") != std::string_view::npos;
  if (fields_.empty()) {
    fi.col311 = static_cast<int32_t>(tokens_.source->line_column(t0.begin).column);
  } else {
    fi.col311 = field_start_col(fields_.back(), t0.begin);
  }
  advance();
  while (true) {
    TokenKind k = peek();
    if (k == TokenKind::FStringMiddle) {
      if (!append_fstring_middle(*st.last, fi)) return;
    } else if (k == TokenKind::LBrace) {
      parse_fstring_field(st, fi, 0);
      if (failed_) return;
    } else if (k == TokenKind::FStringEnd) {
      advance();
      return;
    } else {
      error_at_current("f-string: expecting '}'");
      return;
    }
  }
}

// The context that gives a field's expression its 3.11 positions: 3.11 parses "(" + text + ")"
// with its first line's columns shifted by starting_col (fstring_find_expr_location there).
auto Parser::field_context(const FStringInfo& fi, uint32_t brace) const -> FieldContext {
  const SourceBuffer& source = *tokens_.source;
  FieldContext fc;
  fc.brace = brace;
  LineColumn lb = source.line_column(brace);
  fc.brace_line = lb.line;
  bool first_line = source.line_column(fi.t_begin).line == lb.line;
  bool newline_after_brace = true;
  for (size_t i = brace + 1; i < src_.size(); ++i) {
    char c = src_[i];
    if (c == '}' || c == '\n' || c == '\r') break;
    if (c != ' ' && c != '\t' && c != '\f') {
      newline_after_brace = false;
      break;
    }
  }
  int32_t cols = 0;
  if (!newline_after_brace) {
    cols = first_line ? static_cast<int32_t>(brace - fi.t_begin) : static_cast<int32_t>(lb.column);
  }
  fc.starting_col = (first_line ? fi.col311 : 0) + cols;
  return fc;
}

// 3.11's token for an offset: where the token starting there ends (an f-string is one token).
auto Parser::token_end_at(uint32_t offset) const -> uint32_t {
  auto it = std::lower_bound(toks_.begin(), toks_.end(), offset,
                             [](const Token& t, uint32_t o) { return t.begin < o; });
  if (it == toks_.end() || it->begin != offset) return offset;
  if (it->kind == TokenKind::FStringStart) {
    return toks_[fstring_end_index(static_cast<uint32_t>(it - toks_.begin()))].end;
  }
  return it->end;
}

auto Parser::field_start_col(const FieldContext& fc, uint32_t offset) const -> int32_t {
  const SourceBuffer& source = *tokens_.source;
  LineColumn lc = source.line_column(offset);
  if (lc.line != fc.brace_line) return static_cast<int32_t>(lc.column);
  auto v = static_cast<int32_t>(offset - fc.brace);
  if (source.line_column(token_end_at(offset)).line != fc.brace_line) return v;
  return fc.starting_col + v;
}

auto Parser::field_end_col(const FieldContext& fc, uint32_t offset) const -> int32_t {
  LineColumn lc = tokens_.source->line_column(offset);
  if (lc.line != fc.brace_line) return static_cast<int32_t>(lc.column);
  return fc.starting_col + static_cast<int32_t>(offset - fc.brace);
}

void Parser::apply_field_positions(const FieldContext& fc, NodeId checkpoint) {
  const SourceBuffer& source = *tokens_.source;
  for (NodeId id = checkpoint; id < tree_.size(); ++id) {
    const Node& n = tree_.node(id);
    if (n.flags & kNodePositionOverride) continue;
    if (!node_kind_info(n.kind).has_position) continue;
    Position p;
    p.lineno = source.line_column(n.begin).line;
    p.end_lineno = source.line_column(n.end).line;
    p.col_offset = static_cast<uint32_t>(field_start_col(fc, n.begin));
    p.end_col_offset = static_cast<uint32_t>(field_end_col(fc, n.end));
    tree_.override_position(id, p);
  }
}

// In 3.11 an f-string is one STRING token, so its replacement fields cannot hold what would end
// that token or what 3.11's scan of the expression text rejects (PEP 701 lifted these in 3.12).
auto Parser::check_field_311(const FStringInfo& fi, uint32_t brace_index, uint32_t term_index)
    -> bool {
  uint32_t from = toks_[brace_index].end;
  uint32_t to = toks_[term_index].begin;
  std::string_view part = src_.substr(from, to - from);
  if (part.find('\\') != std::string_view::npos) {
    error(from, to, "f-string expression part cannot include a backslash (before Python 3.12)",
          DiagnosticKind::parse_newer_syntax);
    return false;
  }
  // A comment lies between two tokens (the token stream may or may not keep it).
  for (uint32_t i = brace_index + 1; i <= term_index; ++i) {
    uint32_t gap_begin = toks_[i - 1].end;
    std::string_view gap = src_.substr(gap_begin, toks_[i].begin - gap_begin);
    size_t hash = gap.find('#');
    if (hash != std::string_view::npos) {
      auto at = gap_begin + static_cast<uint32_t>(hash);
      error(at, at + 1, "f-string expression part cannot include '#' (before Python 3.12)",
            DiagnosticKind::parse_newer_syntax);
      return false;
    }
  }
  bool bad;
  if (fi.triple) {
    char q3[3] = {fi.quote, fi.quote, fi.quote};
    bad = part.find(std::string_view(q3, 3)) != std::string_view::npos;
  } else {
    bad = part.find(fi.quote) != std::string_view::npos ||
          part.find_first_of("\r\n") != std::string_view::npos;
  }
  if (bad) {
    error(from, to,
          "f-string: expecting '}' (a replacement field cannot hold the f-string's own quote or a "
          "line break before Python 3.12)",
          DiagnosticKind::parse_newer_syntax);
    return false;
  }
  return true;
}

// fstring_replacement_field:
//   '{' (yield_expr | star_expressions) '='? ['!' NAME] [':' fstring_format_spec*] '}'
// (the expression part read as 3.11 reads it: what may stand inside parentheses)
void Parser::parse_fstring_field(ConcatState& st, const FStringInfo& fi, int level) {
  const Token& lb = cur();
  uint32_t brace_index = pos_;
  uint32_t brace = lb.begin;
  uint32_t expr_from = lb.end;
  DepthGuard guard(*this, kCostBracket);
  if (!guard.ok) return;
  int max_level = options_.version == PythonVersion::Py311 ? 2 : 3;
  if (level >= max_level) {
    error_at_current("f-string: expressions nested too deeply");
    return;
  }
  advance();
  TokenKind k = peek();
  if (k == TokenKind::RBrace || k == TokenKind::Exclamation || k == TokenKind::Colon ||
      k == TokenKind::Equal || k == TokenKind::FStringEnd || k == TokenKind::FStringMiddle) {
    error(brace, cur().end, "f-string: empty expression not allowed");
    return;
  }
  FieldContext fc = field_context(fi, brace);
  fields_.push_back(fc);
  NodeId checkpoint = tree_.size();
  NodeId expr = parse_fstring_expression(brace);
  fields_.pop_back();
  if (failed_) return;
  apply_field_positions(fc, checkpoint);
  if (options_.version == PythonVersion::Py311 && !check_field_311(fi, brace_index, pos_)) return;
  bool debug = false;
  if (at(TokenKind::Equal)) {
    advance();
    size_t e = prev_end();
    while (e < src_.size() && is_py_space(src_[e])) ++e;
    std::string_view after = src_.substr(prev_end(), e - prev_end());
    if (options_.version == PythonVersion::Py311 && !fi.triple &&
        after.find_first_of("\r\n") != std::string_view::npos) {
      error(prev_end(), static_cast<uint32_t>(e),
            "f-string: expecting '}' (a line break in a single-quoted f-string needs Python 3.12)",
            DiagnosticKind::parse_newer_syntax);
      return;
    }
    append_normalized(*st.last, src_.substr(expr_from, e - expr_from));
    debug = true;
  }
  int conversion = -1;
  if (at(TokenKind::Exclamation)) {
    uint32_t bang_end = cur().end;
    advance();
    std::string_view c = at(TokenKind::Name) ? text(cur()) : std::string_view();
    if (cur().begin != bang_end || (c != "s" && c != "r" && c != "a")) {
      error_at_current("f-string: invalid conversion character: expected 's', 'r', or 'a'");
      return;
    }
    conversion = c[0];
    advance();
    if (options_.version == PythonVersion::Py311 && cur().begin != prev_end()) {
      error_at_current("f-string: expecting '}'");
      return;
    }
  }
  NodeId spec = kNone;
  if (at(TokenKind::Colon)) {
    advance();
    uint32_t spec_from = prev_end();
    spec = parse_format_spec(st, fi, level + 1);
    if (failed_) return;
    if (options_.version == PythonVersion::Py311 && !fi.triple &&
        src_.substr(spec_from, cur().begin - spec_from).find_first_of("\r\n") !=
            std::string_view::npos) {
      error(spec_from, cur().begin,
            "f-string: expecting '}' (a line break in a single-quoted f-string needs Python 3.12)",
            DiagnosticKind::parse_newer_syntax);
      return;
    }
  }
  if (!at(TokenKind::RBrace)) {
    error_at_current("f-string: expecting '}'");
    return;
  }
  advance();
  if (debug && spec == kNone && conversion == -1) conversion = 'r';
  flush_literal(st, st.begin, st.end, st.u_kind);
  push(node(NodeKind::FormattedValue, st.begin, st.end,
            {expr, static_cast<uint32_t>(conversion), spec}));
}

// Decodes the FStringMiddle at the cursor onto `text` and consumes it; false after an error.
auto Parser::append_fstring_middle(std::string& text, const FStringInfo& fi) -> bool {
  const Token& m = cur();
  auto err = decode_string_body(this->text(m), StringFlags{fi.raw, false, true}, decode_buf_);
  if (err) {
    uint32_t at = m.begin + err->offset;
    error(at, at, err->message, DiagnosticKind::parse_invalid_literal);
    return false;
  }
  text.append(decode_buf_);
  advance();
  return true;
}

// fstring_format_spec: FSTRING_MIDDLE | fstring_replacement_field
// A JoinedStr spanning the f-string piece; its Constants before a nested field span the whole
// concatenation, the trailing one the piece (3.11's FstringParser_Finish(t, t)).
auto Parser::parse_format_spec(ConcatState& outer, const FStringInfo& fi, int level) -> NodeId {
  ConcatState sp{outer.begin, outer.end, outer.u_kind, true, acquire_buffer(), mark_scratch()};
  while (!failed_) {
    TokenKind k = peek();
    if (k == TokenKind::FStringMiddle) {
      if (!append_fstring_middle(*sp.last, fi)) break;
    } else if (k == TokenKind::LBrace) {
      parse_fstring_field(sp, fi, level);
    } else {
      break;
    }
  }
  if (failed_) {
    --buffer_depth_;
    scratch_.resize(sp.values_base);
    return kNone;
  }
  flush_literal(sp, fi.t_begin, fi.t_end, false);
  --buffer_depth_;
  ListId values = finish_list(sp.values_base);
  return node(NodeKind::JoinedStr, fi.t_begin, fi.t_end, {values});
}

// The expression of a replacement field, read as 3.11 reads "(" + text + ")": a yield, a
// named expression, a tuple or a generator expression (the last two spanning the parentheses,
// that is the '{' and the character after the text).
auto Parser::parse_fstring_expression(uint32_t brace) -> NodeId {
  if (at(TokenKind::Yield)) return parse_yield_expr();
  NodeId first = parse_star_named_expression();
  if (failed_) return error_node();
  // The virtual ')' is the character ending the expression; at the end of an unterminated file
  // there is none, and the span stops at the end of the text.
  auto close_end = [&] { return std::min(cur().begin + 1, static_cast<uint32_t>(src_.size())); };
  if (at_for_clause()) {
    if (kind(first) == NodeKind::Starred) {
      error_at_node(first, "iterable unpacking cannot be used in comprehension");
      return error_node();
    }
    ListId gens = parse_comprehension_clauses();
    return node(NodeKind::GeneratorExp, brace, close_end(), {first, gens});
  }
  if (at(TokenKind::Comma)) {
    size_t base = mark_scratch();
    push(first);
    while (eat(TokenKind::Comma)) {
      if (!can_start_expression(peek())) break;
      push(parse_star_named_expression());
    }
    ListId elts = finish_list(base);
    return node(NodeKind::Tuple, brace, close_end(), {elts, load()});
  }
  if (kind(first) == NodeKind::Starred) {
    error_at_node(first, "f-string: cannot use starred expression here");
    return error_node();
  }
  return first;
}

}  // namespace ivyc::parse::internal
