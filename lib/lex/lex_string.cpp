// String literals and f-strings. A string is one String token, prefix and quotes included. An
// f-string (PEP 701, Python 3.12) is FStringStart, then FStringMiddle tokens for its literal text
// and the ordinary tokens of its replacement fields, then FStringEnd. An FStringMiddle covers the
// source text as written: `{{` and `}}` stay doubled inside it (the parser's string decoder halves
// them), so where CPython's tokenize splits the text at each doubled brace ivyc has one token.
#include <fmt/format.h>

#include "lexer_impl.h"

namespace ivyc::lex::detail {
namespace {

// Bytes at which the scan of a string body stops to look closer. NUL is the end of the text.
constexpr auto make_stops(std::string_view chars) {
  std::array<bool, 256> table{};
  table[0] = true;
  for (char c : chars) table[static_cast<uint8_t>(c)] = true;
  return table;
}
constexpr auto kSingleStops = make_stops("'\"\\\n\r");
constexpr auto kTripleStops = make_stops("'\"\\");
constexpr auto kFStringStops = make_stops("'\"\\\n\r{}");

}  // namespace

void Lexer::lex_string(const char* start, const char* quote, uint8_t flags) {
  const char q = *quote;
  const char* s = quote + 1;
  uint8_t quote_size = 1;
  if (s[0] == q && s[1] == q) {
    quote_size = 3;
    s += 2;
    flags |= kTokenTriple;
  }
  const auto& stops = quote_size == 1 ? kSingleStops : kTripleStops;
  for (;;) {
    while (!stops[static_cast<uint8_t>(*s)]) ++s;
    char c = *s;
    if (c == q) {
      if (quote_size == 1) {
        ++s;
        break;
      }
      if (s[1] == q && s[2] == q) {
        s += 3;
        break;
      }
      ++s;
      continue;
    }
    if (c == '\\') {
      // The escaped character is skipped, whatever it is; \ before \r\n escapes both.
      if (s + 1 == end_) {
        ++s;
      } else {
        s += (s[1] == '\r' && s[2] == '\n') ? 3 : 2;
      }
      continue;
    }
    if (s == end_ || (quote_size == 1 && is_line_end(c))) {
      unterminated_string(start, quote, quote_size, s);
      return;
    }
    ++s;  // the other quote character
  }
  add(TokenKind::String, start, s, flags);
  p_ = s;
}

void Lexer::unterminated_string(const char* start, const char* quote, uint8_t quote_size,
                                const char* stop) {
  if (!fstrings_.empty()) {
    const FString& f = fstrings_.back();
    if (f.quote == *quote && f.quote_size == quote_size) {
      // In a replacement field, the f-string's own quote that ends nothing: the field lacks its
      // '}'. The quote ends the f-string.
      error(DiagnosticKind::lex_unmatched_bracket, start, start + 1, "f-string: expecting '}'");
      if (start != quote) add(TokenKind::Error, start, quote);
      close_fstring(quote);
      return;
    }
  }
  uint32_t line = detected_line(stop);
  error(DiagnosticKind::lex_unterminated_string, start, stop,
        quote_size == 3
            ? fmt::format("unterminated triple-quoted string literal (detected at line {})", line)
            : fmt::format("unterminated string literal (detected at line {})", line));
  add(TokenKind::Error, start, stop);
  p_ = stop;
}

void Lexer::start_fstring(const char* start, const char* quote, uint8_t flags) {
  const char q = *quote;
  const char* s = quote + 1;
  uint8_t quote_size = 1;
  if (s[0] == q && s[1] == q) {
    quote_size = 3;
    s += 2;
    flags |= kTokenTriple;
  }
  if (fstrings_.size() >= kMaxFStrings) {
    error_before(DiagnosticKind::lex_too_deep, s, "too many nested f-strings");
    lex_string(start, quote, flags & ~kTokenTriple);
    return;
  }
  FString f;
  f.start = offset(start);
  f.bracket_base = static_cast<uint32_t>(brackets_.size());
  f.quote = q;
  f.quote_size = quote_size;
  f.raw = (flags & kTokenRaw) != 0;
  fstrings_.push_back(f);
  add(TokenKind::FStringStart, start, s, flags);
  p_ = s;
}

void Lexer::add_fstring_middle(const char* begin, const char* end) {
  if (end > begin) {
    add(TokenKind::FStringMiddle, begin, end, fstrings_.back().raw ? kTokenRaw : kTokenNone);
  }
}

// The closing quote of the innermost f-string at `quote`.
void Lexer::close_fstring(const char* quote) {
  const FString& f = fstrings_.back();
  brackets_.resize(f.bracket_base);
  add(TokenKind::FStringEnd, quote, quote + f.quote_size);
  p_ = quote + f.quote_size;
  fstrings_.pop_back();
}

// The literal text of an f-string, or of a format spec, up to a replacement field, the end of the
// spec or the closing quote.
void Lexer::lex_fstring_literal() {
  FString& f = fstrings_.back();
  const char* s = p_;
  const char* mid = p_;
  // Literal text inside a replacement field is a format spec: there `{` always opens a nested
  // field and `}` always ends the field, even after a nested field (CPython 3.12).
  const bool in_spec = f.expr_start_depth >= 0;
  bool named_escape = false;  // inside \N{...}
  for (;;) {
    while (!kFStringStops[static_cast<uint8_t>(*s)]) ++s;
    char c = *s;
    if (s == end_ || (f.quote_size == 1 && is_line_end(c))) {
      if (in_spec && f.quote_size == 1) {
        // A line end ends the format spec; the field goes on (and lacks its '}').
        add_fstring_middle(mid, s);
        f.literal_mode = false;
        p_ = s;
        return;
      }
      uint32_t line = detected_line(s);
      error(DiagnosticKind::lex_unterminated_string, base_ + f.start, s,
            f.quote_size == 3
                ? fmt::format("unterminated triple-quoted f-string literal (detected at line {})",
                              line)
                : fmt::format("unterminated f-string literal (detected at line {})", line));
      if (s > mid) add(TokenKind::Error, mid, s);
      brackets_.resize(f.bracket_base);
      fstrings_.pop_back();
      p_ = s;
      return;
    }
    if (c == f.quote) {
      if (f.quote_size == 1 || (s[1] == c && s[2] == c)) {
        add_fstring_middle(mid, s);
        // In a format spec the field is still open: CPython's tokenizer ends the string all the
        // same and keeps the field's brackets open; its parser reports the error.
        add(TokenKind::FStringEnd, s, s + f.quote_size);
        p_ = s + f.quote_size;
        fstrings_.pop_back();
        return;
      }
      ++s;
      continue;
    }
    switch (c) {
      case '{':
        if (!in_spec && s[1] == '{') {
          s += 2;
          named_escape = false;
          continue;
        }
        // A replacement field: its tokens are lexed in regular mode.
        add_fstring_middle(mid, s);
        if (++f.expr_start_depth >= kMaxFStringExprNesting) {
          error_before(DiagnosticKind::lex_too_deep, s, "f-string: expressions nested too deeply");
        }
        f.literal_mode = false;
        p_ = s;
        return;
      case '}':
        if (named_escape) {
          ++s;
          named_escape = false;
          continue;
        }
        if (!in_spec && s[1] == '}' && f.curly_depth == 0) {
          s += 2;
          continue;
        }
        // The end of a field (after its spec) or a single '}': regular mode tells which.
        add_fstring_middle(mid, s);
        f.literal_mode = false;
        p_ = s;
        return;
      case '\\': {
        const char* t = s + 1;
        if (t == end_) {
          s = t;
        } else if (t[0] == '\r' && t[1] == '\n') {
          s = t + 2;
        } else if (t[0] == '{' || t[0] == '}') {
          s = t;  // a backslash does not escape a brace
        } else if (!f.raw && t[0] == 'N' && t[1] == '{') {
          s = t + 2;
          named_escape = true;
        } else {
          s = t + 1;
        }
        continue;
      }
      default:
        ++s;  // the other quote, or a line end in a triple-quoted f-string
        continue;
    }
  }
}

}  // namespace ivyc::lex::detail
