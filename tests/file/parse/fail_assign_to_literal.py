# ARGS: parse --python 3.11 --dump-ast %s
# Assignment to a literal: parse_invalid_target.
# CPython 3.11 (ast.parse): SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? (line 4, offset 1)
1 = x
