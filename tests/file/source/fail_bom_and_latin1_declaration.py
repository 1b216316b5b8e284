# ARGS: parse --python 3.11 --dump-ast %s
# coding: latin-1
# A UTF-8 BOM and a latin-1 declaration contradict each other.
# CPython 3.11 (ast.parse): SyntaxError: encoding problem: iso-8859-1 with BOM
x = 1
