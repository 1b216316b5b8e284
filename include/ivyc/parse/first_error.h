// Which error to report for a file that is not valid Python, chosen as CPython 3.11 chooses it.
//
// ivyc's lexer and parser both go on after an error and report several; CPython stops at one, and
// which one depends on how it was raised:
//   - the parser asks the tokenizer for tokens as it goes, so a tokenizer error the parser reaches
//     (at or before the parse error) is the one reported, whatever it is;
//   - when the parser fails first, CPython tokenizes the rest of the file: the first tokenizer
//     error that raises (an invalid character or number, an unterminated string, an unmatched
//     bracket, bytes that are not UTF-8 in a name) replaces the parse error. Errors that only stop
//     the tokenizer (tabs, a dedent to no outer level, too many indentation levels, a line
//     continuation, the end of the file after a backslash) do not, nor does a parse error that is
//     "unexpected indent";
//   - a bracket never closed replaces a parse error only when the parser read past the bracket's
//     line (or reached the end of the file inside it);
//   - errors inside f-strings and in string literals are raised by the parser (CPython 3.11 lexes
//     an f-string as one token and parses it when the parser reaches it), like parse errors.
#pragma once

#include <optional>
#include <vector>

#include "ivyc/base/diagnostic.h"
#include "ivyc/lex/token.h"

namespace ivyc::parse {

// How CPython 3.11 raises an error.
enum class ErrorOrigin : uint8_t {
  Tokenizer,        // the tokenizer raises it, also when tokenizing the rest after a parse error
  TokenizerStop,    // the tokenizer stops with a status: reported only if the parser reaches it
  UnclosedBracket,  // a bracket still open at the end of the file (the diagnostic is at the bracket)
  Parser,           // the parser, or the string and f-string parsing it runs
};

struct ClassifiedError {
  Diagnostic diag;
  ErrorOrigin origin;
  // Parser errors: CPython reads no token past this one (an ASCII character that starts no token,
  // such as '$', fails every rule at once).
  bool no_lookahead = false;
};

// The errors of a file, classified: lexer errors (those inside f-strings become parser errors),
// parser errors, and bytes that are not UTF-8 outside comments (SourceBuffer::invalid_utf8): the
// first in a name, a tokenizer error; the first in a string or an f-string, a parser error.
auto classify_errors(const lex::TokenizedBuffer& tokens, const std::vector<Diagnostic>& parse_errors)
    -> std::vector<ClassifiedError>;

// The error CPython would report among `errors` (see the rules above); nullopt when there is none.
auto choose_error(const lex::TokenizedBuffer& tokens, const std::vector<ClassifiedError>& errors)
    -> std::optional<Diagnostic>;

// classify_errors, then choose_error.
auto first_error(const lex::TokenizedBuffer& tokens, const std::vector<Diagnostic>& parse_errors)
    -> std::optional<Diagnostic>;

}  // namespace ivyc::parse
