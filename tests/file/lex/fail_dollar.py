# ARGS: parse --python 3.11 --dump-ast %s
# '$' is no Python token (CPython reports invalid syntax).
# CPython 3.11 (ast.parse): SyntaxError: invalid syntax (line 4, offset 7)
x = 1 $ 2
