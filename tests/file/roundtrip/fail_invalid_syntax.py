# ARGS: parse --roundtrip %s
# --roundtrip of a file with a syntax error: the error.
# CPython 3.11 (ast.parse): SyntaxError: invalid syntax (line 4, offset 5)
x = = 1
