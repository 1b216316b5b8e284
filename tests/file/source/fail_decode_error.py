# ARGS: parse --python 3.11 --dump-ast %s
# coding: ascii
# Declared ASCII, but holds UTF-8 bytes: source_decode_error.
# CPython 3.11 (ast.parse): SyntaxError: 'ascii' codec can't decode byte 0xc3 in position 158: ordinal not in range(128)
x = 'café'
