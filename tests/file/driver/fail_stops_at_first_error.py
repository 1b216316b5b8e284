# ARGS: parse --python 3.11 --dump-ast %s
# Several errors: only the one CPython reports is printed (the tokenizer's, after a parse error).
# CPython 3.11 (ast.parse): SyntaxError: unterminated string literal (detected at line 6) (line 6, offset 5)
x = (1,
y = = 2
z = 'abc
