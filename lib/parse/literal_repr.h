// Appending forms of constant_repr (parse/literals.h), for the dump's single output string.
#pragma once

#include <string>
#include <string_view>

#include "ivyc/parse/tree.h"

namespace ivyc::parse {

void append_constant_repr(const Constant& c, std::string& out);
// repr() of a str given as UTF-8 (WTF-8).
void append_str_repr(std::string_view text, std::string& out);

}  // namespace ivyc::parse
