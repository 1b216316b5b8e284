# ARGS: parse --tokens %s
# The token stream, trivia included.
# CPython 3.11 (ast.parse): accepts this file
def f(a, *b, **c) -> int:  # comment
    return a @ b[1:2] if a else f'{c!r:>{10}}'

x = (1 +
     2)
