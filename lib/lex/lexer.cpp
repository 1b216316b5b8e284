// STUB: to be replaced by the real tokenizer.
#include "ivyc/lex/token.h"

namespace ivyc::lex {

auto lex(const SourceBuffer& source, const LexOptions& options) -> TokenizedBuffer {
  TokenizedBuffer out;
  out.source = &source;
  auto n = static_cast<uint32_t>(source.text().size());
  out.tokens.push_back(Token{TokenKind::EndOfFile, kTokenNone, n, n});
  return out;
}

}  // namespace ivyc::lex
