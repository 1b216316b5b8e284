# ARGS: parse --python 3.11 --dump-ast %s
# A 2 in a binary literal.
# CPython 3.11 (ast.parse): SyntaxError: invalid digit '2' in binary literal (line 4, offset 9)
x = 0b102
