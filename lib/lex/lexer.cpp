// The lexer's driver: physical lines and indentation, names and keywords, operators and brackets,
// line continuations and the end of the file.
#include <cstring>

#include <fmt/format.h>

#include "ivyc/base/check.h"
#include "ivyc/base/unicode.h"
#include "lexer_impl.h"

namespace ivyc::lex {
namespace detail {

const std::array<uint8_t, 256> kCharClass = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    uint8_t cls = 0;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (alpha || c == '_' || c >= 0x80) cls |= kIdStart | kIdChar;
    if (digit) cls |= kIdChar | kDigit | kHexDigit;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) cls |= kHexDigit;
    if (c == ' ' || c == '\t' || c == '\f') cls |= kBlank;
    table[c] = cls;
  }
  return table;
}();

namespace {

struct Keyword {
  std::string_view text;
  TokenKind kind;
};

// Keywords by length (2 to 8). Soft keywords (match, case, type, _) are names.
constexpr Keyword kKeywords2[] = {{"as", TokenKind::As}, {"if", TokenKind::If},
                                  {"in", TokenKind::In}, {"is", TokenKind::Is},
                                  {"or", TokenKind::Or}};
constexpr Keyword kKeywords3[] = {{"and", TokenKind::And}, {"def", TokenKind::Def},
                                  {"del", TokenKind::Del}, {"for", TokenKind::For},
                                  {"not", TokenKind::Not}, {"try", TokenKind::Try}};
constexpr Keyword kKeywords4[] = {{"None", TokenKind::None}, {"True", TokenKind::True},
                                  {"elif", TokenKind::Elif}, {"else", TokenKind::Else},
                                  {"from", TokenKind::From}, {"pass", TokenKind::Pass},
                                  {"with", TokenKind::With}};
constexpr Keyword kKeywords5[] = {{"False", TokenKind::False}, {"async", TokenKind::Async},
                                  {"await", TokenKind::Await}, {"break", TokenKind::Break},
                                  {"class", TokenKind::Class}, {"raise", TokenKind::Raise},
                                  {"while", TokenKind::While}, {"yield", TokenKind::Yield}};
constexpr Keyword kKeywords6[] = {{"assert", TokenKind::Assert}, {"except", TokenKind::Except},
                                  {"global", TokenKind::Global}, {"import", TokenKind::Import},
                                  {"lambda", TokenKind::Lambda}, {"return", TokenKind::Return}};
constexpr Keyword kKeywords7[] = {{"finally", TokenKind::Finally}};
constexpr Keyword kKeywords8[] = {{"continue", TokenKind::Continue},
                                  {"nonlocal", TokenKind::Nonlocal}};

template <size_t N>
auto find_keyword(const Keyword (&table)[N], const char* s, size_t len) -> TokenKind {
  for (const auto& k : table) {
    if (k.text[0] == s[0] && std::memcmp(k.text.data(), s, len) == 0) return k.kind;
  }
  return TokenKind::Name;
}

auto keyword_kind(const char* s, size_t len) -> TokenKind {
  switch (len) {
    case 2: return find_keyword(kKeywords2, s, len);
    case 3: return find_keyword(kKeywords3, s, len);
    case 4: return find_keyword(kKeywords4, s, len);
    case 5: return find_keyword(kKeywords5, s, len);
    case 6: return find_keyword(kKeywords6, s, len);
    case 7: return find_keyword(kKeywords7, s, len);
    case 8: return find_keyword(kKeywords8, s, len);
    default: return TokenKind::Name;
  }
}

// The flags of a string prefix (r, u, b, f and their combinations br, rb, fr, rf in any case);
// false when `s` is not one. `fstring` says whether it has an f.
auto string_prefix(const char* s, size_t len, uint8_t& flags, bool& fstring) -> bool {
  flags = kTokenNone;
  fstring = false;
  bool r = false, b = false, u = false, f = false;
  for (size_t i = 0; i < len; ++i) {
    switch (s[i] | 0x20) {
      case 'r':
        if (r || u) return false;
        r = true;
        break;
      case 'b':
        if (b || u || f) return false;
        b = true;
        break;
      case 'u':
        if (len != 1) return false;
        u = true;
        break;
      case 'f':
        if (f || b || u) return false;
        f = true;
        break;
      default: return false;
    }
  }
  if (r) flags |= kTokenRaw;
  if (b) flags |= kTokenBytes;
  if (u) flags |= kTokenUnicodePrefix;
  fstring = f;
  return true;
}

auto bracket_char(TokenKind kind) -> char {
  switch (kind) {
    case TokenKind::LPar: return '(';
    case TokenKind::RPar: return ')';
    case TokenKind::LSqb: return '[';
    case TokenKind::RSqb: return ']';
    case TokenKind::LBrace: return '{';
    default: return '}';
  }
}

auto matching(char open, char close) -> bool {
  return (open == '(' && close == ')') || (open == '[' && close == ']') ||
         (open == '{' && close == '}');
}

}  // namespace

