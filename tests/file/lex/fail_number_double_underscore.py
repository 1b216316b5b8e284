# ARGS: parse --python 3.11 --dump-ast %s
# Two underscores in a row in a number.
# CPython 3.11 (ast.parse): SyntaxError: invalid decimal literal (line 4, offset 6)
x = 1__000
