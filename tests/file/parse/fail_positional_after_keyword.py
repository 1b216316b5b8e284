# ARGS: parse --python 3.11 --dump-ast %s
# A positional argument after a keyword argument.
# CPython 3.11 (ast.parse): SyntaxError: positional argument follows keyword argument (line 4, offset 9)
f(a=1, 2)
