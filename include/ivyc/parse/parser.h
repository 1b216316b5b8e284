// The parser: tokens in, a syntax tree out, shaped as CPython's ast. Hand-written recursive descent
// with precedence climbing; each parse function names the rule of grammars/python.gram it
// implements. Parsing never throws and never stops early: errors are recorded with their ranges
// and the parser recovers at statement boundaries. Nesting depth is capped (a clear error, never a
// stack overflow).
#pragma once

#include <vector>

#include "ivyc/base/diagnostic.h"
#include "ivyc/lex/token.h"
#include "ivyc/parse/tree.h"

namespace ivyc::parse {

enum class PythonVersion : uint8_t { Py311, Py312 };

struct ParseOptions {
  // Py312 (default) accepts PEP 695 and PEP 701 syntax. Py311 rejects them, as CPython 3.11 does,
  // so that ivyc accepts exactly what 3.11 accepts (the differential tests use it).
  PythonVersion version = PythonVersion::Py312;
};

struct ParseResult {
  Tree tree;
  // In source order. Empty when the file is valid Python.
  std::vector<Diagnostic> errors;
};

auto parse(const lex::TokenizedBuffer& tokens, const ParseOptions& options = {}) -> ParseResult;

}  // namespace ivyc::parse
