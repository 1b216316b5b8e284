# ARGS: parse --python 3.11 --dump-ast %s
# A byte that is not UTF-8 (0xff) in a string literal, no coding declaration:
# source_invalid_utf8.
# CPython 3.11 (ast.parse): SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte (line 6, offset 8)
x = 1
y = 'ÿ'
