# ARGS: parse --python 3.11 --dump-ast %s
# A number ending in an underscore: lex_invalid_number.
# CPython 3.11 (ast.parse): SyntaxError: invalid decimal literal (line 4, offset 10)
x = 1_000_
