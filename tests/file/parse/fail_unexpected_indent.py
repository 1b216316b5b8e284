# ARGS: parse --python 3.11 --dump-ast %s
# An indented statement where no block starts.
# CPython 3.11 (ast.parse): IndentationError: unexpected indent (line 5, offset 4)
x = 1
    y = 2
