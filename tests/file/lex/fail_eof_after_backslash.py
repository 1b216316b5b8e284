# ARGS: parse --python 3.11 --dump-ast %s
# The file ends after a line continuation.
# CPython 3.11 (ast.parse): SyntaxError: unexpected EOF while parsing (line 4, offset 10)
x = 1 + \
