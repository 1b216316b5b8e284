# ARGS: parse --python 3.11 --dump-ast %s
# The file ends inside brackets: lex_eof_in_statement.
# CPython 3.11 (ast.parse): SyntaxError: '(' was never closed (line 5, offset 5)
x = 1
y = (1,
     2
