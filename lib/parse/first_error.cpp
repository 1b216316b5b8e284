#include "ivyc/parse/first_error.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "ivyc/source/source_buffer.h"

namespace ivyc::parse {
namespace {

using lex::Token;
using lex::TokenKind;

constexpr std::string_view kUnicodeError = "(unicode error) ";

auto is_trivia(TokenKind k) -> bool {
  return k == TokenKind::Comment || k == TokenKind::NonLogicalNewline;
}

// The inside of an f-string: offsets p with begin < p < end (its start token's first byte is the
// f-string itself, where an unterminated f-string is reported).
struct Interior {
  uint32_t begin;
  uint32_t end;
};

auto fstring_interiors(const lex::TokenizedBuffer& tokens) -> std::vector<Interior> {
  std::vector<Interior> out;
  std::vector<uint32_t> open;
  for (const Token& t : tokens.tokens) {
    if (t.kind == TokenKind::FStringStart) {
      open.push_back(t.begin);
    } else if (t.kind == TokenKind::FStringEnd && !open.empty()) {
      out.push_back(Interior{open.back(), t.end});
      open.pop_back();
    }
  }
  // An f-string never ended: up to where the lexer said it was cut (its unterminated error).
  for (uint32_t begin : open) {
    auto end = static_cast<uint32_t>(tokens.source->text().size());
    for (const Diagnostic& d : tokens.errors) {
      if (d.kind == DiagnosticKind::lex_unterminated_string && d.begin == begin) end = d.end;
    }
    out.push_back(Interior{begin, end});
  }
  return out;
}

auto inside(const std::vector<Interior>& interiors, uint32_t offset) -> bool {
  return std::any_of(interiors.begin(), interiors.end(),
                     [&](const Interior& i) { return i.begin < offset && offset < i.end; });
}

// The token whose bytes hold `offset`; nullptr in the gaps between tokens.
auto token_at(const lex::TokenizedBuffer& tokens, uint32_t offset) -> const Token* {
  const auto& ts = tokens.tokens;
  auto it = std::upper_bound(ts.begin(), ts.end(), offset,
                             [](uint32_t off, const Token& t) { return off < t.begin; });
  while (it != ts.begin()) {
    --it;
    if (it->begin <= offset && offset < it->end) return &*it;
    if (it->end <= offset) break;
  }
  return nullptr;
}

auto lex_error_origin(const Diagnostic& d) -> ErrorOrigin {
  switch (d.kind) {
    case DiagnosticKind::lex_tab_error:
    case DiagnosticKind::lex_indentation:       // a dedent to no outer level, too many levels
    case DiagnosticKind::lex_eof_in_statement:  // the end of the file after a backslash
    case DiagnosticKind::lex_error:             // a line continuation followed by something
      return ErrorOrigin::TokenizerStop;
    case DiagnosticKind::lex_unclosed_bracket: return ErrorOrigin::UnclosedBracket;
    default: return ErrorOrigin::Tokenizer;
  }
}

// An ASCII character that starts no token ('$', '?', '<>'): CPython's tokenizer makes an operator
// of it and its parser fails there.
auto is_parser_level_character(const Diagnostic& d) -> bool {
  return d.kind == DiagnosticKind::lex_invalid_character && d.message == "invalid syntax";
}

// The bytes CPython decodes as one piece for the error's position: a string's body (or the run of
// non-ASCII bytes around the error, where escapes are processed), a name, an f-string part.
auto decoded_piece(std::string_view text, const Token& t, uint32_t at) -> std::string_view {
  std::string_view s = text.substr(t.begin, t.end - t.begin);
  if (t.kind != TokenKind::String) return s;
  size_t q = s.find_first_of("'\"");
  if (q == std::string_view::npos) return s;
  size_t quote = (t.flags & lex::kTokenTriple) != 0 ? 3 : 1;
  if (s.size() < q + 2 * quote) return s;
  std::string_view body = s.substr(q + quote, s.size() - q - 2 * quote);
  if ((t.flags & lex::kTokenRaw) != 0 || body.find('\\') == std::string_view::npos) return body;
  auto begin = static_cast<size_t>(at - t.begin);
  auto end = begin;
  while (begin > q + quote && static_cast<uint8_t>(s[begin - 1]) >= 0x80) --begin;
  while (end < s.size() && static_cast<uint8_t>(s[end]) >= 0x80) ++end;
  return s.substr(begin, end - begin);
}

// The errors of bytes that are not UTF-8 outside comments: the first in a name (a tokenizer error)
// and the first in a string or an f-string (a parser error), the only ones that can be reported.
void add_decode_errors(const lex::TokenizedBuffer& tokens, const std::vector<Interior>& interiors,
                       std::vector<ClassifiedError>& out) {
  const SourceBuffer& source = *tokens.source;
  std::string_view text = source.text();
  bool have_tokenizer = false;
  bool have_parser = false;
  // Error tokens that are not names (an unterminated string, ...): CPython decodes none of them.
  std::vector<uint32_t> not_names;
  for (const Diagnostic& d : tokens.errors) {
    if (d.kind != DiagnosticKind::lex_invalid_character) not_names.push_back(d.begin);
  }
  std::sort(not_names.begin(), not_names.end());
  for (const InvalidUtf8& bad : source.invalid_utf8()) {
    if (have_tokenizer && have_parser) break;
    const Token* t = token_at(tokens, bad.begin);
    if (t == nullptr || t->kind == TokenKind::Comment) continue;
    bool in_fstring = inside(interiors, bad.begin) || t->kind == TokenKind::FStringStart;
    if (t->kind == TokenKind::String && (t->flags & lex::kTokenBytes) != 0) continue;
    if (t->kind == TokenKind::Error && !in_fstring &&
        std::binary_search(not_names.begin(), not_names.end(), t->begin)) {
      continue;
    }
    bool parser_level = t->kind == TokenKind::String || in_fstring;
    if (parser_level ? have_parser : have_tokenizer) continue;
    (parser_level ? have_parser : have_tokenizer) = true;
    std::string_view piece = decoded_piece(text, *t, bad.begin);
    // Python decodes the piece whole and names its first error, counted from the piece.
    std::string message = describe_invalid_utf8(piece).value_or("invalid utf-8");
    Diagnostic d{DiagnosticKind::source_invalid_utf8, bad.begin, bad.begin + bad.length, ""};
    if (parser_level) {
      bool field = in_fstring && t->kind != TokenKind::FStringMiddle;
      d.message = (field ? "f-string: (unicode error) " : "(unicode error) ") + message;
      out.push_back(ClassifiedError{d, ErrorOrigin::Parser});
      continue;
    }
    // A name: CPython decodes it whole before checking its characters, so this error replaces
    // the lexer's about the same name.
    d.message = "(unicode error) " + message;
    std::erase_if(out, [&](const ClassifiedError& e) {
      return e.origin != ErrorOrigin::Parser && e.diag.begin >= t->begin && e.diag.begin < t->end;
    });
    out.push_back(ClassifiedError{d, ErrorOrigin::Tokenizer});
  }
}

auto is_unexpected_indent(const Diagnostic& d) -> bool {
  return d.message == "unexpected indent" || d.message == "unexpected unindent";
}

// How far CPython's parser has read when it fails with `e`: the line of the last token it asked
// for, and whether that was the end of the file. Approximated by the first token at or after the
// error that is not trivia (an error reported at a line end inside brackets is CPython's failure
// at the next token, maybe on a later line), or after it when the error spans several tokens. An
// error that fails every rule at once reads nothing further.
struct Reach {
  uint32_t line;
  bool end_of_file;
};

auto parser_reach(const lex::TokenizedBuffer& tokens, const ClassifiedError& e) -> Reach {
  const SourceBuffer& source = *tokens.source;
  const auto size = static_cast<uint32_t>(source.text().size());
  uint32_t last = e.diag.end > e.diag.begin ? e.diag.end - 1 : e.diag.begin;
  Reach reach{source.line_column(std::min(last, size)).line, false};
  if (e.no_lookahead) return reach;
  const auto& ts = tokens.tokens;
  auto significant_from = [&](uint32_t offset) {
    auto it = std::lower_bound(ts.begin(), ts.end(), offset,
                               [](const Token& t, uint32_t off) { return t.begin < off; });
    while (it != ts.end() && is_trivia(it->kind)) ++it;
    return it;
  };
  auto it = significant_from(e.diag.begin);
  // An error over several tokens (a missing comma between two expressions): the parser has read
  // the token after them too.
  if (it != ts.end() && it->end < e.diag.end) it = significant_from(e.diag.end);
  if (it == ts.end() || it->begin >= size) {
    reach.end_of_file = true;
    return reach;
  }
  reach.line = std::max(reach.line, source.line_column(it->begin).line);
  return reach;
}

}  // namespace

auto classify_errors(const lex::TokenizedBuffer& tokens, const std::vector<Diagnostic>& parse_errors)
    -> std::vector<ClassifiedError> {
  std::vector<ClassifiedError> out;
  std::vector<Interior> interiors = fstring_interiors(tokens);
  for (const Diagnostic& d : tokens.errors) {
    if (is_parser_level_character(d)) {
      out.push_back(ClassifiedError{d, ErrorOrigin::Parser, true});
    } else if (d.kind != DiagnosticKind::lex_unclosed_bracket && inside(interiors, d.begin)) {
      out.push_back(ClassifiedError{d, ErrorOrigin::Parser});
    } else {
      out.push_back(ClassifiedError{d, lex_error_origin(d)});
    }
  }
  if (tokens.source != nullptr && !tokens.source->invalid_utf8().empty()) {
    add_decode_errors(tokens, interiors, out);
  }
  for (const Diagnostic& d : parse_errors) out.push_back(ClassifiedError{d, ErrorOrigin::Parser});
  return out;
}

auto choose_error(const lex::TokenizedBuffer& tokens, const std::vector<ClassifiedError>& errors)
    -> std::optional<Diagnostic> {
  const auto eof = static_cast<uint32_t>(tokens.source->text().size());
  const SourceBuffer& source = *tokens.source;
  // Where each is met: a parser error where it is reported; a tokenizer error where the tokenizer
  // finds it: a bracket never closed at the end of the file, an indentation error before the
  // line's first token (ivyc reports a dedent error at the line's end, where CPython points).
  auto met = [&](const ClassifiedError& e) -> uint32_t {
    if (e.origin == ErrorOrigin::UnclosedBracket) return eof;
    if (e.diag.kind == DiagnosticKind::lex_indentation || e.diag.kind == DiagnosticKind::lex_tab_error) {
      return source.line_start(source.line_column(std::min(e.diag.begin, eof)).line);
    }
    return e.diag.begin;
  };
  const ClassifiedError* tok = nullptr;
  const ClassifiedError* par = nullptr;
  for (const ClassifiedError& e : errors) {
    const ClassifiedError*& best = e.origin == ErrorOrigin::Parser ? par : tok;
    if (best == nullptr || met(e) < met(*best)) best = &e;
  }
  if (par == nullptr) return tok != nullptr ? std::optional(tok->diag) : std::nullopt;
  if (tok == nullptr) return par->diag;
  // The parser asks for the tokens up to its error: a tokenizer error among them stops it first.
  if (tok->origin != ErrorOrigin::UnclosedBracket && met(*tok) <= par->diag.begin) {
    return tok->diag;
  }
  // CPython tokenizes the rest of the file after a parse error, except after "unexpected indent".
  if (is_unexpected_indent(par->diag)) return par->diag;
  switch (tok->origin) {
    case ErrorOrigin::Tokenizer: {
      // Bytes that are not UTF-8 in a name, met now: the codec's own error, not a SyntaxError.
      Diagnostic d = tok->diag;
      if (d.kind == DiagnosticKind::source_invalid_utf8 && d.message.starts_with(kUnicodeError)) {
        d.message.erase(0, kUnicodeError.size());
      }
      return d;
    }
    case ErrorOrigin::UnclosedBracket: {
      Reach reach = parser_reach(tokens, *par);
      uint32_t bracket_line = source.line_column(tok->diag.begin).line;
      if (reach.end_of_file || bracket_line < reach.line) return tok->diag;
      return par->diag;
    }
    case ErrorOrigin::TokenizerStop:
    case ErrorOrigin::Parser: return par->diag;
  }
  return par->diag;
}

auto first_error(const lex::TokenizedBuffer& tokens, const std::vector<Diagnostic>& parse_errors)
    -> std::optional<Diagnostic> {
  return choose_error(tokens, classify_errors(tokens, parse_errors));
}

}  // namespace ivyc::parse
