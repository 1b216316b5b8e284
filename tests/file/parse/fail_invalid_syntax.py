# ARGS: parse --python 3.11 --dump-ast %s
# Two operators in a row: parse_invalid_syntax.
# CPython 3.11 (ast.parse): SyntaxError: invalid syntax (line 5, offset 5)
x = 1
y = = 2
