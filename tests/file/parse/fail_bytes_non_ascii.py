# ARGS: parse --python 3.11 --dump-ast %s
# A bytes literal with a non-ASCII character.
# CPython 3.11 (ast.parse): SyntaxError: bytes can only contain ASCII literal characters (line 4, offset 5)
x = b'café'
