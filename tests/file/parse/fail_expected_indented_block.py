# ARGS: parse --python 3.11 --dump-ast %s
# A block header without a block.
# CPython 3.11 (ast.parse): IndentationError: expected an indented block after 'if' statement on line 4 (line 5, offset 1)
if x:
y = 2
