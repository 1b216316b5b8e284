#include "ivyc/lex/token.h"

namespace ivyc::lex {

auto token_kind_name(TokenKind kind) -> std::string_view {
  switch (kind) {
#define IVYC_TOKEN(id, spelling) \
  case TokenKind::id:            \
    return #id;
#include "ivyc/lex/token_kind.def"
  }
  return "Unknown";
}

auto token_kind_spelling(TokenKind kind) -> std::string_view {
  switch (kind) {
#define IVYC_TOKEN(id, spelling) \
  case TokenKind::id:            \
    return spelling;
#include "ivyc/lex/token_kind.def"
  }
  return "";
}

auto is_keyword(TokenKind kind) -> bool {
  switch (kind) {
#define IVYC_KEYWORD(id, spelling) case TokenKind::id:
#include "ivyc/lex/token_kind.def"
    return true;
    default:
      return false;
  }
}

}  // namespace ivyc::lex
