// first_error: which of the lexer's and the parser's errors is reported, one rule per case. Each
// expectation is CPython 3.11's (`python3.11 -c "import ast,sys; ast.parse(sys.stdin.buffer.read())"`):
// its line, and its message (ivyc's messages are lowercase).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catch.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/first_error.h"
#include "ivyc/parse/parser.h"
#include "ivyc/source/source_buffer.h"

using namespace ivyc;

namespace {

struct Analyzed {
  std::unique_ptr<SourceBuffer> source;
  lex::TokenizedBuffer tokens;
  std::vector<Diagnostic> parse_errors;
};

auto analyze(std::string text) -> Analyzed {
  std::vector<Diagnostic> diags;
  auto source = SourceBuffer::from_bytes("t.py", std::move(text), diags);
  REQUIRE(source);
  Analyzed a;
  a.source = std::make_unique<SourceBuffer>(std::move(*source));
  a.tokens = lex::lex(*a.source);
  parse::ParseOptions options;
  options.version = parse::PythonVersion::Py311;
  a.parse_errors = parse::parse(a.tokens, options).errors;
  return a;
}

// "LINE:COL: message" of the error reported for `text` (COL 0-based, in bytes); "" for none.
auto reported(std::string text) -> std::string {
  Analyzed a = analyze(std::move(text));
  auto e = parse::first_error(a.tokens, a.parse_errors);
  if (!e) return "";
  auto lc = a.source->line_column(e->begin);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " + e->message;
}

auto line_and_message(const std::string& r) -> std::string {
  auto colon = r.find(':');
  auto rest = r.find(": ");
  return r.substr(0, colon) + r.substr(rest);
}

}  // namespace

TEST_CASE("no error, one side's error", "[first_error]") {
  CHECK(reported("x = 1\n").empty());
  CHECK(line_and_message(reported("x = 1 +\n")) == "1: invalid syntax");
  CHECK(line_and_message(reported("x = 1_\n")) == "1: invalid decimal literal");
  // choose_error on its own: a lone tokenizer error of any origin is the one.
  Analyzed a = analyze("x = 1\n");
  Diagnostic tab{DiagnosticKind::lex_tab_error, 0, 1, "tab"};
  CHECK(parse::choose_error(a.tokens, {}) == std::nullopt);
  auto only = parse::choose_error(a.tokens, {{tab, parse::ErrorOrigin::TokenizerStop}});
  REQUIRE(only);
  CHECK(only->message == "tab");
}

TEST_CASE("a tokenizer error the parser reaches first is reported", "[first_error]") {
  CHECK(line_and_message(reported("x = 1_\ny = 1 +\n")) == "1: invalid decimal literal");
  CHECK(line_and_message(reported("x = )\ny = 1 +\n")) == "1: unmatched ')'");
  // Even one that only stops the tokenizer: a dedent to no outer level, met before the line's
  // first token (ivyc's caret is at the line's end, as CPython's).
  CHECK(line_and_message(reported("try:\n        import x\n    from y import z\nexcept E:\n    pass\n")) ==
        "3: unindent does not match any outer indentation level");
}

TEST_CASE("after a parse error, the rest of the file is tokenized", "[first_error]") {
  // Errors that raise replace the parse error.
  CHECK(line_and_message(reported("x = 1 +\ny = 1_\n")) == "2: invalid decimal literal");
  CHECK(line_and_message(reported("x = 1 +\ny = )\n")) == "2: unmatched ')'");
  CHECK(line_and_message(reported("x = 1 +\ny = '''abc\n")) ==
        "2: unterminated triple-quoted string literal (detected at line 2)");
  CHECK(line_and_message(reported("x = 1 +\nif 1:\n  pass\n   y = 1\n  z = 1_\n")) ==
        "5: invalid decimal literal");
  // Errors that only stop the tokenizer do not: tabs, dedents, a line continuation.
  CHECK(line_and_message(reported("x = 1 +\nif 1:\n\tx\n        y\n")) == "1: invalid syntax");
  CHECK(line_and_message(reported("x = 1 +\nif 1:\n  x\n y\n")) == "1: invalid syntax");
  CHECK(line_and_message(reported("x = 1 +\ny = 2 \\ 3\n")) == "1: invalid syntax");
  // Nor after "unexpected indent".
  CHECK(line_and_message(reported("if 1:\n  x\n    y\nz = 1_\n")) == "3: unexpected indent");
}

