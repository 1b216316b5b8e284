# ARGS: parse --python 3.11 --dump-ast %s
# An f-string that the line ends.
# CPython 3.11 (ast.parse): SyntaxError: unterminated string literal (detected at line 5) (line 5, offset 5)
name = 'x'
y = f'hello {name}
