# ARGS: parse --python 3.11 --dump-ast %s
# A single-quoted string that the line ends: lex_unterminated_string.
# CPython 3.11 (ast.parse): SyntaxError: unterminated string literal (detected at line 5) (line 5, offset 5)
x = 1
y = 'abc
z = 2