Lexer::Lexer(const SourceBuffer& source, const LexOptions& options, TokenizedBuffer& out)
    : source_(source),
      out_(out),
      keep_trivia_(options.keep_trivia),
      base_(source.text().data()),
      end_(source.text().data() + source.text().size()),
      p_(base_),
      line_begin_(base_),
      buffer_begin_(base_) {
  // The sentinel the scanning loops rely on.
  IVYC_CHECK(*end_ == '\0');
  out_.tokens.reserve(source.text().size() / 4 + 16);
}

void Lexer::add(TokenKind kind, const char* begin, const char* end, uint8_t flags) {
  switch (kind) {
    case TokenKind::Comment:
    case TokenKind::NonLogicalNewline:
      if (!keep_trivia_) {
        line_start_pending_ = false;
        return;
      }
      break;
    case TokenKind::Newline: logical_line_open_ = false; break;
    case TokenKind::Indent:
    case TokenKind::Dedent:
    case TokenKind::EndOfFile:
      out_.tokens.push_back(Token{kind, flags, offset(begin), offset(end)});
      return;
    default: logical_line_open_ = true; break;
  }
  if (line_start_pending_) {
    flags |= kTokenLineStart;
    line_start_pending_ = false;
  }
  out_.tokens.push_back(Token{kind, flags, offset(begin), offset(end)});
}

void Lexer::error(DiagnosticKind kind, const char* begin, const char* end, std::string message) {
  // CPython stops at its first error. An error found later but placed before it (a bracket never
  // closed, an f-string never ended) is a consequence of going on: leave it out, so that the first
  // error by position is CPython's.
  if (!out_.errors.empty() && offset(begin) < out_.errors.front().begin) return;
  out_.errors.push_back(Diagnostic{kind, offset(begin), offset(end), std::move(message)});
}

void Lexer::error_before(DiagnosticKind kind, const char* cur, std::string message) {
  const char* at = cur;
  if (at > base_ && !is_line_end(at[-1])) {
    --at;
    while (at > base_ && (static_cast<uint8_t>(*at) & 0xC0) == 0x80) --at;
  }
  error(kind, at, cur > at ? cur : at, std::move(message));
}

auto Lexer::byte_column_caret(const char* p, size_t bytes) const -> const char* {
  const char* at = line_start(p);
  size_t chars = 0;
  if (memo_chars_ <= bytes) {
    // Go on from the last walk on this line (line_start keeps the memo to one line).
    at = memo_caret_;
    chars = memo_chars_;
  }
  for (; chars < bytes && at < end_ && !is_line_end(*at); ++chars) {
    ++at;
    while ((static_cast<uint8_t>(*at) & 0xC0) == 0x80) ++at;
  }
  memo_caret_ = at;
  memo_chars_ = chars;
  return at;
}

auto Lexer::line_start(const char* p) const -> const char* {
  if (memo_line_ != nullptr && memo_line_ <= p) {
    if (p <= memo_seen_) return memo_line_;
    const char* q = memo_seen_;
    while (q < p && !is_line_end(*q)) ++q;
    if (q == p) {
      memo_seen_ = p;
      return memo_line_;
    }
  }
  const char* line = p;
  while (line > base_ && !is_line_end(line[-1])) --line;
  if (line != memo_line_) {
    memo_line_ = line;
    memo_caret_ = line;
    memo_chars_ = 0;
  }
  memo_seen_ = p;
  return line;
}

