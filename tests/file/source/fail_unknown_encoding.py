# ARGS: parse --python 3.11 --dump-ast %s
# -*- coding: klingon -*-
# A PEP 263 declaration of an encoding that does not exist: source_unknown_encoding.
# CPython 3.11 (ast.parse): SyntaxError: unknown encoding: klingon
x = 1
