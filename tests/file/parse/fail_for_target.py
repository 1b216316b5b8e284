# ARGS: parse --python 3.11 --dump-ast %s
# A literal as a for target.
# CPython 3.11 (ast.parse): SyntaxError: cannot assign to literal (line 4, offset 5)
for 1 in x:
    pass
