# ARGS: parse --python 3.11 --dump-ast %s
# PEP 695 type alias (3.12) under --python 3.11: parse_newer_syntax.
# CPython 3.11 (ast.parse): SyntaxError: invalid syntax (line 4, offset 6)
type Vector = list[float]