auto Lexer::line_of(const char* p) const -> uint32_t { return source_.line_column(offset(p)).line; }

auto Lexer::detected_line(const char* p) const -> uint32_t {
  // At the end of a file that ends with a line end, CPython is still on the last line.
  if (p == end_ && p > base_ && is_line_end(p[-1])) return line_of(p - 1);
  return line_of(p);
}

void Lexer::run() {
  for (;;) {
    if (!fstrings_.empty() && fstrings_.back().literal_mode) {
      lex_fstring_literal();
      continue;
    }
    if (at_bol_) {
      at_bol_ = false;
      start_line();
    }
    while (char_class(*p_) & kBlank) ++p_;
    if (p_ == end_) {
      finish();
      return;
    }
    lex_token();
  }
}

// The indentation of a new physical line: Indent and Dedent tokens and their errors.
void Lexer::start_line() {
  line_begin_ = p_;
  buffer_begin_ = p_;
  blank_line_ = false;
  line_start_pending_ = true;
  int col = 0;
  int alt_col = 0;
  int cont_col = 0;  // where the first continuation in the indentation stood; 0 for none
  for (;;) {
    char c = *p_;
    if (c == ' ') {
      ++col, ++alt_col, ++p_;
    } else if (c == '\t') {
      col = (col / kTabSize + 1) * kTabSize;
      ++alt_col, ++p_;
    } else if (c == '\f') {
      col = alt_col = 0;
      ++p_;
    } else if (c == '\\' && (is_line_end(p_[1]) || p_ + 1 == end_)) {
      // Indentation cannot be split by continuations: the first one fixes the column.
      if (cont_col == 0) cont_col = col;
      lex_continuation();
      buffer_begin_ = p_;
      if (p_ == end_) return;
    } else {
      break;
    }
  }
  char c = *p_;
  // A line with only whitespace and a comment is not a logical line. A last line without its
  // line end counts as ended: CPython appends one.
  if (c == '#' || is_line_end(c) || (p_ == end_ && p_ != line_begin_)) {
    blank_line_ = true;
    return;
  }
  // A backslash before anything but a line end: CPython fails here, before the indentation.
  if (!brackets_.empty() || c == '\\') return;
  if (cont_col != 0) col = alt_col = cont_col;

  auto tab_error = [&] {
    error(DiagnosticKind::lex_tab_error, line_begin_, p_,
          "inconsistent use of tabs and spaces in indentation");
  };
  if (col == indents_[indent_]) {
    if (alt_col != alt_indents_[indent_]) tab_error();
  } else if (col > indents_[indent_]) {
    if (indent_ + 1 >= kMaxIndent) {
      error(DiagnosticKind::lex_indentation, line_begin_, p_, "too many levels of indentation");
      return;
    }
    if (alt_col <= alt_indents_[indent_]) tab_error();
    ++indent_;
    indents_[indent_] = col;
    alt_indents_[indent_] = alt_col;
    add(TokenKind::Indent, line_begin_, p_);
  } else {
    while (indent_ > 0 && col < indents_[indent_]) {
      --indent_;
      add(TokenKind::Dedent, p_, p_);
    }
    if (col != indents_[indent_]) {
      // CPython points at the end of the line (a byte count).
      const char* eol = p_;
      while (eol < end_ && !is_line_end(*eol)) ++eol;
      const char* at = byte_column_caret(p_, static_cast<size_t>(eol - line_begin_));
      error(DiagnosticKind::lex_indentation, at, at,
            "unindent does not match any outer indentation level");
    } else if (alt_col != alt_indents_[indent_]) {
      tab_error();
    }
  }
}