TEST_CASE("a bracket never closed wins only past its line", "[first_error]") {
  // The parser read a later line than the bracket's.
  CHECK(line_and_message(reported("x = (1,\ny = 2 3\n")) == "1: '(' was never closed");
  CHECK(line_and_message(reported("x = (1 2\ny = 3\n")) == "1: '(' was never closed");
  // The parser reached the end of the file inside it.
  CHECK(line_and_message(reported("x = (1,\n")) == "1: '(' was never closed");
  CHECK(line_and_message(reported("foo(a b\n")) == "1: '(' was never closed");
  // The parse error is on the bracket's line and the parser read no further.
  CHECK(line_and_message(reported("x = (1 2 3,\n4 5\n")) ==
        "1: invalid syntax. Perhaps you forgot a comma?");
  CHECK(line_and_message(reported("x = (1 + $\n\n\n")) == "1: invalid syntax");
  // The bracket comes after the parse error.
  CHECK(line_and_message(reported("f(a for a in b, c)\nx = (\n")) ==
        "1: generator expression must be parenthesized");
}

TEST_CASE("parser-level lexer errors: f-string insides, characters that start no token", "[first_error]") {
  // CPython 3.11 lexes an f-string as one string and parses it when the parser reaches it.
  CHECK(line_and_message(reported("x = 1 +\ny = f\"{)}\"\n")) == "1: invalid syntax");
  CHECK(line_and_message(reported("x = 1 +\ny = f\"{a b}\"\n")) == "1: invalid syntax");
  // An f-string never ended is the tokenizer's.
  CHECK(line_and_message(reported("x = 1 +\nf\"abc\n")) ==
        "2: unterminated f-string literal (detected at line 2)");
  // '$' is an operator to CPython's tokenizer: its parser fails there, then tokenizes on.
  CHECK(line_and_message(reported("x = $ 1_\n")) == "1: invalid decimal literal");
}

TEST_CASE("bytes that are not utf-8: in names, strings, comments", "[first_error]") {
  // Comments are never decoded.
  CHECK(reported("x = 1  # caf\xE9\n# \xFF\xFE\n").empty());
  CHECK(line_and_message(reported("x = 1 +\n# \xFF\n")) == "1: invalid syntax");
  // A name: the tokenizer's error, at the byte; the position in the message is the name's.
  CHECK(reported("x\xFF = 1\n") ==
        "1:1: (unicode error) 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
  CHECK(reported("x = caf\xC3\xA9\xFF\n") ==
        "1:9: (unicode error) 'utf-8' codec can't decode byte 0xff in position 5: invalid start byte");
  // It replaces the lexer's error about the same name.
  CHECK(reported("\xE2\x82\xAC\xFF = 1\n") ==
        "1:3: (unicode error) 'utf-8' codec can't decode byte 0xff in position 3: invalid start byte");
  // Met after a parse error: CPython lets the codec's own error out (no line, no prefix).
  CHECK(reported("1 +\nx = 3 \xFF\n") ==
        "2:6: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
  // A string: the parser's error when it reaches the string, counted from its body (or from the
  // run of non-ASCII bytes where escapes are processed).
  CHECK(reported("x = 'a\xFF" "b' 'c'\n") ==
        "1:6: (unicode error) 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
  CHECK(reported("x = '\\n\xFF'\n") ==
        "1:7: (unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
  CHECK(line_and_message(reported("x = 1 +\ny = '\xFF'\n")) == "1: invalid syntax");
  CHECK(line_and_message(reported("x = '\xFF'\n)\n")) == "2: unmatched ')'");
  // In an f-string: its literal part, or a replacement field (parsed as an expression).
  CHECK(line_and_message(reported("f'\xFF{x}'\n")) ==
        "1: (unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
  CHECK(line_and_message(reported("f'{x \xFF}'\n")) ==
        "1: f-string: (unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid "
        "start byte");
  // A bytes literal: the parser's own error about non-ASCII bytes.
  CHECK(line_and_message(reported("x = b'\xFF'\n")) == "1: bytes can only contain ASCII literal characters");
  // An unterminated string is the tokenizer's error, whatever its bytes.
  CHECK(line_and_message(reported("x = 'abc\xFF\n")) == "1: unterminated string literal (detected at line 1)");
}
