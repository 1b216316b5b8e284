# ARGS: parse --python 3.11 --dump-ast %s
# A non-printable character (U+00A0, no-break space) between tokens.
# CPython 3.11 (ast.parse): SyntaxError: invalid non-printable character U+00A0 (line 4, offset 6)
x = 1 + 2
