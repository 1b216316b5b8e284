# ARGS: parse --python 3.11 --dump-ast %s
# A bytes literal next to a str literal.
# CPython 3.11 (ast.parse): SyntaxError: cannot mix bytes and nonbytes literals (line 4, offset 17)
x = 'abc' b'def'