void Lexer::lex_token() {
  const char* start = p_;
  char c = *p_;
  if (char_class(c) & kIdStart) {
    lex_name(start);
    return;
  }
  if (is_digit(c) || (c == '.' && is_digit(p_[1]))) {
    lex_number(start);
    return;
  }
  switch (c) {
    case '#': {
      const char* q = p_ + 1;
      while (*q != '\n' && *q != '\r' && q != end_) ++q;
      add(TokenKind::Comment, start, q);
      p_ = q;
      return;
    }
    case '\n':
    case '\r': lex_newline(); return;
    case '\\': {
      if (is_line_end(p_[1]) || p_ + 1 == end_) {
        lex_continuation();
        return;
      }
      // CPython's column is the byte offset after the next character counted from the start of
      // its line buffer, which may be an earlier line (after a continuation or a multi-line
      // string; a \r\n counts one).
      // The \r\n pairs all end lines before p_'s: count them once per line and buffer.
      const char* line = line_start(p_);
      if (crlf_buffer_ != buffer_begin_ || crlf_line_ != line) {
        crlf_buffer_ = buffer_begin_;
        crlf_line_ = line;
        crlf_count_ = 0;
        for (const char* q = buffer_begin_; q + 1 < line; ++q) {
          if (q[0] == '\r' && q[1] == '\n') ++crlf_count_;
        }
      }
      size_t bytes = static_cast<size_t>(p_ + 2 - buffer_begin_) - 1 - crlf_count_;
      const char* at = byte_column_caret(p_, bytes);
      error(DiagnosticKind::lex_error, at, at,
            "unexpected character after line continuation character");
      add(TokenKind::Error, p_, p_ + 1);
      ++p_;
      return;
    }
    case '"':
    case '\'': lex_string(start, start, kTokenNone); return;
    default: lex_operator(); return;
  }
}

void Lexer::lex_name(const char* start) {
  const char* q = start;
  bool non_ascii = false;
  while (char_class(*q) & kIdChar) {
    non_ascii |= static_cast<uint8_t>(*q) >= 0x80;
    ++q;
  }
  auto len = static_cast<size_t>(q - start);
  if (len <= 2 && (*q == '"' || *q == '\'')) {
    uint8_t flags;
    bool fstring;
    if (string_prefix(start, len, flags, fstring)) {
      if (fstring) {
        start_fstring(start, q, flags);
      } else {
        lex_string(start, q, flags);
      }
      return;
    }
  }
  p_ = q;
  if (!non_ascii) {
    add(keyword_kind(start, len), start, q);
    return;
  }
  // PEP 3131: XID_Start (or '_') then XID_Continue, checked on the text as written.
  std::string_view text(start, len);
  for (size_t pos = 0; pos < text.size();) {
    size_t at = pos;
    char32_t cp = unicode::decode_utf8(text, pos);
    bool ok = cp < 0x80 ? (at != 0 || !is_digit(static_cast<char>(cp)))
                        : (at == 0 ? unicode::is_xid_start(cp) : unicode::is_xid_continue(cp));
    if (ok) continue;
    std::string message;
    if (unicode::is_printable(cp)) {
      message = fmt::format("invalid character '{}' (U+{:04X})", text.substr(at, pos - at),
                            static_cast<uint32_t>(cp));
    } else {
      message = fmt::format("invalid non-printable character U+{:04X}", static_cast<uint32_t>(cp));
    }
    error(DiagnosticKind::lex_invalid_character, start + at, start + pos, std::move(message));
    add(TokenKind::Error, start, q);
    return;
  }
  add(TokenKind::Name, start, q, kTokenNonAscii);
}

void Lexer::lex_newline() {
  const char* start = p_;
  p_ += (p_[0] == '\r' && p_[1] == '\n') ? 2 : 1;
  if (blank_line_ || !brackets_.empty()) {
    add(TokenKind::NonLogicalNewline, start, p_);
  } else {
    add(TokenKind::Newline, start, p_);
  }
  at_bol_ = true;
}

// A backslash before a line end (or the end of the file) at p_.
void Lexer::lex_continuation() {
  const char* line_end = ++p_;
  if (p_ < end_) p_ += (p_[0] == '\r' && p_[1] == '\n') ? 2 : 1;
  line_begin_ = p_;
  line_start_pending_ = true;
  if (p_ == end_) {
    // CPython points at the line end after the backslash.
    const char* line = line_start(line_end);
    const char* at = byte_column_caret(line_end, static_cast<size_t>(line_end - line));
    error(DiagnosticKind::lex_eof_in_statement, at, at, "unexpected EOF while parsing");
  }
}

