# ARGS: parse --python 3.11 --dump-ast %s
# A byte that is not UTF-8 (0xff) right after a name.
# CPython 3.11 (ast.parse): SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte (line 4, offset 2)
xÿ = 1
