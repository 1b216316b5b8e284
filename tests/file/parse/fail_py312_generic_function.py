# ARGS: parse --python 3.11 --dump-ast %s
# PEP 695 type parameters on a function (3.12) under --python 3.11.
# CPython 3.11 (ast.parse): SyntaxError: expected '(' (line 4, offset 10)
def first[T](xs: list[T]) -> T:
    return xs[0]
