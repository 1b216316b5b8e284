# ARGS: parse --python 3.11 --dump-ast %s
# 0x without digits.
# CPython 3.11 (ast.parse): SyntaxError: invalid hexadecimal literal (line 4, offset 6)
x = 0x
