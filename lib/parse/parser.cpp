// STUB: to be replaced.
#include "ivyc/parse/parser.h"

namespace ivyc::parse {

auto parse(const lex::TokenizedBuffer& tokens, const ParseOptions& options) -> ParseResult {
  ParseResult r;
  r.tree.root = r.tree.add_node(NodeKind::Module, 0, 0, {r.tree.empty_list(), r.tree.empty_list()});
  return r;
}

}  // namespace ivyc::parse