void Lexer::lex_operator() {
  const char* s = p_;
  char c0 = s[0];
  char c1 = s[1];
  TokenKind kind;
  int len = 1;
  switch (c0) {
    case '(': open_bracket(TokenKind::LPar); return;
    case '[': open_bracket(TokenKind::LSqb); return;
    case '{': open_bracket(TokenKind::LBrace); return;
    case ')': close_bracket(TokenKind::RPar); return;
    case ']': close_bracket(TokenKind::RSqb); return;
    case '}': close_bracket(TokenKind::RBrace); return;
    case ':':
      if (!fstrings_.empty()) {
        // The ':' of a replacement field starts its format spec.
        FString& f = fstrings_.back();
        if (f.expr_start_depth >= 0 && f.curly_depth - 1 == f.expr_start_depth) {
          add(TokenKind::Colon, s, s + 1);
          p_ = s + 1;
          f.literal_mode = true;
          return;
        }
      }
      kind = c1 == '=' ? (len = 2, TokenKind::ColonEqual) : TokenKind::Colon;
      break;
    case ',': kind = TokenKind::Comma; break;
    case ';': kind = TokenKind::Semi; break;
    case '~': kind = TokenKind::Tilde; break;
    case '+': kind = c1 == '=' ? (len = 2, TokenKind::PlusEqual) : TokenKind::Plus; break;
    case '-':
      kind = c1 == '=' ? (len = 2, TokenKind::MinEqual)
             : c1 == '>' ? (len = 2, TokenKind::RArrow)
                         : TokenKind::Minus;
      break;
    case '*':
      if (c1 == '*') {
        kind = s[2] == '=' ? (len = 3, TokenKind::DoubleStarEqual)
                           : (len = 2, TokenKind::DoubleStar);
      } else {
        kind = c1 == '=' ? (len = 2, TokenKind::StarEqual) : TokenKind::Star;
      }
      break;
    case '/':
      if (c1 == '/') {
        kind = s[2] == '=' ? (len = 3, TokenKind::DoubleSlashEqual)
                           : (len = 2, TokenKind::DoubleSlash);
      } else {
        kind = c1 == '=' ? (len = 2, TokenKind::SlashEqual) : TokenKind::Slash;
      }
      break;
    case '|': kind = c1 == '=' ? (len = 2, TokenKind::VBarEqual) : TokenKind::VBar; break;
    case '&': kind = c1 == '=' ? (len = 2, TokenKind::AmperEqual) : TokenKind::Amper; break;
    case '%': kind = c1 == '=' ? (len = 2, TokenKind::PercentEqual) : TokenKind::Percent; break;
    case '^':
      kind = c1 == '=' ? (len = 2, TokenKind::CircumFlexEqual) : TokenKind::CircumFlex;
      break;
    case '@': kind = c1 == '=' ? (len = 2, TokenKind::AtEqual) : TokenKind::At; break;
    case '=': kind = c1 == '=' ? (len = 2, TokenKind::EqEqual) : TokenKind::Equal; break;
    case '!': kind = c1 == '=' ? (len = 2, TokenKind::NotEqual) : TokenKind::Exclamation; break;
    case '<':
      if (c1 == '<') {
        kind = s[2] == '=' ? (len = 3, TokenKind::LeftShiftEqual)
                           : (len = 2, TokenKind::LeftShift);
      } else if (c1 == '>') {
        // Python 2's inequality: CPython's tokenizer knows it only to reject it.
        error(DiagnosticKind::lex_invalid_character, s, s + 2, "invalid syntax");
        add(TokenKind::Error, s, s + 2);
        p_ = s + 2;
        return;
      } else {
        kind = c1 == '=' ? (len = 2, TokenKind::LessEqual) : TokenKind::Less;
      }
      break;
    case '>':
      if (c1 == '>') {
        kind = s[2] == '=' ? (len = 3, TokenKind::RightShiftEqual)
                           : (len = 2, TokenKind::RightShift);
      } else {
        kind = c1 == '=' ? (len = 2, TokenKind::GreaterEqual) : TokenKind::Greater;
      }
      break;
    case '.':
      if (c1 == '.' && s[2] == '.') {
        kind = TokenKind::Ellipsis;
        len = 3;
      } else {
        kind = TokenKind::Dot;
      }
      break;
    default: {
      // An ASCII character that starts no token: '$', '?', '`' or a control character.
      auto u = static_cast<uint8_t>(c0);
      if (u < 0x20 || u == 0x7F) {
        error(DiagnosticKind::lex_invalid_character, s, s + 1,
              fmt::format("invalid non-printable character U+{:04X}", u));
      } else {
        error(DiagnosticKind::lex_invalid_character, s, s + 1, "invalid syntax");
      }
      add(TokenKind::Error, s, s + 1);
      p_ = s + 1;
      return;
    }
  }
  add(kind, s, s + len);
  p_ = s + len;
}

