# ARGS: parse --python 3.11 --dump-ast %s
# Augmented assignment to a call.
# CPython 3.11 (ast.parse): SyntaxError: 'function call' is an illegal expression for augmented assignment (line 4, offset 1)
f() += 1
