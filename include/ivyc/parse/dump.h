// ast.dump: prints a tree exactly as Python 3.11's ast.dump(tree) or
// ast.dump(tree, include_attributes=True) prints the same module.
#pragma once

#include <string>

#include "ivyc/parse/tree.h"

namespace ivyc::parse {

auto dump_tree(const Tree& tree, const SourceBuffer& source, bool include_attributes) -> std::string;

}  // namespace ivyc::parse
