# ARGS: parse --python 3.11 --dump-ast %s
# A decimal integer with a leading zero.
# CPython 3.11 (ast.parse): SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (line 4, offset 5)
x = 0123
