# ARGS: parse --python 3.11 --dump-ast %s
# A parse error, and a bracket never closed on a later line: CPython reports the parse error.
# CPython 3.11 (ast.parse): SyntaxError: Generator expression must be parenthesized (line 4, offset 3)
f(a for a in b, c)
x = (
