# ARGS: parse --python 3.11 --dump-ast %s
# del of a literal.
# CPython 3.11 (ast.parse): SyntaxError: cannot delete literal (line 4, offset 5)
del 1
