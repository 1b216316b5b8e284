# ARGS: parse --python 3.11 --dump-ast %s
# A bracket closed by the wrong kind.
# CPython 3.11 (ast.parse): SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 4 (line 5, offset 7)
x = (1,
     2]
