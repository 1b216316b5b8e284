# ARGS: parse --python 3.11 --dump-ast %s
# PEP 701: the f-string's own quote inside a replacement field (3.12) under --python 3.11.
# CPython 3.11 (ast.parse): SyntaxError: f-string: expecting '}' (line 5, offset 9)
names = ['a']
x = f"{", ".join(names)}"
