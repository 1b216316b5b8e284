# ARGS: parse --python 3.11 --dump-ast %s
# A \x escape with one hex digit.
# CPython 3.11 (ast.parse): SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 2-4: truncated \xXX escape (line 4, offset 12)
x = 'ab\x4'
