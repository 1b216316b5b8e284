# ARGS: parse --python 3.11 --dump-ast %s
# A \N{...} escape naming no character: parse_invalid_literal.
# CPython 3.11 (ast.parse): SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-20: unknown Unicode character name (line 4, offset 28)
x = '\N{NO SUCH CHARACTER}'
