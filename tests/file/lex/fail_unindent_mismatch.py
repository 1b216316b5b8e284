# ARGS: parse --python 3.11 --dump-ast %s
# A dedent to a column that no enclosing block has: lex_indentation.
# CPython 3.11 (ast.parse): IndentationError: unindent does not match any outer indentation level (line 6, offset 10)
if x:
        a = 1
    b = 2
