// Tokens carry a kind, flags and a byte range into the SourceBuffer text, never text of their own:
// the text is sliced from the source on demand. The token stream, trivia included, covers the
// file: what lies between two consecutive tokens is only whitespace and line continuations.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ivyc/base/diagnostic.h"
#include "ivyc/source/source_buffer.h"

namespace ivyc::lex {

enum class TokenKind : uint8_t {
#define IVYC_TOKEN(id, spelling) id,
#include "ivyc/lex/token_kind.def"
};

auto token_kind_name(TokenKind kind) -> std::string_view;
// The fixed spelling of an operator or keyword; empty for the other kinds.
auto token_kind_spelling(TokenKind kind) -> std::string_view;
auto is_keyword(TokenKind kind) -> bool;

// Flags on a token.
enum TokenFlags : uint8_t {
  kTokenNone = 0,
  // String / FStringStart / FStringMiddle: the literal is raw (r prefix).
  kTokenRaw = 1 << 0,
  // String: bytes literal (b prefix).
  kTokenBytes = 1 << 1,
  // String / FStringStart: triple-quoted.
  kTokenTriple = 1 << 2,
  // String: u prefix (Constant.kind == 'u').
  kTokenUnicodePrefix = 1 << 3,
  // Name: not ASCII (its identifier is the NFKC normalization of its text).
  kTokenNonAscii = 1 << 4,
  // Number: imaginary (j suffix) / float (has '.' or exponent).
  kTokenImaginary = 1 << 5,
  kTokenFloat = 1 << 6,
  // Any token: first on its physical line after indentation (a line start).
  kTokenLineStart = 1 << 7,
};

struct Token {
  TokenKind kind;
  uint8_t flags = kTokenNone;
  uint32_t begin = 0;  // byte offsets into SourceBuffer::text()
  uint32_t end = 0;
};
static_assert(sizeof(Token) == 12);

struct LexOptions {
  // Keep Comment and NonLogicalNewline tokens (trivia). The parser works either way.
  bool keep_trivia = true;
};

// The lexer's product. Lexing never stops early: after an error it records a Diagnostic, emits an
// Error token over the bad span where there is one, and goes on; the token list always ends with
// EndOfFile (after the closing Newline and Dedents, as CPython's tokenizer emits them).
struct TokenizedBuffer {
  const SourceBuffer* source = nullptr;
  std::vector<Token> tokens;
  std::vector<Diagnostic> errors;

  auto text(const Token& t) const -> std::string_view {
    return source->text().substr(t.begin, t.end - t.begin);
  }
};

auto lex(const SourceBuffer& source, const LexOptions& options = {}) -> TokenizedBuffer;

}  // namespace ivyc::lex
