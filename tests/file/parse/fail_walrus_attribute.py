# ARGS: parse --python 3.11 --dump-ast %s
# An attribute as the target of :=.
# CPython 3.11 (ast.parse): SyntaxError: cannot use assignment expressions with attribute (line 4, offset 2)
(a.b := 1)
