# ARGS: parse --python 3.11 --dump-ast %s
# An exponent without digits.
# CPython 3.11 (ast.parse): SyntaxError: invalid decimal literal (line 4, offset 7)
x = 1e+
