# ARGS: parse --python 3.11 --dump-ast %s
# A parse error, then a dedent to no outer level: the dedent only stops CPython's tokenizer, so
# the parse error is reported.
# CPython 3.11 (ast.parse): SyntaxError: invalid syntax (line 5, offset 8)
x = 1 +
if x:
    y = 1
  z = 2
