# ARGS: parse --python 3.11 --dump-ast %s
# PEP 701: a comment inside a multi-line replacement field (3.12) under --python 3.11.
# CPython 3.11 (ast.parse): SyntaxError: f-string expression part cannot include '#' (line 5, offset 5)
x = f'''{a  # the value
}'''
