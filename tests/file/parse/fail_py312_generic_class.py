# ARGS: parse --python 3.11 --dump-ast %s
# PEP 695 type parameters on a class (3.12) under --python 3.11.
# CPython 3.11 (ast.parse): SyntaxError: invalid syntax (line 4, offset 10)
class Box[T]:
    pass
