# ARGS: parse --python 3.11 --dump-ast %s
# A triple-quoted string that the file ends.
# CPython 3.11 (ast.parse): SyntaxError: unterminated triple-quoted string literal (detected at line 7) (line 5, offset 5)
x = 1
y = '''abc

z = 2
