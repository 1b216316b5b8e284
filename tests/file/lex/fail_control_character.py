# ARGS: parse --python 3.11 --dump-ast %s
# A control character (U+0001) between tokens.
# CPython 3.11 (ast.parse): SyntaxError: invalid non-printable character U+0001 (line 4, offset 6)
x = 1