void Lexer::open_bracket(TokenKind kind) {
  const char* s = p_;
  p_ = s + 1;
  if (brackets_.size() >= kMaxBrackets) {
    error(DiagnosticKind::lex_too_deep, s, s + 1, "too many nested parentheses");
    add(TokenKind::Error, s, s + 1);
    return;
  }
  brackets_.push_back(Bracket{bracket_char(kind), offset(s)});
  if (!fstrings_.empty()) ++fstrings_.back().curly_depth;
  add(kind, s, s + 1);
}

void Lexer::close_bracket(TokenKind kind) {
  const char* s = p_;
  p_ = s + 1;
  char c = bracket_char(kind);
  FString* f = fstrings_.empty() ? nullptr : &fstrings_.back();
  if (f != nullptr && f->curly_depth == 0 && c == '}') {
    error(DiagnosticKind::lex_unmatched_bracket, s, s + 1, "f-string: single '}' is not allowed");
    add(TokenKind::Error, s, s + 1);
    f->literal_mode = true;
    return;
  }
  if (brackets_.empty()) {
    error(DiagnosticKind::lex_unmatched_bracket, s, s + 1, fmt::format("unmatched '{}'", c));
    add(TokenKind::Error, s, s + 1);
    return;
  }
  Bracket open = brackets_.back();
  if (!matching(open.open, c)) {
    if (f != nullptr && open.open == '{' && f->curly_depth - 1 == f->expr_start_depth) {
      // The '{' of a replacement field: the closer is stray; keep the field open.
      error(DiagnosticKind::lex_unmatched_bracket, s, s + 1,
            fmt::format("f-string: unmatched '{}'", c));
      add(TokenKind::Error, s, s + 1);
      return;
    }
    uint32_t open_line = line_of(base_ + open.offset);
    if (open_line != line_of(s)) {
      error(DiagnosticKind::lex_unmatched_bracket, s, s + 1,
            fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}' on "
                        "line {}",
                        c, open.open, open_line));
    } else {
      error(DiagnosticKind::lex_unmatched_bracket, s, s + 1,
            fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}'", c,
                        open.open));
    }
    kind = TokenKind::Error;
  }
  brackets_.pop_back();
  add(kind, s, s + 1);
  if (f != nullptr) {
    --f->curly_depth;
    if (c == '}' && f->curly_depth == f->expr_start_depth) {
      // The end of a replacement field: back to the literal text.
      --f->expr_start_depth;
      f->literal_mode = true;
    }
  }
}

void Lexer::finish() {
  bool had_brackets = !brackets_.empty();
  if (had_brackets) {
    const Bracket& b = brackets_.back();
    error(DiagnosticKind::lex_unclosed_bracket, base_ + b.offset, base_ + b.offset + 1,
          fmt::format("'{}' was never closed", b.open));
    brackets_.clear();
    fstrings_.clear();
  }
  // CPython appends a line end to a last line that lacks one.
  bool unended = end_ > base_ && !is_line_end(end_[-1]);
  if (unended && (blank_line_ || had_brackets)) add(TokenKind::NonLogicalNewline, end_, end_);
  if (logical_line_open_) add(TokenKind::Newline, end_, end_);
  while (indent_ > 0) {
    --indent_;
    add(TokenKind::Dedent, end_, end_);
  }
  add(TokenKind::EndOfFile, end_, end_);
}

}  // namespace detail

auto lex(const SourceBuffer& source, const LexOptions& options) -> TokenizedBuffer {
  TokenizedBuffer out;
  out.source = &source;
  detail::Lexer lexer(source, options, out);
  lexer.run();
  return out;
}

}  // namespace ivyc::lex
