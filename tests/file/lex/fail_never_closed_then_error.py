# ARGS: parse --python 3.11 --dump-ast %s
# A bracket never closed, and a parse error on a later line: CPython reports the bracket.
# CPython 3.11 (ast.parse): SyntaxError: '(' was never closed (line 4, offset 5)
x = (1,
y = 2 3
