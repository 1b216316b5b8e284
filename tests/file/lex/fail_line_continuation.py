# ARGS: parse --python 3.11 --dump-ast %s
# A character after a line continuation backslash: lex_error.
# CPython 3.11 (ast.parse): SyntaxError: unexpected character after line continuation character (line 4, offset 8)
x = 1 \ y
