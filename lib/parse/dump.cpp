// STUB: to be replaced.
#include "ivyc/parse/dump.h"

namespace ivyc::parse {

auto dump_tree(const Tree& tree, const SourceBuffer& source, bool include_attributes) -> std::string {
  return "Module(body=[], type_ignores=[])";
}

}  // namespace ivyc::parse
