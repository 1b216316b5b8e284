// Literal values, as CPython computes them: string and bytes escapes (including \N{...}), integer
// literals of any size in any base, floats and imaginary numbers; and Python's repr() of the
// resulting values, which ast.dump prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ivyc/parse/tree.h"

namespace ivyc::parse {

// An error found while decoding a literal: a message and the byte offset in the literal's body
// where it applies.
struct LiteralError {
  std::string message;
  uint32_t offset = 0;
};

// Decodes the body of a string literal (the text between the quotes, prefix and quotes removed).
// `raw`: no escape processing. `bytes`: a bytes literal (non-ASCII characters are an error;
// \u, \U and \N are not escapes). `fstring_middle`: the text of an FStringMiddle token, whose
// doubled braces `{{` and `}}` stand for single ones. The result is UTF-8 (WTF-8 where a
// \ud800-style escape makes a lone surrogate) for str, raw bytes for bytes. Line ends inside the
// body are normalized to \n as CPython's reader does (\r\n and \r become \n).
struct StringFlags {
  bool raw = false;
  bool bytes = false;
  bool fstring_middle = false;
};
auto decode_string_body(std::string_view body, StringFlags flags, std::string& out)
    -> std::optional<LiteralError>;

// Parses a NUMBER token's text into a Constant (Int as decimal digits, Float, Complex).
auto parse_number(std::string_view text) -> std::optional<Constant>;
// The same; on failure `error.message` says why where CPython has a message of its own (a decimal
// integer of more than 4300 digits), and is empty for text that is not a number.
auto parse_number(std::string_view text, LiteralError& error) -> std::optional<Constant>;

// repr() of a constant, exactly as Python 3.11 prints it (str with its quote choice and escapes,
// bytes, int, float's shortest repr, complex, None/True/False/Ellipsis).
auto constant_repr(const Constant& c) -> std::string;

}  // namespace ivyc::parse
