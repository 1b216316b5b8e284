# ARGS: parse --python 3.11 --dump-ast %s
# PEP 701: a backslash inside a replacement field (3.12) under --python 3.11.
# CPython 3.11 (ast.parse): SyntaxError: f-string expression part cannot include a backslash (line 4, offset 22)
x = f'{"\n".join(y)}'
