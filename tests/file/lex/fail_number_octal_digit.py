# ARGS: parse --python 3.11 --dump-ast %s
# An 8 in an octal literal.
# CPython 3.11 (ast.parse): SyntaxError: invalid digit '8' in octal literal (line 4, offset 8)
x = 0o78
