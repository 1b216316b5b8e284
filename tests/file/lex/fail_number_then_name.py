# ARGS: parse --python 3.11 --dump-ast %s
# A name glued to a number.
# CPython 3.11 (ast.parse): SyntaxError: invalid decimal literal (line 4, offset 5)
x = 1abc
