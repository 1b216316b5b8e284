# ARGS: parse --python 3.11 --dump-ast %s
# Several errors: only the first (in source order) is printed.
# CPython 3.11 (ast.parse): SyntaxError: unterminated string literal (detected at line 6) (line 6, offset 5)
x = (1,
y = = 2
z = 'abc
